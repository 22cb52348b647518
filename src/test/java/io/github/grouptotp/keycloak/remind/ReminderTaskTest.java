package io.github.grouptotp.keycloak.remind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The option {@code reminder-interval-seconds}: a whole number of seconds of 1 or more, else an hour. */
class ReminderTaskTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"600, 600", "' 2 ', 2", "1, 1", "86400, 86400"})
    void aWholeNumberOfSecondsIsTheInterval(String option, long seconds) {
        assertEquals(seconds, ReminderTask.intervalSeconds(option));
    }

    @ParameterizedTest(name = "''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {" ", "0", "-5", "ten", "1.5", "99999999999999999999"})
    void anythingElseIsAnHour(String option) {
        assertEquals(ReminderTask.DEFAULT_INTERVAL_SECONDS, ReminderTask.intervalSeconds(option));
    }
}
