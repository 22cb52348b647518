package io.github.grouptotp.policy;

import java.util.Collection;
import java.util.Optional;

/**
 * A second factor that Keycloak's own WebAuthn steps already checked earlier in this login: a passkey (the username
 * form with passkeys, or the passwordless WebAuthn step) or a security key (the WebAuthn step). Either stands in for
 * the step's code, as Keycloak's own "Condition - credential" lets them stand in for its OTP form.
 */
public final class EarlierFactor {

    /** Keycloak's credential type of a passkey ({@code WebAuthnCredentialModel.TYPE_PASSWORDLESS}). */
    public static final String PASSKEY_TYPE = SecondFactor.PASSKEY.credentialType();
    /** Keycloak's credential type of a security key used as a second factor ({@code WebAuthnCredentialModel.TYPE_TWOFACTOR}). */
    public static final String SECURITY_KEY_TYPE = SecondFactor.WEBAUTHN.credentialType();

    private EarlierFactor() {
    }

    /** How the step lets the user through, from the credential types Keycloak says this login used; none for others. */
    public static Optional<LoginOutcome> of(Collection<String> credentialTypesUsed) {
        if (credentialTypesUsed.contains(PASSKEY_TYPE)) {
            return Optional.of(LoginOutcome.PASSKEY);
        }
        if (credentialTypesUsed.contains(SECURITY_KEY_TYPE)) {
            return Optional.of(LoginOutcome.SECURITY_KEY);
        }
        return Optional.empty();
    }

    /** The outcome of a login in which the step itself checked this WebAuthn factor. */
    public static LoginOutcome outcomeOf(SecondFactor factor) {
        return switch (factor) {
            case PASSKEY -> LoginOutcome.PASSKEY;
            case WEBAUTHN -> LoginOutcome.SECURITY_KEY;
            case OTP -> LoginOutcome.VERIFIED;
        };
    }
}
