package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code recoveryCodes} setting: on by default, a clear true or false as saved, anything else off and reported. */
class GroupTotpConfigRecoveryCodesTest {

    @Test
    void onByDefault() {
        assertEquals(true, GroupTotpConfig.DEFAULTS.recoveryCodes());
    }

    @ParameterizedTest(name = "recoveryCodes \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {"true|true", "TRUE|true", " true |true", "false|false", "False|false", " false |false",
            "''|true", "'   '|true"})
    void aClearValueOrBlank(String stored, boolean expected) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.RECOVERY_CODES, stored));

        assertEquals(expected, config.recoveryCodes());
        assertEquals(List.of(), config.problems());
    }

    @ParameterizedTest(name = "recoveryCodes \"{0}\" -> off, reported")
    @ValueSource(strings = {"yes", "on", "1", "truee", "t"})
    void anythingElseIsOffAndReportedWithTheValue(String stored) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.RECOVERY_CODES, stored));

        assertEquals(false, config.recoveryCodes(), "recovery codes are a second way in: only handed out when clearly wanted");
        assertEquals(List.of("recoveryCodes '" + stored + "' is not true or false; using false"), config.problems());
    }
}
