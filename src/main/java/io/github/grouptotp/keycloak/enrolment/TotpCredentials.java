package io.github.grouptotp.keycloak.enrolment;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.cluster.ExecutionResult;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OTPPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.CredentialValidation;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.utils.CredentialHelper;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.guard.CodeThrottle;
import io.github.grouptotp.keycloak.guard.UserLock;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.OtpCodeInput;

/**
 * Keycloak's own OTP credential, as the step, the reset action and the direct-grant step use it: checking a typed
 * code (within the per-user limit on wrong codes), storing a new authenticator, and removing old ones, each with
 * its event.
 */
public final class TotpCredentials {

    public enum Outcome {
        MISSING, MALFORMED, INVALID, VALID,
        /** The user is at the per-user limit on wrong codes: nothing was checked. */
        THROTTLED,
        /** Enrolment only: the user has an authenticator already (set up in another window or login). */
        ALREADY_ENROLLED,
        /** Enrolment only: another window of the user is storing an authenticator at this moment. */
        BUSY
    }

    /** How long an enrolment may hold the per-user lock; far above the time it takes. */
    private static final int ENROL_LOCK_SECONDS = 30;

    /**
     * @param credentialId the OTP credential that matched or was created, when {@link Outcome#VALID}
     * @param digits       the number of digits expected, for the "malformed" message
     * @param refusedUntil when codes are checked again, when {@link Outcome#THROTTLED}
     */
    public record Check(Outcome outcome, String credentialId, int digits, Instant refusedUntil) {

        static Check of(Outcome outcome, int digits) {
            return new Check(outcome, null, digits, null);
        }

        public boolean valid() {
            return outcome == Outcome.VALID;
        }

        /** The field message for a check that failed; {@code invalidMessage} differs between code and enrolment pages. */
        public FormMessage fieldError(String invalidMessage) {
            return switch (outcome) {
                case MISSING -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_CODE_MISSING);
                case MALFORMED -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_CODE_MALFORMED, digits);
                case INVALID -> new FormMessage(TotpPages.FIELD_OTP, invalidMessage);
                case THROTTLED -> TotpPages.throttled(TotpPages.FIELD_OTP, refusedUntil, LoginRecord.now());
                case ALREADY_ENROLLED -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ALREADY_ENROLLED);
                case BUSY -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ENROL_BUSY);
                case VALID -> throw new IllegalStateException("no error for a valid code");
            };
        }
    }

    private TotpCredentials() {
    }

    public static boolean isEnrolled(UserModel user) {
        return user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE);
    }

    public static Set<String> otpCredentialIds(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .map(CredentialModel::getId).collect(Collectors.toSet());
    }

    /**
     * Checks a typed code against the user's OTP credentials. Input that cannot be a code is reported as MISSING
     * or MALFORMED without touching a credential or the limit (it guesses nothing); a well-formed code takes one
     * of the user's attempts and goes to Keycloak, which also enforces the realm policy's "code reusable" setting.
     */
    public static Check verify(KeycloakSession session, RealmModel realm, UserModel user, String raw) {
        List<CredentialModel> credentials = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList();
        Set<Integer> digitCounts = credentials.stream()
                .map(c -> OTPCredentialModel.createFromCredentialModel(c).getOTPCredentialData().getDigits())
                .collect(Collectors.toSet());
        int expectedDigits = digitCounts.stream().findFirst().orElse(realm.getOTPPolicy().getDigits());
        if (OtpCodeInput.isBlank(raw)) {
            return Check.of(Outcome.MISSING, expectedDigits);
        }
        Optional<String> code = digitCounts.stream()
                .map(digits -> OtpCodeInput.normalize(raw, digits))
                .flatMap(Optional::stream)
                .findFirst();
        if (code.isEmpty()) {
            return Check.of(Outcome.MALFORMED, expectedDigits);
        }
        CodeThrottle.Attempt attempt = CodeThrottle.begin(session, realm, user, LoginRecord.now());
        if (attempt instanceof CodeThrottle.Refused refused) {
            return new Check(Outcome.THROTTLED, null, expectedDigits, refused.until());
        }
        Optional<CredentialModel> match = credentials.stream()
                .filter(c -> user.credentialManager().isValid(new UserCredentialModel(c.getId(), OTPCredentialModel.TYPE, code.get())))
                .findFirst();
        if (match.isEmpty()) {
            return Check.of(Outcome.INVALID, expectedDigits);
        }
        ((CodeThrottle.Allowed) attempt).succeeded();
        return new Check(Outcome.VALID, match.get().getId(), expectedDigits, null);
    }

    /**
     * Stores a new OTP credential, made from the realm policy and the login's secret, if {@code raw} is a valid
     * code for it and the user has none yet; stores nothing otherwise.
     *
     * <p>Two windows (or a double click, or two logins) may confirm at the same moment, on one node or two. A
     * cluster-wide lock per user serialises them, and the credential is committed in its own transaction, reading
     * the user afresh from the database, before the lock is released: exactly one credential results.
     */
    static Check enrol(KeycloakSession session, RealmModel realm, UserModel user, String secret, String raw) {
        OTPPolicy policy = realm.getOTPPolicy();
        int digits = policy.getDigits();
        if (OtpCodeInput.isBlank(raw)) {
            return Check.of(Outcome.MISSING, digits);
        }
        Optional<String> code = OtpCodeInput.normalize(raw, digits);
        if (code.isEmpty()) {
            return Check.of(Outcome.MALFORMED, digits);
        }
        ExecutionResult<Check> result = UserLock.run(session, realm, user, "enrol", ENROL_LOCK_SECONDS,
                (txSession, txRealm, txUser) -> store(txSession, txRealm, txUser, secret, code.get()));
        if (!result.isExecuted()) {
            return Check.of(Outcome.BUSY, digits);
        }
        UserCache cache = session.getProvider(UserCache.class);
        if (result.getResult().valid() && cache != null) {
            // Committed in its own transaction: the rest of this request (the remembered-browser cookie, the recovery
            // codes) must read the user afresh, or it sees the user as before, without the new authenticator.
            cache.evict(realm, user);
        }
        return result.getResult();
    }

    private static Check store(KeycloakSession session, RealmModel realm, UserModel user, String secret, String code) {
        OTPPolicy policy = realm.getOTPPolicy();
        if (isEnrolled(user)) {
            return Check.of(Outcome.ALREADY_ENROLLED, policy.getDigits());
        }
        OTPCredentialModel credential = OTPCredentialModel.createFromPolicy(realm, secret);
        // Check before storing: createOTPCredential stores first and validates after.
        if (!CredentialValidation.validOTP(code, credential, policy.getLookAheadWindow())
                || !CredentialHelper.createOTPCredential(session, realm, user, code, credential)) {
            return Check.of(Outcome.INVALID, policy.getDigits());
        }
        String created = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .max(Comparator.comparing(CredentialModel::getCreatedDate, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(CredentialModel::getId)
                .orElse(null);
        return new Check(Outcome.VALID, created, policy.getDigits(), null);
    }

    static void recordEnrolment(EventBuilder loginEvent, UserModel user, String credentialId) {
        EventBuilder event = loginEvent.clone()
                .event(EventType.UPDATE_CREDENTIAL)
                .user(user)
                .detail(Details.CREDENTIAL_TYPE, OTPCredentialModel.TYPE);
        if (credentialId != null) {
            event.detail(Details.CREDENTIAL_ID, credentialId);
        }
        event.success();
    }

    /** Removes every OTP credential of the user, with a REMOVE_CREDENTIAL event for each. */
    public static void removeAll(UserModel user, EventBuilder baseEvent) {
        for (CredentialModel credential : user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList()) {
            user.credentialManager().removeStoredCredentialById(credential.getId());
            baseEvent.clone()
                    .event(EventType.REMOVE_CREDENTIAL)
                    .user(user)
                    .detail(Details.CREDENTIAL_TYPE, OTPCredentialModel.TYPE)
                    .detail(Details.CREDENTIAL_ID, credential.getId())
                    .success();
        }
    }
}
