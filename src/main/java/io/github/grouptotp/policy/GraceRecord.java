package io.github.grouptotp.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * A user's stored grace period, as read from the extension's own store (never from anything the user can write).
 *
 * @param start   when the grace period started: stamped at the first login that needed it, or when an admin granted one
 * @param until   the deadline an admin granted, which replaces the one the config gives
 * @param problem why the stored value could not be read; the grace period then counts as over
 */
public record GraceRecord(Instant start, Optional<Instant> until, Optional<String> problem) {

    public static GraceRecord startedAt(Instant start) {
        return new GraceRecord(start, Optional.empty(), Optional.empty());
    }

    public static GraceRecord granted(Instant start, Instant until) {
        return new GraceRecord(start, Optional.of(until), Optional.empty());
    }

    public static GraceRecord unreadable(String why) {
        return new GraceRecord(null, Optional.empty(), Optional.of(why));
    }
}
