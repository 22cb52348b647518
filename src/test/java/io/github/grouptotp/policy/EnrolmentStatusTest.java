package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnrolmentStatusTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final GroupTotpConfig FOURTEEN_DAYS = GroupTotpConfig.from(Map.of());

    private static Optional<GraceRecord> started(String start) {
        return Optional.of(GraceRecord.startedAt(Instant.parse(start)));
    }

    @ParameterizedTest(name = "start {0} -> overdue {1}, {2} days left")
    @CsvSource({
            "2026-03-01T12:00:00Z, false, 5",
            "2026-02-24T12:00:01Z, false, 1",
            "2026-02-24T12:00:00Z, true, 0",
            "2020-01-01T00:00:00Z, true, 0"})
    void notEnrolledUsersWithAStart(String start, boolean overdue, long daysLeft) {
        EnrolmentStatus status = EnrolmentStatus.of(FOURTEEN_DAYS, false, started(start), NOW);

        assertEquals(overdue, status.overdue());
        assertEquals(daysLeft, status.daysLeft());
        assertEquals(Optional.of(Instant.parse(start)), status.graceStart());
        assertEquals(Optional.of(Instant.parse(start).plusSeconds(14 * 86_400L)), status.deadline());
    }

    @Test
    void aUserNotSeenSinceTheRolloutHasNoDeadlineYetAndTheWholePeriodAhead() {
        EnrolmentStatus status = EnrolmentStatus.of(FOURTEEN_DAYS, false, Optional.empty(), NOW);

        assertEquals(Optional.empty(), status.graceStart());
        assertEquals(Optional.empty(), status.deadline());
        assertEquals(14, status.daysLeft());
        assertEquals(false, status.overdue());
    }

    @Test
    void aFixedEnforcementDateIsEveryonesDeadline() {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.ENFORCEMENT_DATE, "2026-03-12"));

        EnrolmentStatus status = EnrolmentStatus.of(config, false, Optional.empty(), NOW);

        assertEquals(Optional.of(Instant.parse("2026-03-12T00:00:00Z")), status.deadline());
        assertEquals(2, status.daysLeft());
    }

    @Test
    void withoutGraceAndWithAnUnreadableStartTheUserIsOverdue() {
        assertEquals(true, EnrolmentStatus.of(GroupTotpConfig.from(Map.of(GroupTotpConfig.GRACE_DAYS, "0")), false, Optional.empty(), NOW).overdue());
        EnrolmentStatus unreadable = EnrolmentStatus.of(FOURTEEN_DAYS, false, Optional.of(GraceRecord.unreadable("not readable")), NOW);
        assertEquals(true, unreadable.overdue());
        assertEquals(Optional.empty(), unreadable.graceStart());
    }

    @Test
    void anAdminsGrantIsShownAsSuch() {
        EnrolmentStatus status = EnrolmentStatus.of(FOURTEEN_DAYS, false,
                Optional.of(GraceRecord.granted(Instant.parse("2026-03-09T12:00:00Z"), Instant.parse("2026-03-20T00:00:00Z"))), NOW);

        assertEquals(true, status.graceGranted());
        assertEquals(Optional.of(Instant.parse("2026-03-20T00:00:00Z")), status.deadline());
        assertEquals(10, status.daysLeft());
    }

    @Test
    void enrolledUsersAreNeverOverdue() {
        EnrolmentStatus status = EnrolmentStatus.of(FOURTEEN_DAYS, true, started("2020-01-01T00:00:00Z"), NOW);

        assertEquals(true, status.enrolled());
        assertEquals(false, status.overdue());
        assertEquals(0, status.daysLeft());
    }
}
