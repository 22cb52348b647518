package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReminderScheduleTest {

    @ParameterizedTest(name = "days {0}, {1} days left, sent [{2}] -> {3}")
    @CsvSource(delimiter = '|', value = {
            // too early, on the day, late, and after the deadline
            "7,1|14|''|none",
            "7,1|8|''|none",
            "7,1|7|''|7",
            "7,1|5|''|7",
            "7,1|2|''|7",
            "7,1|1|''|1",
            "7,1|0|''|none",
            // already sent: once per reminder day, never an earlier one after a later one
            "7,1|7|7|none",
            "7,1|3|7|none",
            "7,1|1|7|1",
            "7,1|1|1|none",
            "7,1|1|7,1|none",
            // a run missed on day 7 and day 1: one reminder, the 1-day one
            "7,1|1|''|1",
            // one reminder day, or none configured
            "3|10|''|none",
            "3|3|''|3",
            "''|3|''|none",
            // a record for a later day (deadline moved back and not cleared) never brings an earlier one back
            "14,7,1|7|1|none"})
    void dueReminder(String configured, long daysLeft, String sent, String expected) {
        Optional<Integer> due = ReminderSchedule.due(days(configured), daysLeft, Set.copyOf(days(sent)));

        assertEquals(expected.equals("none") ? Optional.empty() : Optional.of(Integer.valueOf(expected)), due);
    }

    private static List<Integer> days(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.stream(csv.split(",")).map(Integer::valueOf).collect(Collectors.toList());
    }
}
