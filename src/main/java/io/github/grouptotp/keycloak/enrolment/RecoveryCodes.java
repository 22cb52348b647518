package io.github.grouptotp.keycloak.enrolment;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.cluster.ExecutionResult;
import org.keycloak.common.Profile;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.dto.RecoveryAuthnCodeRepresentation;
import org.keycloak.models.credential.dto.RecoveryAuthnCodesCredentialData;
import org.keycloak.models.credential.dto.RecoveryAuthnCodesSecretData;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.RecoveryAuthnCodesUtils;
import org.keycloak.util.JsonSerialization;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.guard.UserLock;
import io.github.grouptotp.keycloak.pages.TotpPages;

/**
 * Keycloak's own recovery codes ({@code recovery-authn-codes} credential, generated and hashed by Keycloak's code):
 * the step shows new ones on its own page and stores them when the user confirms having saved them, and accepts
 * any unused one of them, once, instead of the app's code. Keycloak's account console and its own recovery-code
 * form keep working with the same credential.
 */
public final class RecoveryCodes {

    /** The new codes of this login, server-side until the user confirms having saved them. */
    static final String NEW_CODES_NOTE = "group-totp.new-recovery-codes";
    /** Keycloak shows codes as XXXX-XXXX-XXXX; anything much longer is not one. */
    private static final int MAX_INPUT_LENGTH = 64;
    private static final int LOCK_SECONDS = 30;

    private RecoveryCodes() {
    }

    /**
     * Whether this server has Keycloak's recovery codes: a preview feature before Keycloak 26.3, which the server must
     * be started with ({@code --features=recovery-codes}); without it Keycloak could not store them.
     */
    public static boolean available() {
        return Profile.isFeatureEnabled(Profile.Feature.RECOVERY_CODES);
    }

    /**
     * Whether this login may use a recovery code instead of the app's code: the step's {@code recoveryCodes} is on
     * and the user has some. With it off there is no recovery route at all, whatever the user still has.
     */
    public static boolean usable(LoginRequest request) {
        return request.config().recoveryCodes() && has(request.user());
    }

    public static boolean has(UserModel user) {
        return user.credentialManager().isConfiguredFor(RecoveryAuthnCodesCredentialModel.TYPE);
    }

    /** Makes new codes for this login (Keycloak's generator) and shows them; nothing is stored yet. */
    public static Response offerNew(LoginRequest request) {
        request.authSession().setAuthNote(NEW_CODES_NOTE, String.join(",", RecoveryAuthnCodesUtils.generateRawCodes()));
        request.record().stage(LoginRecord.Stage.RECOVERY_CODES);
        return page(request, null);
    }

    public static Response page(LoginRequest request, FormMessage message) {
        return TotpPages.recoveryCodes(request.form(), newCodes(request), message);
    }

    /**
     * The user confirmed having saved the codes shown: they become the user's recovery-codes credential, replacing
     * any older one (Keycloak's credential provider does that), with an UPDATE_CREDENTIAL event.
     *
     * @return false when the confirmation is missing, or the codes of this login are gone
     */
    public static boolean saveConfirmed(LoginRequest request) {
        List<String> codes = newCodes(request);
        if (!request.formHas(TotpPages.FIELD_CODES_SAVED) || codes.isEmpty()) {
            return false;
        }
        RecoveryAuthnCodesCredentialModel credential = RecoveryAuthnCodesCredentialModel.createFromValues(codes, Time.currentTimeMillis(), null);
        CredentialModel stored = request.user().credentialManager().createCredentialThroughProvider(credential);
        request.authSession().removeAuthNote(NEW_CODES_NOTE);
        request.event().clone()
                .event(EventType.UPDATE_CREDENTIAL)
                .user(request.user())
                .detail(Details.CREDENTIAL_TYPE, RecoveryAuthnCodesCredentialModel.TYPE)
                .detail(Details.CREDENTIAL_ID, stored == null ? null : stored.getId())
                .success();
        return true;
    }

    private static List<String> newCodes(LoginRequest request) {
        String note = request.authSession().getAuthNote(NEW_CODES_NOTE);
        return note == null || note.isEmpty() ? List.of() : Arrays.asList(note.split(","));
    }

    /** Why a typed recovery code cannot be one (it then guesses nothing), or empty. */
    public static Optional<FormMessage> shapeProblem(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.of(new FormMessage(TotpPages.FIELD_RECOVERY_CODE, TotpPages.MSG_RECOVERY_MISSING));
        }
        String code = normalized(raw);
        if (code.isEmpty() || code.length() > MAX_INPUT_LENGTH) {
            return Optional.of(new FormMessage(TotpPages.FIELD_RECOVERY_CODE, TotpPages.MSG_RECOVERY_INVALID));
        }
        return Optional.empty();
    }

    private static String normalized(String raw) {
        return raw.replace("-", "").replace(" ", "").trim().toUpperCase(Locale.ROOT);
    }

    /**
     * The guard's check of a well-formed recovery code: any unused code of the user, spent once. The code is removed
     * from the credential under the user's lock, in its own transaction, so two requests with the same code cannot
     * both succeed, on any node.
     */
    public static Attempts.Check spend(KeycloakSession session, RealmModel realm, UserModel user, String raw) {
        String code = normalized(raw);
        ExecutionResult<Boolean> spent = UserLock.run(session, realm, user, "recovery", LOCK_SECONDS,
                (txSession, txRealm, txUser) -> spend(txUser, code));
        if (!spent.isExecuted()) {
            return Attempts.Check.NOT_CHECKED;
        }
        return spent.getResult() ? Attempts.Check.RIGHT : Attempts.Check.WRONG;
    }

    private static boolean spend(UserModel user, String code) {
        Optional<CredentialModel> stored = user.credentialManager()
                .getStoredCredentialsByTypeStream(RecoveryAuthnCodesCredentialModel.TYPE).findFirst();
        if (stored.isEmpty()) {
            return false;
        }
        CredentialModel credential = stored.get();
        try {
            RecoveryAuthnCodesSecretData secret = JsonSerialization.readValue(credential.getSecretData(), RecoveryAuthnCodesSecretData.class);
            Optional<RecoveryAuthnCodeRepresentation> match = secret.getCodes().stream()
                    .filter(hashed -> RecoveryAuthnCodesUtils.verifyRecoveryCodeInput(code, hashed.getEncodedHashedValue()))
                    .findFirst();
            if (match.isEmpty()) {
                return false;
            }
            secret.getCodes().remove(match.get());
            RecoveryAuthnCodesCredentialData data = JsonSerialization.readValue(credential.getCredentialData(), RecoveryAuthnCodesCredentialData.class);
            data.setRemainingCodes(secret.getCodes().size());
            credential.setSecretData(JsonSerialization.writeValueAsString(secret));
            credential.setCredentialData(JsonSerialization.writeValueAsString(data));
            user.credentialManager().updateStoredCredential(credential);
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("The recovery-codes credential of user " + user.getId() + " is not readable", e);
        }
    }
}
