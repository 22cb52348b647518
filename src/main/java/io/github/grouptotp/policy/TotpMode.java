package io.github.grouptotp.policy;

/** How strictly the policy treats one user. */
public enum TotpMode {
    /** Must use TOTP: enrolled users are asked for a code, others must enrol. */
    REQUIRED,
    /** Asked for a code only if already enrolled (optional groups, and users in no listed group). */
    OPTIONAL,
    /** Member of an exempt group: never forced to enrol, still asked for a code if enrolled. */
    EXEMPT
}
