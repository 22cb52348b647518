package io.github.grouptotp.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The admin-console settings of one "Group TOTP policy" step, typed.
 *
 * <p>Keys are the contract with admins and with exported realms; do not rename them. A key that was never
 * saved takes its default; a key saved empty means "no groups".
 */
public record GroupTotpConfig(List<String> requiredGroups, List<String> optionalGroups, List<String> exemptGroups) {

    public static final String REQUIRED_GROUPS = "requiredGroups";
    public static final String OPTIONAL_GROUPS = "optionalGroups";
    public static final String EXEMPT_GROUPS = "exemptGroups";

    public static final String DEFAULT_REQUIRED_GROUPS = "/staff";
    public static final String DEFAULT_OPTIONAL_GROUPS = "/extranet";
    public static final String DEFAULT_EXEMPT_GROUPS = "";

    /** How Keycloak joins the values of a multivalued config property. */
    static final String MULTIVALUE_SEPARATOR = "##";

    public static final GroupTotpConfig DEFAULTS = from(Map.of());

    public GroupTotpConfig {
        requiredGroups = List.copyOf(requiredGroups);
        optionalGroups = List.copyOf(optionalGroups);
        exemptGroups = List.copyOf(exemptGroups);
    }

    /** Reads the stored config of a step; {@code null} (a step never configured) gives the defaults. */
    public static GroupTotpConfig from(Map<String, String> stored) {
        Map<String, String> values = stored == null ? Map.of() : stored;
        return new GroupTotpConfig(
                groupPaths(values.getOrDefault(REQUIRED_GROUPS, DEFAULT_REQUIRED_GROUPS)),
                groupPaths(values.getOrDefault(OPTIONAL_GROUPS, DEFAULT_OPTIONAL_GROUPS)),
                groupPaths(values.getOrDefault(EXEMPT_GROUPS, DEFAULT_EXEMPT_GROUPS)));
    }

    private static List<String> groupPaths(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(MULTIVALUE_SEPARATOR))
                .map(String::trim)
                .filter(path -> !path.isEmpty())
                .distinct()
                .toList();
    }
}
