package io.github.grouptotp.policy;

/**
 * The secrets a user can give instead of, or besides, the password (typed, or signed by a security key or passkey). Each counts the same way everywhere (the
 * per-login cap, the per-user limit, Keycloak's brute-force detection) with one brute-force category each, the
 * credential type Keycloak's protector counts for it.
 */
public enum SecretKind {
    /** A code of the user's authenticator app. */
    APP_CODE("otp"),
    /** One of the user's recovery codes. */
    RECOVERY_CODE("recovery-authn-codes"),
    /** The one-time pass of an admin's reset: a second factor in its own right, counted as one. */
    ONE_TIME_PASS("otp"),
    /** A security key's signature, checked by Keycloak's WebAuthn authenticator inside the step. */
    SECURITY_KEY("webauthn"),
    /** A passkey's signature, checked by Keycloak's passwordless WebAuthn authenticator inside the step. */
    PASSKEY("webauthn-passwordless");

    private final String bruteForceCategory;

    SecretKind(String bruteForceCategory) {
        this.bruteForceCategory = bruteForceCategory;
    }

    /** The category Keycloak's brute-force protector counts a wrong one in (26.6+; older releases count all alike). */
    public String bruteForceCategory() {
        return bruteForceCategory;
    }
}
