package io.github.grouptotp.policy;

/** How the step let a user through; recorded on the LOGIN event as detail {@code group_totp}. */
public enum LoginOutcome {
    VERIFIED("verified"),
    ENROLLED("enrolled"),
    /** Enrolled, and this browser was remembered after an earlier code. */
    REMEMBERED("remembered"),
    /** Keycloak already checked a passkey earlier in this login (the username form with passkeys, or its passwordless step). */
    PASSKEY("passkey"),
    /** Keycloak already checked a security key (its WebAuthn step) earlier in this login. */
    SECURITY_KEY("webauthn"),
    /** An admin reset the user's authenticator: no code asked; the reset required action enrols a new one. */
    RESET("reset"),
    /** The user logged in with a recovery code; a reset follows in the same login. */
    RECOVERY_CODE("recovery_code"),
    /** Required and not enrolled, chose "log in without it for now" during the grace period. */
    GRACE_SKIPPED("grace_skipped"),
    /** Exempt and not enrolled. */
    NOT_REQUIRED("not_required"),
    /** Optional (or in no listed group) and not enrolled. */
    OPTIONAL("optional");

    private final String eventDetail;

    LoginOutcome(String eventDetail) {
        this.eventDetail = eventDetail;
    }

    public String eventDetail() {
        return eventDetail;
    }
}
