package io.github.grouptotp.keycloak;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.cluster.ClusterProvider;
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
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.CredentialValidation;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.utils.CredentialHelper;

import io.github.grouptotp.policy.OtpCodeInput;

/**
 * Keycloak's own OTP credential, as the step and the reset action use it: checking a typed code, enrolling a new
 * authenticator from a secret kept in the login session, and removing old ones, each with its event.
 */
final class TotpCredentials {

    /** The secret being enrolled. Server-side only, so a client cannot choose it; dies with the login. */
    static final String ENROL_SECRET_NOTE = "group-totp.enrol-secret";

    enum Outcome {
        MISSING, MALFORMED, INVALID, VALID,
        /** Enrolment only: the user has an authenticator already (set up in another window). */
        ALREADY_ENROLLED,
        /** Enrolment only: another window of the user is storing an authenticator at this moment. */
        BUSY
    }

    /** How long an enrolment may hold the per-user lock; far above the time it takes. */
    private static final int ENROL_LOCK_SECONDS = 30;

    /**
     * @param credentialId the OTP credential that matched or was created, when {@link Outcome#VALID}
     * @param digits       the number of digits expected, for the "malformed" message
     */
    record Check(Outcome outcome, String credentialId, int digits) {

        boolean valid() {
            return outcome == Outcome.VALID;
        }

        /** The field message for a check that failed; {@code invalidMessage} differs between code and enrolment pages. */
        FormMessage fieldError(String invalidMessage) {
            return switch (outcome) {
                case MISSING -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_CODE_MISSING);
                case MALFORMED -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_CODE_MALFORMED, digits);
                case INVALID -> new FormMessage(TotpPages.FIELD_OTP, invalidMessage);
                case ALREADY_ENROLLED -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ALREADY_ENROLLED);
                case BUSY -> new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ENROL_BUSY);
                case VALID -> throw new IllegalStateException("no error for a valid code");
            };
        }
    }

    private TotpCredentials() {
    }

    static boolean isEnrolled(UserModel user) {
        return user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE);
    }

    static Set<String> otpCredentialIds(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .map(CredentialModel::getId).collect(Collectors.toSet());
    }

    /**
     * Checks a typed code against the user's OTP credentials. Input that cannot be a code is reported as
     * MISSING or MALFORMED without touching a credential; a well-formed code goes to Keycloak, which also
     * enforces the realm policy's "code reusable" setting.
     */
    static Check verify(RealmModel realm, UserModel user, String raw) {
        List<CredentialModel> credentials = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList();
        Set<Integer> digitCounts = credentials.stream()
                .map(c -> OTPCredentialModel.createFromCredentialModel(c).getOTPCredentialData().getDigits())
                .collect(Collectors.toSet());
        int expectedDigits = digitCounts.stream().findFirst().orElse(realm.getOTPPolicy().getDigits());
        if (OtpCodeInput.isBlank(raw)) {
            return new Check(Outcome.MISSING, null, expectedDigits);
        }
        Optional<String> code = digitCounts.stream()
                .map(digits -> OtpCodeInput.normalize(raw, digits))
                .flatMap(Optional::stream)
                .findFirst();
        if (code.isEmpty()) {
            return new Check(Outcome.MALFORMED, null, expectedDigits);
        }
        return credentials.stream()
                .filter(c -> user.credentialManager().isValid(new UserCredentialModel(c.getId(), OTPCredentialModel.TYPE, code.get())))
                .findFirst()
                .map(c -> new Check(Outcome.VALID, c.getId(), expectedDigits))
                .orElse(new Check(Outcome.INVALID, null, expectedDigits));
    }

    /** The secret this login is enrolling, made on first use and kept across reloads of the page. */
    static String enrolmentSecret(AuthenticationSessionModel authSession) {
        String secret = authSession.getAuthNote(ENROL_SECRET_NOTE);
        if (secret == null) {
            secret = HmacOTP.generateSecret(20);
            authSession.setAuthNote(ENROL_SECRET_NOTE, secret);
        }
        return secret;
    }

    /**
     * Stores a new OTP credential, made from the realm policy and the login's secret, if {@code raw} is a valid
     * code for it and the user has none yet; stores nothing otherwise.
     *
     * <p>Two windows (or a double click) may confirm at the same moment, on one node or two. A cluster-wide lock per
     * user serialises them, and the credential is committed in its own transaction before the lock is released,
     * so the second one sees it and stores nothing: exactly one credential results.
     */
    static Check enrol(KeycloakSession session, RealmModel realm, UserModel user, String secret, String raw) {
        OTPPolicy policy = realm.getOTPPolicy();
        int digits = policy.getDigits();
        if (OtpCodeInput.isBlank(raw)) {
            return new Check(Outcome.MISSING, null, digits);
        }
        Optional<String> code = OtpCodeInput.normalize(raw, digits);
        if (code.isEmpty()) {
            return new Check(Outcome.MALFORMED, null, digits);
        }
        String realmId = realm.getId();
        String userId = user.getId();
        ExecutionResult<Check> result = session.getProvider(ClusterProvider.class).executeIfNotExecuted(
                "group-totp-enrol::" + realmId + "::" + userId, ENROL_LOCK_SECONDS,
                () -> KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), session.getContext(),
                        txSession -> {
                            RealmModel txRealm = txSession.realms().getRealm(realmId);
                            return store(txSession, txRealm, txSession.users().getUserById(txRealm, userId), secret, code.get());
                        }, "group-totp enrolment"));
        return result.isExecuted() ? result.getResult() : new Check(Outcome.BUSY, null, digits);
    }

    private static Check store(KeycloakSession session, RealmModel realm, UserModel user, String secret, String code) {
        OTPPolicy policy = realm.getOTPPolicy();
        if (isEnrolled(user)) {
            return new Check(Outcome.ALREADY_ENROLLED, null, policy.getDigits());
        }
        OTPCredentialModel credential = OTPCredentialModel.createFromPolicy(realm, secret);
        // Check before storing: createOTPCredential stores first and validates after.
        if (!CredentialValidation.validOTP(code, credential, policy.getLookAheadWindow())
                || !CredentialHelper.createOTPCredential(session, realm, user, code, credential)) {
            return new Check(Outcome.INVALID, null, policy.getDigits());
        }
        String created = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .max(Comparator.comparing(CredentialModel::getCreatedDate, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(CredentialModel::getId)
                .orElse(null);
        return new Check(Outcome.VALID, created, policy.getDigits());
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
    static void removeAll(UserModel user, EventBuilder baseEvent) {
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
