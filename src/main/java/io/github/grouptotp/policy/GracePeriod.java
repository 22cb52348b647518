package io.github.grouptotp.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The grace period of a required user who has not enrolled: until its deadline the user may log in without a
 * second factor. All arithmetic is in UTC; the deadline shown on the page and the one enforced both come from
 * {@link #evaluate}.
 *
 * <p>The deadline is the config's {@code enforcementDate} at 00:00 UTC if set (the same for everyone, so users
 * first seen after it get no grace), else the user's grace start plus {@code graceDays} days. The start is
 * stamped at the first login that needs it and never moved; an unreadable start counts as expired.
 */
public final class GracePeriod {

    /** The user attribute holding the grace start; admins edit or delete it to grant a fresh grace period. */
    public static final String START_ATTRIBUTE = "group-totp-grace-start";

    public enum State {
        /** The config gives no grace: enrolment is forced. */
        NONE,
        /** Before the deadline: the user may skip enrolment for now. */
        ACTIVE,
        /** On or after the deadline, or the stored start is unreadable: enrolment is forced. */
        EXPIRED
    }

    /**
     * @param deadline     the first instant at which enrolment is forced; empty for {@link State#NONE} and for an
     *                     unreadable start
     * @param startToStore a grace start to store on the user because none was stored yet
     * @param problem      why the stored start was not usable, for the log
     */
    public record Status(State state, Optional<Instant> deadline, Optional<Instant> startToStore, Optional<String> problem) {

        public boolean active() {
            return state == State.ACTIVE;
        }

        /** Whole days left, counting a started day as a day: 1 on the last day, never 0 while active. */
        public long daysLeft(Instant now) {
            return deadline.map(d -> {
                long seconds = Duration.between(now, d).toSeconds();
                return seconds <= 0 ? 0 : (seconds + 86_399) / 86_400;
            }).orElse(0L);
        }

        /** The date of the deadline in UTC, as shown to the user. */
        public Optional<LocalDate> deadlineDate() {
            return deadline.map(d -> LocalDate.ofInstant(d, ZoneOffset.UTC));
        }
    }

    private GracePeriod() {
    }

    /**
     * @param storedStart the user's stored grace start (ISO-8601 instant), or null if none is stored
     */
    public static Status evaluate(GroupTotpConfig config, String storedStart, Instant now) {
        if (!config.graceConfigured()) {
            return new Status(State.NONE, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<Instant> startToStore = Optional.empty();
        Instant start;
        if (storedStart == null || storedStart.isBlank()) {
            start = now.truncatedTo(ChronoUnit.SECONDS);
            startToStore = Optional.of(start);
        } else {
            try {
                start = Instant.parse(storedStart.trim());
            } catch (DateTimeParseException e) {
                return new Status(State.EXPIRED, Optional.empty(), Optional.empty(),
                        Optional.of("grace start '" + storedStart + "' is not an ISO-8601 instant such as 2026-11-01T09:00:00Z"));
            }
        }
        Instant deadline = config.enforcementDate()
                .map(date -> date.atStartOfDay(ZoneOffset.UTC).toInstant())
                .orElse(start.plus(Duration.ofDays(config.graceDays())));
        State state = now.isBefore(deadline) ? State.ACTIVE : State.EXPIRED;
        return new Status(state, Optional.of(deadline), startToStore, Optional.empty());
    }
}
