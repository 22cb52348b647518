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
}
