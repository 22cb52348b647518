package io.github.grouptotp.keycloak.enrolment;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
import org.keycloak.utils.CredentialHelper;

import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.OtpCodeInput;

/**
 * Keycloak's own OTP credential, as every route uses it: the shape of a typed code, whether it is valid for one of
 * the user's authenticators (Keycloak also enforces the realm policy's "code reusable" setting), storing a new
 * authenticator and removing old ones, each with its event. Counting and limiting guesses is the guard's
 * ({@link io.github.grouptotp.keycloak.guard.Attempts}).
 */
public final class TotpCredentials {

    /** A typed code in the shape of the user's authenticators, or why it cannot be one (it then guesses nothing). */
    public record TypedCode(String code, FormMessage problem) {

        public boolean wellFormed() {
            return code != null;
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

    /** The code as the user's authenticators show it (their digits, else the realm policy's), spaces removed. */
    public static TypedCode typed(RealmModel realm, UserModel user, String raw) {
        Set<Integer> digitCounts = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .map(c -> OTPCredentialModel.createFromCredentialModel(c).getOTPCredentialData().getDigits())
                .collect(Collectors.toSet());
        return typed(digitCounts.isEmpty() ? Set.of(realm.getOTPPolicy().getDigits()) : digitCounts, raw);
    }

    private static TypedCode typed(Set<Integer> digitCounts, String raw) {
        int expected = digitCounts.iterator().next();
        if (OtpCodeInput.isBlank(raw)) {
            return new TypedCode(null, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_CODE_MISSING));
        }
        return digitCounts.stream()
                .map(digits -> OtpCodeInput.normalize(raw, digits))
                .flatMap(Optional::stream)
                .findFirst()
                .map(code -> new TypedCode(code, null))
                .orElse(new TypedCode(null, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_CODE_MALFORMED, expected)));
    }

    /** The user's authenticator this well-formed code is valid for now, if any; a used code is refused by Keycloak. */
    public static Optional<String> matching(UserModel user, String code) {
        List<CredentialModel> credentials = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList();
        return credentials.stream()
                .filter(c -> user.credentialManager().isValid(new UserCredentialModel(c.getId(), OTPCredentialModel.TYPE, code)))
                .map(CredentialModel::getId)
                .findFirst();
    }

    /** The code typed on an enrolment page, in the shape of the realm's policy (the new authenticator follows it). */
    static TypedCode typedForEnrolment(RealmModel realm, String raw) {
        return typed(Set.of(realm.getOTPPolicy().getDigits()), raw);
    }

    /**
     * Stores a new OTP credential, made from the realm policy and this secret, if {@code code} is valid for it, in place
     * of {@code replaced} (removed first: Keycloak refuses a second authenticator of the same name). Run in its own
     * transaction: should storing fail after the removal, the exception rolls both back.
     *
     * @return the new credential's id; empty (nothing changed) for a wrong code
     */
    static Optional<String> replace(KeycloakSession session, RealmModel realm, UserModel user, String secret, String code,
                                    Collection<CredentialModel> replaced) {
        OTPPolicy policy = realm.getOTPPolicy();
        OTPCredentialModel credential = OTPCredentialModel.createFromPolicy(realm, secret);
        // Check before storing: createOTPCredential stores first and validates after.
        if (!CredentialValidation.validOTP(code, credential, policy.getLookAheadWindow())) {
            return Optional.empty();
        }
        replaced.forEach(old -> user.credentialManager().removeStoredCredentialById(old.getId()));
        if (!CredentialHelper.createOTPCredential(session, realm, user, code, credential)) {
            throw new IllegalStateException("a code valid for the new secret was refused by Keycloak");
        }
        return user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .max(Comparator.comparing(CredentialModel::getCreatedDate, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(CredentialModel::getId);
    }

    /** Removes these credentials of the user (of any type), with a REMOVE_CREDENTIAL event for each that was there. */
    public static void remove(UserModel user, Collection<CredentialModel> credentials, EventBuilder baseEvent) {
        for (CredentialModel credential : credentials) {
            if (user.credentialManager().removeStoredCredentialById(credential.getId())) {
                removed(baseEvent, user, credential);
            }
        }
    }

    /** The REMOVE_CREDENTIAL event of a credential that was removed. */
    static void removed(EventBuilder baseEvent, UserModel user, CredentialModel credential) {
        baseEvent.clone()
                .event(EventType.REMOVE_CREDENTIAL)
                .user(user)
                .detail(Details.CREDENTIAL_TYPE, credential.getType())
                .detail(Details.CREDENTIAL_ID, credential.getId())
                .success();
    }

    /** The UPDATE_CREDENTIAL event of a new authenticator. */
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
}
