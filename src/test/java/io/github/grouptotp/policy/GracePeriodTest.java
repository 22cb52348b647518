package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GracePeriodTest {

    private static GroupTotpConfig graceDays(int days) {
        return GroupTotpConfig.from(Map.of(GroupTotpConfig.GRACE_DAYS, String.valueOf(days)));
    }

    private static Optional<GraceRecord> started(Instant start) {
        return Optional.of(GraceRecord.startedAt(start));
    }

    private static GroupTotpConfig enforcementDate(String date) {
        return GroupTotpConfig.from(Map.of(GroupTotpConfig.ENFORCEMENT_DATE, date));
    }

    @ParameterizedTest(name = "start {0}, {1} days, now {2} -> {3}")
    @CsvSource({
            "2026-03-01T09:00:00Z, 14, 2026-03-01T09:00:00Z, ACTIVE",
            "2026-03-01T09:00:00Z, 14, 2026-03-15T08:59:59Z, ACTIVE",   // the last second of grace
            "2026-03-01T09:00:00Z, 14, 2026-03-15T09:00:00Z, EXPIRED",  // the deadline itself is enforced
            "2026-03-01T09:00:00Z, 14, 2026-04-01T00:00:00Z, EXPIRED",
            "2028-02-20T12:00:00Z, 14, 2028-03-05T11:59:59Z, ACTIVE",   // across the leap day: 14 x 24 h
            "2028-02-20T12:00:00Z, 14, 2028-03-05T12:00:00Z, EXPIRED",
            "2026-03-01T09:00:00Z,  1, 2026-03-02T08:59:59Z, ACTIVE"})
    void perUserDeadlineIsTheStartPlusGraceDays(Instant start, int days, Instant now, GracePeriod.State expected) {
        GracePeriod.Status status = GracePeriod.evaluate(graceDays(days), started(start), now);

        assertEquals(expected, status.state());
        assertEquals(Optional.of(start.plusSeconds(days * 86_400L)), status.deadline());
        assertEquals(Optional.empty(), status.startToStore(), "a stored start is never moved");
    }

    @Test
    void leapDayDeadlineDate() {
        GracePeriod.Status status = GracePeriod.evaluate(graceDays(14), started(Instant.parse("2028-02-15T10:00:00Z")), Instant.parse("2028-02-16T00:00:00Z"));

        assertEquals(Optional.of(LocalDate.parse("2028-02-29")), status.deadlineDate());
    }

    @Test
    void missingStartIsStampedNowInWholeSeconds() {
        Instant now = Instant.parse("2026-03-01T09:00:00.750Z");

        GracePeriod.Status status = GracePeriod.evaluate(graceDays(14), Optional.empty(), now);

        assertEquals(GracePeriod.State.ACTIVE, status.state());
        assertEquals(Optional.of(Instant.parse("2026-03-01T09:00:00Z")), status.startToStore());
        assertEquals(Optional.of(LocalDate.parse("2026-03-15")), status.deadlineDate());
        assertEquals(14, status.daysLeft(now));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"the record is not readable", "the grace record has no start"})
    void anUnreadableRecordCountsAsExpired(String why) {
        GracePeriod.Status status = GracePeriod.evaluate(graceDays(14), Optional.of(GraceRecord.unreadable(why)), Instant.parse("2026-03-01T09:00:00Z"));

        assertEquals(GracePeriod.State.EXPIRED, status.state());
        assertEquals(Optional.empty(), status.startToStore(), "an unreadable record is reported, not overwritten");
        assertEquals(Optional.of(why), status.problem());
    }

    @ParameterizedTest(name = "start {0}")
    @CsvSource({
            "2026-03-01T09:01:00Z, ACTIVE",    // a cluster node's clock a minute ahead
            "2026-03-01T09:01:01Z, EXPIRED",   // no login wrote this: fail closed
            "2099-01-01T00:00:00Z, EXPIRED"})
    void aStartInTheFutureCountsAsExpired(Instant start, GracePeriod.State expected) {
        GracePeriod.Status status = GracePeriod.evaluate(graceDays(14), started(start), Instant.parse("2026-03-01T09:00:00Z"));

        assertEquals(expected, status.state());
        assertEquals(expected == GracePeriod.State.EXPIRED, status.problem().isPresent());
    }

    @ParameterizedTest(name = "granted until {0} -> {1}")
    @CsvSource({
            "2026-03-20T00:00:00Z, ACTIVE",
            "2027-03-02T00:00:00Z, ACTIVE",    // 366 days after the grant: the longest possible
            "2027-03-02T00:00:01Z, EXPIRED",   // longer than any admin could grant: fail closed
            "2099-01-01T00:00:00Z, EXPIRED"})
    void anAdminsGrantIsTheDeadlineWithinTheLongestGrace(Instant until, GracePeriod.State expected) {
        Instant grantedAt = Instant.parse("2026-03-01T00:00:00Z");
        GracePeriod.Status status = GracePeriod.evaluate(enforcementDate("2026-03-02"),
                Optional.of(GraceRecord.granted(grantedAt, until)), Instant.parse("2026-03-10T09:00:00Z"));

        assertEquals(expected, status.state());
        if (expected == GracePeriod.State.ACTIVE) {
            assertEquals(Optional.of(until), status.deadline(), "the grant beats the enforcement date");
        }
    }

    @Test
    void anAdminsGrantAppliesEvenWhenTheConfigGivesNoGrace() {
        GracePeriod.Status status = GracePeriod.evaluate(graceDays(0),
                Optional.of(GraceRecord.granted(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-05T00:00:00Z"))),
                Instant.parse("2026-03-02T00:00:00Z"));

        assertEquals(GracePeriod.State.ACTIVE, status.state());
    }

    @ParameterizedTest(name = "enforcement 2026-12-01, now {0} -> {1}")
    @CsvSource({
            "2026-11-30T23:59:59Z, ACTIVE",
            "2026-12-01T00:00:00Z, EXPIRED",
            "2027-01-01T00:00:00Z, EXPIRED"})
    void fixedEnforcementDateIsTheDeadlineForEveryoneAtMidnightUtc(Instant now, GracePeriod.State expected) {
        // Whatever the stored start: a fixed date replaces the per-user count, so users first seen after it get no grace.
        for (Optional<GraceRecord> start : List.of(Optional.<GraceRecord>empty(), started(Instant.parse("2026-11-30T23:00:00Z")),
                started(Instant.parse("2020-01-01T00:00:00Z")))) {
            GracePeriod.Status status = GracePeriod.evaluate(enforcementDate("2026-12-01"), start, now);

            assertEquals(expected, status.state(), "start " + start);
            assertEquals(Optional.of(Instant.parse("2026-12-01T00:00:00Z")), status.deadline());
        }
    }

    @ParameterizedTest(name = "{0} before the deadline -> {1} days left")
    @CsvSource({"PT1S, 1", "PT23H59M59S, 1", "PT24H, 1", "PT24H1S, 2", "P13DT23H, 14", "P14D, 14", "PT0S, 0"})
    void daysLeftCountsAStartedDayAsADay(java.time.Duration beforeDeadline, long expected) {
        Instant start = Instant.parse("2026-03-01T09:00:00Z");
        Instant deadline = start.plusSeconds(14 * 86_400L);
        GracePeriod.Status status = GracePeriod.evaluate(graceDays(14), started(start), deadline.minus(beforeDeadline));

        assertEquals(expected, status.daysLeft(deadline.minus(beforeDeadline)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "graceDays, 0",
            "graceDays, -1",
            "graceDays, 366",
            "graceDays, two weeks",
            "enforcementDate, 31-12-2026",
            "enforcementDate, 2026-02-30"})
    void noGraceWhenSwitchedOffOrUnusable(String key, String value) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(key, value));

        GracePeriod.Status status = GracePeriod.evaluate(config, Optional.empty(), Instant.parse("2026-03-01T09:00:00Z"));

        assertEquals(GracePeriod.State.NONE, status.state());
        assertEquals(Optional.empty(), status.startToStore(), "nothing to stamp without grace");
    }

    @Test
    void anUnusableEnforcementDateSwitchesOffTheDayCountToo() {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(
                GroupTotpConfig.GRACE_DAYS, "14", GroupTotpConfig.ENFORCEMENT_DATE, "soon"));

        assertEquals(false, config.graceConfigured());
        assertEquals(1, config.problems().size());
    }
}
