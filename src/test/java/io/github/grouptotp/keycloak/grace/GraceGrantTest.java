package io.github.grouptotp.keycloak.grace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.grouptotp.policy.GroupTotpConfig;

/** Which deadlines an admin may grant: the rule behind the 400s of POST .../users/{id}/grace. */
class GraceGrantTest {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final GroupTotpConfig FOURTEEN_DAYS = GroupTotpConfig.from(Map.of(GroupTotpConfig.GRACE_DAYS, "14"));
    private static final GroupTotpConfig NO_GRACE = GroupTotpConfig.from(Map.of(GroupTotpConfig.GRACE_DAYS, "0"));

    @ParameterizedTest(name = "until={0}")
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void withoutADateTheStepsGraceDaysFromNow(String until) {
        assertEquals(Instant.parse("2026-06-15T10:00:00Z"), GraceGrant.deadline(FOURTEEN_DAYS, until, NOW));
    }

    @ParameterizedTest(name = "until={0}")
    @CsvSource({"2026-06-02, 2026-06-02T00:00:00Z", " 2026-12-31 , 2026-12-31T00:00:00Z", "2027-06-01, 2027-06-01T00:00:00Z"})
    void aDateIsForcedFromMidnightUtc(String until, Instant deadline) {
        assertEquals(deadline, GraceGrant.deadline(NO_GRACE, until, NOW));
    }

    @ParameterizedTest(name = "until={0}")
    @ValueSource(strings = {"31-12-2026", "2026-13-01", "tomorrow", "2026-06-01", "2020-01-01", "2027-06-03"})
    void impossibleDatesAreRefused(String until) {
        assertThrows(GraceGrant.Refused.class, () -> GraceGrant.deadline(FOURTEEN_DAYS, until, NOW));
    }

    @ParameterizedTest(name = "until={0}")
    @NullAndEmptySource
    void noDateWhereTheStepGivesNoGraceIsRefused(String until) {
        assertThrows(GraceGrant.Refused.class, () -> GraceGrant.deadline(NO_GRACE, until, NOW));
    }
}
