package io.github.grouptotp.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The grace period of a required user who has not enrolled: until its deadline the user may log in without a
 * second factor. All arithmetic is in UTC; the deadline shown on the page and the one enforced both come from
 * {@link #evaluate}.
 *
 * <p>The deadline is, in this order: the date an admin granted the user; the config's {@code enforcementDate} at
 * 00:00 UTC (the same for everyone, so users first seen after it get no grace); the user's grace start plus
 * {@code graceDays} days. The start is stamped at the first login that needs it and never moved. A stored value
 * that cannot be read, or that no admin or login could have written (a start in the future, a grant longer than
 * the longest grace), counts as "grace over": a broken record never extends anybody's grace.
 */
public final class GracePeriod {

    /** Cluster nodes' clocks may differ slightly; a start further in the future was not written by a login. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);
    /** The longest grace an admin can grant, counted from the grant. */
    public static final Duration MAX_GRANT = Duration.ofDays(GroupTotpConfig.MAX_GRACE_DAYS + 1L);

    public enum State {
        /** The config gives no grace: enrolment is forced. */
        NONE,
        /** Before the deadline: the user may skip enrolment for now. */
        ACTIVE,
        /** On or after the deadline, or the stored record is not usable: enrolment is forced. */
        EXPIRED
    }

    /**
     * @param deadline     the first instant at which enrolment is forced; empty for {@link State#NONE} and for an
     *                     unusable record
     * @param startToStore a grace start to store for the user because none was stored yet
     * @param problem      why the stored record was not usable, for the log (never the stored value itself)
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
     * @param stored the user's grace record, if one is stored
     */
    public static Status evaluate(GroupTotpConfig config, Optional<GraceRecord> stored, Instant now) {
        if (stored.isPresent()) {
            GraceRecord record = stored.get();
            Optional<String> problem = record.problem().or(() -> implausible(record, now));
            if (problem.isPresent()) {
                return new Status(State.EXPIRED, Optional.empty(), Optional.empty(), problem);
            }
            if (record.until().isPresent()) {
                // An admin's grant applies even where the config gives no grace: the admin chose this user's date.
                return status(record.until().get(), Optional.empty(), now);
            }
            if (!config.graceConfigured()) {
                return none();
            }
            return status(configuredDeadline(config, record.start()), Optional.empty(), now);
        }
        if (!config.graceConfigured()) {
            return none();
        }
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        return status(configuredDeadline(config, start), Optional.of(start), now);
    }

    private static Optional<String> implausible(GraceRecord record, Instant now) {
        if (record.start() == null) {
            return Optional.of("the grace record has no start");
        }
        if (record.start().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return Optional.of("the grace record starts in the future");
        }
        if (record.until().isPresent() && record.until().get().isAfter(record.start().plus(MAX_GRANT))) {
            return Optional.of("the granted deadline is further from its grant than any grace period can be");
        }
        return Optional.empty();
    }

    private static Instant configuredDeadline(GroupTotpConfig config, Instant start) {
        return config.enforcementDate()
                .map(date -> date.atStartOfDay(ZoneOffset.UTC).toInstant())
                .orElse(start.plus(Duration.ofDays(config.graceDays())));
    }

    private static Status status(Instant deadline, Optional<Instant> startToStore, Instant now) {
        State state = now.isBefore(deadline) ? State.ACTIVE : State.EXPIRED;
        return new Status(state, Optional.of(deadline), startToStore, Optional.empty());
    }

    private static Status none() {
        return new Status(State.NONE, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
