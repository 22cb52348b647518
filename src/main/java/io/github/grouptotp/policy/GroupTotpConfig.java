package io.github.grouptotp.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The admin-console settings of one "Group TOTP policy" step, typed.
 *
 * <p>Keys are the contract with admins and with exported realms; do not rename them. A key that was never
 * saved takes its default; a group key saved empty means "no groups". Keycloak 26.7 cannot refuse an
 * authenticator config when it is saved, so a value out of range is replaced by its safe value and described
 * in {@link #problems()} for the step to log.
 *
 * @param problems one sentence per unusable value, naming the key and the value; empty when all is well
 */
public record GroupTotpConfig(List<String> requiredGroups, List<String> optionalGroups, List<String> exemptGroups,
                              int rememberHours, List<String> problems) {

    public static final String REQUIRED_GROUPS = "requiredGroups";
    public static final String OPTIONAL_GROUPS = "optionalGroups";
    public static final String EXEMPT_GROUPS = "exemptGroups";
    public static final String REMEMBER_HOURS = "rememberHours";

    public static final String DEFAULT_REQUIRED_GROUPS = "/staff";
    public static final String DEFAULT_OPTIONAL_GROUPS = "/extranet";
    public static final String DEFAULT_EXEMPT_GROUPS = "";
    public static final int DEFAULT_REMEMBER_HOURS = 8;
    public static final int MAX_REMEMBER_HOURS = 720;
    /** Used instead of an unusable {@code rememberHours}: asking at every login is the safe side. */
    public static final int SAFE_REMEMBER_HOURS = 0;

    /** How Keycloak joins the values of a multivalued config property. */
    static final String MULTIVALUE_SEPARATOR = "##";

    public static final GroupTotpConfig DEFAULTS = from(Map.of());

    public GroupTotpConfig {
        requiredGroups = List.copyOf(requiredGroups);
        optionalGroups = List.copyOf(optionalGroups);
        exemptGroups = List.copyOf(exemptGroups);
        problems = List.copyOf(problems);
    }

    /** Reads the stored config of a step; {@code null} (a step never configured) gives the defaults. */
    public static GroupTotpConfig from(Map<String, String> stored) {
        Map<String, String> values = stored == null ? Map.of() : stored;
        List<String> problems = new ArrayList<>();
        return new GroupTotpConfig(
                groupPaths(values.getOrDefault(REQUIRED_GROUPS, DEFAULT_REQUIRED_GROUPS)),
                groupPaths(values.getOrDefault(OPTIONAL_GROUPS, DEFAULT_OPTIONAL_GROUPS)),
                groupPaths(values.getOrDefault(EXEMPT_GROUPS, DEFAULT_EXEMPT_GROUPS)),
                wholeNumber(values, REMEMBER_HOURS, DEFAULT_REMEMBER_HOURS, MAX_REMEMBER_HOURS, SAFE_REMEMBER_HOURS, problems),
                problems);
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

    private static int wholeNumber(Map<String, String> values, String key, int defaultValue, int max, int safeValue,
                                   List<String> problems) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add(String.format("%s '%s' is not a whole number from 0 to %d; using %d", key, raw, max, safeValue));
        return safeValue;
    }
}
