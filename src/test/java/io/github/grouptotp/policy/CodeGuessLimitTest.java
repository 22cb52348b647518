package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodeGuessLimitTest {

    private static final Instant FIRST = Instant.parse("2026-03-01T09:00:00Z");

    /** {@code count} wrong codes, one a minute from {@link #FIRST}. */
    private static List<Instant> wrongCodes(int count) {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            times.add(FIRST.plusSeconds(60L * i));
        }
        return times;
    }

    @ParameterizedTest(name = "{0} wrong codes counting")
    @ValueSource(ints = {0, 1, 9})
    void belowTheLimitCodesAreChecked(int count) {
        assertEquals(Optional.empty(), CodeGuessLimit.refusedUntil(wrongCodes(count)));
    }

    @ParameterizedTest(name = "{0} wrong codes counting")
    @ValueSource(ints = {10, 11})
    void atTheLimitCodesAreRefusedUntilTheFirstStopsCounting(int count) {
        assertEquals(Optional.of(Instant.parse("2026-03-01T09:15:00Z")), CodeGuessLimit.refusedUntil(wrongCodes(count)));
    }
}
