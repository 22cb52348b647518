package io.github.grouptotp.policy;

/** Whether a user belongs to one configured group, as answered by the identity store. */
public enum Membership {
    /** The user is in the group or in one of its subgroups. */
    MEMBER,
    NOT_MEMBER,
    /** The configured path names no existing group (deleted, renamed or mistyped). */
    UNKNOWN_GROUP
}
