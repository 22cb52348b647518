package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Grace-period cases the main test leaves out: a stored start without grace, a record without a start, active(). */
class GracePeriodEdgesTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @ParameterizedTest(name = "graceDays={0}, stored start {1} -> {2}")
    @CsvSource({
            "0, 2026-03-09T12:00:00Z, NONE",     // a start stamped while grace was on does not keep it on
            "0, 2020-01-01T00:00:00Z, NONE",
            "14, 2026-03-09T12:00:00Z, ACTIVE"})
    void aStoredStartGivesGraceOnlyWhileTheConfigDoes(int graceDays, Instant start, GracePeriod.State expected) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.GRACE_DAYS, String.valueOf(graceDays)));

        GracePeriod.Status status = GracePeriod.evaluate(config, Optional.of(GraceRecord.startedAt(start)), NOW);

        assertEquals(expected, status.state());
        assertEquals(expected == GracePeriod.State.NONE ? Optional.empty() : Optional.of(start.plusSeconds(graceDays * 86_400L)),
                status.deadline());
        assertEquals(Optional.empty(), status.startToStore());
        assertEquals(Optional.empty(), status.problem());
    }

    @Test
    void aRecordWithoutAStartIsNotUsableEvenWithoutAReadProblem() {
        GraceRecord noStart = new GraceRecord(null, Optional.empty(), Optional.empty());

        GracePeriod.Status status = GracePeriod.evaluate(GroupTotpConfig.DEFAULTS, Optional.of(noStart), NOW);

        assertEquals(GracePeriod.State.EXPIRED, status.state());
        assertEquals(Optional.of("the grace record has no start"), status.problem());
        assertEquals(Optional.empty(), status.deadline());
        assertEquals(Optional.empty(), status.startToStore(), "reported, not overwritten");
    }

    static Stream<Arguments> activeOnlyBeforeTheDeadline() {
        return Stream.of(
                Arguments.of("in grace", GroupTotpConfig.DEFAULTS, Optional.of(GraceRecord.startedAt(NOW.minusSeconds(86_400))), true),
                Arguments.of("first seen now", GroupTotpConfig.DEFAULTS, Optional.empty(), true),
                Arguments.of("deadline passed", GroupTotpConfig.DEFAULTS, Optional.of(GraceRecord.startedAt(Instant.parse("2020-01-01T00:00:00Z"))), false),
                Arguments.of("no grace configured", GroupTotpConfig.from(Map.of(GroupTotpConfig.GRACE_DAYS, "0")), Optional.empty(), false),
                Arguments.of("unreadable record", GroupTotpConfig.DEFAULTS, Optional.of(GraceRecord.unreadable("bad json")), false));
    }

    @ParameterizedTest(name = "{0} -> active={3}")
    @MethodSource("activeOnlyBeforeTheDeadline")
    void activeMeansTheUserMayStillSkip(String why, GroupTotpConfig config, Optional<GraceRecord> stored, boolean active) {
        GracePeriod.Status status = GracePeriod.evaluate(config, stored, NOW);

        assertEquals(active, status.active(), why);
        assertEquals(active, status.state() == GracePeriod.State.ACTIVE, why);
    }
}
