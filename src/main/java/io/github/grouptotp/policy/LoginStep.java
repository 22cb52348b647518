package io.github.grouptotp.policy;

/** What the flow step does next for a user. */
public enum LoginStep {
    /** Show the code page. */
    ASK_CODE,
    /** Show the enrolment (QR code) page. */
    ENROL,
    /** Let the user through without a second factor. */
    PASS
}
