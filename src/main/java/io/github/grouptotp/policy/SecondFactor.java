package io.github.grouptotp.policy;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * The second factors the policy knows, each one of Keycloak's own credential types: an authenticator app, a security
 * key (WebAuthn as a second factor) and a passkey (WebAuthn passwordless).
 */
public enum SecondFactor {
    /** An authenticator app (Keycloak's {@code otp} credential). */
    OTP("otp", "otp"),
    /** A security key (Keycloak's {@code webauthn} credential, {@code WebAuthnCredentialModel.TYPE_TWOFACTOR}). */
    WEBAUTHN("webauthn", "webauthn"),
    /** A passkey (Keycloak's {@code webauthn-passwordless} credential, {@code WebAuthnCredentialModel.TYPE_PASSWORDLESS}). */
    PASSKEY("passkey", "webauthn-passwordless");

    private final String configName;
    private final String credentialType;

    SecondFactor(String configName, String credentialType) {
        this.configName = configName;
        this.credentialType = credentialType;
    }

    /** The name in the step's settings, the {@code factor} buttons and the reports: {@code otp}, {@code webauthn}, {@code passkey}. */
    public String configName() {
        return configName;
    }

    /** Keycloak's credential type of this factor. */
    public String credentialType() {
        return credentialType;
    }

    /** Whether the factor is bound to the site it was registered for, so a look-alike site cannot relay it. */
    public boolean phishingResistant() {
        return this != OTP;
    }

    /** Whether a user holding {@code held} meets a policy satisfied by {@code satisfying}: one factor is among them. */
    public static boolean meets(Collection<SecondFactor> held, Collection<SecondFactor> satisfying) {
        return held.stream().anyMatch(satisfying::contains);
    }

    /** The factor of one of Keycloak's credential types; empty for a type that is no second factor. */
    public static Optional<SecondFactor> ofCredentialType(String type) {
        return Arrays.stream(values()).filter(factor -> factor.credentialType.equals(type)).findFirst();
    }

    /** The factor of a name in the settings or a {@code factor} button; empty for anything else. */
    public static Optional<SecondFactor> ofConfigName(String name) {
        return Arrays.stream(values()).filter(factor -> factor.configName.equals(name)).findFirst();
    }
}
