package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupTotpConfigTest {

    @Test
    void unconfiguredStepUsesTheDocumentedDefaults() {
        GroupTotpConfig config = GroupTotpConfig.from(null);

        assertEquals(List.of("/staff"), config.requiredGroups());
        assertEquals(List.of("/extranet"), config.optionalGroups());
        assertEquals(List.of(), config.exemptGroups());
        assertEquals(config, GroupTotpConfig.DEFAULTS);
    }

    @Test
    void aGroupListMissingFromASavedConfigIsEmptyAsKeycloakStoresAnEmptiedOne() {
        // Keycloak drops empty values when it stores a config: an emptied list arrives as a missing key.
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REMEMBER_HOURS, "4"));

        assertEquals(List.of(), config.requiredGroups());
        assertEquals(List.of(), config.optionalGroups());
        assertEquals(List.of(), config.exemptGroups());
        assertEquals(4, config.rememberHours());
    }

    @Test
    void savedEmptyValueMeansNoGroupsNotTheDefault() {
        Map<String, String> stored = new HashMap<>();
        stored.put(GroupTotpConfig.REQUIRED_GROUPS, "");
        stored.put(GroupTotpConfig.OPTIONAL_GROUPS, null);

        GroupTotpConfig config = GroupTotpConfig.from(stored);

        assertEquals(List.of(), config.requiredGroups());
        assertEquals(List.of(), config.optionalGroups());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "/staff##/admins|/staff,/admins",
            " /staff ## /admins ##|/staff,/admins",
            "/staff##/staff|/staff",
            "/staff/doctors|/staff/doctors",
            "####|''"})
    void multivaluedPathsAreSplitTrimmedAndDeduplicated(String stored, String expected) {
        List<String> expectedPaths = expected.isEmpty() ? List.of() : List.of(expected.split(","));

        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REQUIRED_GROUPS, stored));

        assertEquals(expectedPaths, config.requiredGroups());
    }

    @ParameterizedTest(name = "rememberHours \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {"0|0", "1|1", "8|8", "720|720", " 12 |12"})
    void rememberHoursInRange(String stored, int expected) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REMEMBER_HOURS, stored));

        assertEquals(expected, config.rememberHours());
        assertEquals(List.of(), config.problems());
    }

    @ParameterizedTest(name = "rememberHours \"{0}\"")
    @CsvSource(delimiter = '|', value = {"-1", "721", "eight", "8.5", "99999999999"})
    void unusableRememberHoursMeansAskEveryTimeAndIsReportedWithTheValue(String stored) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REMEMBER_HOURS, stored));

        assertEquals(0, config.rememberHours());
        assertEquals(List.of("rememberHours '" + stored + "' is not a whole number from 0 to 720; using 0"), config.problems());
    }

    @Test
    void rememberHoursDefaultsToEight() {
        assertEquals(8, GroupTotpConfig.DEFAULTS.rememberHours());
        assertEquals(8, GroupTotpConfig.from(Map.of(GroupTotpConfig.REMEMBER_HOURS, "")).rememberHours());
    }

    @ParameterizedTest(name = "reminderDays \"{0}\" -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "7,1|7,1",
            "1,7|7,1",
            " 14 , 7 ,1 |14,7,1",
            "3|3",
            "7,7,1|7,1",
            "365|365",
            "''|''"})
    void reminderDaysAreWholeDaysLargestFirst(String stored, String expected) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REMINDER_DAYS, stored));

        assertEquals(days(expected), config.reminderDays());
        assertEquals(List.of(), config.problems());
    }

    @Test
    void reminderDaysDefaultToAWeekAndADayBefore() {
        assertEquals(List.of(7, 1), GroupTotpConfig.DEFAULTS.reminderDays());
    }

    @ParameterizedTest(name = "reminderDays \"{0}\" -> none, logged")
    @CsvSource(delimiter = '|', value = {"0", "-1", "366", "seven", "7;1", "7,,1", "7,", "1.5"})
    void unusableReminderDaysMeanNoReminders(String stored) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REMINDER_DAYS, stored));

        assertEquals(List.of(), config.reminderDays());
        assertEquals(1, config.problems().size());
        assertEquals(true, config.problems().get(0).startsWith("reminderDays '" + stored + "'"), config.problems().get(0));
    }

    @Test
    void aResetPassIsRequiredForADayByDefault() {
        assertEquals(true, GroupTotpConfig.DEFAULTS.resetPassRequired());
        assertEquals(24, GroupTotpConfig.DEFAULTS.resetPassHours());
    }

    @ParameterizedTest(name = "resetPass \"{0}\", resetPassHours \"{1}\" -> {2}, {3} h, {4} problems")
    @CsvSource(delimiter = '|', value = {"required|1|true|1|0", "off|168|false|168|0", "OFF|24|false|24|0",
            "no|24|true|24|1", "required|0|true|24|1", "required|169|true|24|1", "required|two|true|24|1", "|  |true|24|0"})
    void resetPassSettings(String pass, String hours, boolean required, int expectedHours, int problems) {
        Map<String, String> stored = new HashMap<>();
        stored.put(GroupTotpConfig.RESET_PASS, pass == null ? "" : pass);
        stored.put(GroupTotpConfig.RESET_PASS_HOURS, hours == null ? "" : hours);
        GroupTotpConfig config = GroupTotpConfig.from(stored);

        assertEquals(required, config.resetPassRequired());
        assertEquals(expectedHours, config.resetPassHours());
        assertEquals(problems, config.problems().size(), config.problems().toString());
    }

    private static List<Integer> days(String csv) {
        return csv.isEmpty() ? List.of() : java.util.Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
    }
}
