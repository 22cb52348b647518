package io.github.grouptotp.policy;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admin-console settings of one "Group TOTP policy" step, typed.
 *
 * <p>Keys are the contract with admins and with exported realms; do not rename them. A key that was never
 * saved takes its default; a group key saved empty means "no groups". Keycloak 26.7 cannot refuse an
 * authenticator config when it is saved, so a value out of range is replaced by its safe value and described
 * in {@link #problems()} for the step to log.
 *
 * @param reminderDays days before the deadline on which a user in the grace period is reminded by e-mail, largest
 *                     first; empty for no reminders
 * @param resetPassRequired an admin's reset through the REST endpoint hands out a one-time pass that the next login
 *                     asks before a new authenticator is set up ({@code resetPass=required}); off: as without a pass
 * @param resetPassHours hours for which such a pass is valid
 * @param acceptedFactors the second factors that count ({@code acceptedFactors}: otp, webauthn, passkey; default all)
 * @param phishingResistantGroups groups whose members need a security key or a passkey (subgroups count)
 * @param problems     one sentence per unusable value, naming the key and the value; empty when all is well
 */
public record GroupTotpConfig(List<String> requiredGroups, List<String> optionalGroups, List<String> exemptGroups,
                              int rememberHours, int graceDays, Optional<LocalDate> enforcementDate,
                              boolean recoveryCodes, List<Integer> reminderDays, boolean resetPassRequired,
                              int resetPassHours, Set<SecondFactor> acceptedFactors, List<String> phishingResistantGroups,
                              List<String> problems) {

    public static final String REQUIRED_GROUPS = "requiredGroups";
    public static final String OPTIONAL_GROUPS = "optionalGroups";
    public static final String EXEMPT_GROUPS = "exemptGroups";
    public static final String REMEMBER_HOURS = "rememberHours";
    public static final String GRACE_DAYS = "graceDays";
    public static final String ENFORCEMENT_DATE = "enforcementDate";
    public static final String RECOVERY_CODES = "recoveryCodes";
    public static final String REMINDER_DAYS = "reminderDays";
    public static final String RESET_PASS = "resetPass";
    public static final String RESET_PASS_HOURS = "resetPassHours";
    public static final String ACCEPTED_FACTORS = "acceptedFactors";
    public static final String PHISHING_RESISTANT_GROUPS = "phishingResistantGroups";

    public static final String DEFAULT_REQUIRED_GROUPS = "/staff";
    public static final String DEFAULT_OPTIONAL_GROUPS = "/extranet";
    public static final String DEFAULT_EXEMPT_GROUPS = "";
    public static final String DEFAULT_PHISHING_RESISTANT_GROUPS = "";
    /** Every factor counts unless the admin says otherwise. */
    public static final Set<SecondFactor> DEFAULT_ACCEPTED_FACTORS = Collections.unmodifiableSet(EnumSet.allOf(SecondFactor.class));
    /** Used when no accepted factor can be read: the phishing-resistant ones, the strictest set anyone could have meant. */
    public static final Set<SecondFactor> SAFE_ACCEPTED_FACTORS = Collections.unmodifiableSet(EnumSet.of(SecondFactor.WEBAUTHN, SecondFactor.PASSKEY));
    public static final int DEFAULT_REMEMBER_HOURS = 8;
    public static final int MAX_REMEMBER_HOURS = 720;
    /** Used instead of an unusable {@code rememberHours}: asking at every login is the safe side. */
    public static final int SAFE_REMEMBER_HOURS = 0;
    public static final int DEFAULT_GRACE_DAYS = 14;
    public static final int MAX_GRACE_DAYS = 365;
    /** Used instead of an unusable grace setting: no grace is the safe side. */
    public static final int NO_GRACE = 0;

    public static final boolean DEFAULT_RECOVERY_CODES = true;
    public static final String DEFAULT_REMINDER_DAYS = "7,1";
    public static final String RESET_PASS_REQUIRED = "required";
    public static final String RESET_PASS_OFF = "off";
    public static final int DEFAULT_RESET_PASS_HOURS = 24;
    public static final int MAX_RESET_PASS_HOURS = 168;

    /** How Keycloak joins the values of a multivalued config property. */
    static final String MULTIVALUE_SEPARATOR = "##";

    public static final GroupTotpConfig DEFAULTS = from(null);

    public GroupTotpConfig {
        requiredGroups = List.copyOf(requiredGroups);
        optionalGroups = List.copyOf(optionalGroups);
        exemptGroups = List.copyOf(exemptGroups);
        reminderDays = List.copyOf(reminderDays);
        acceptedFactors = Collections.unmodifiableSet(acceptedFactors.isEmpty() ? EnumSet.noneOf(SecondFactor.class) : EnumSet.copyOf(acceptedFactors));
        phishingResistantGroups = List.copyOf(phishingResistantGroups);
        problems = List.copyOf(problems);
    }

    /**
     * What meets the policy for a member of a phishing-resistant group: the accepted security keys and passkeys, or
     * both when the admin accepted neither (the group's own setting is the stricter one, and wins).
     */
    public Set<SecondFactor> phishingResistantFactors() {
        EnumSet<SecondFactor> factors = EnumSet.copyOf(SAFE_ACCEPTED_FACTORS);
        factors.retainAll(acceptedFactors);
        return factors.isEmpty() ? SAFE_ACCEPTED_FACTORS : Collections.unmodifiableSet(factors);
    }

    /** What meets the policy for a user: the accepted factors, or {@link #phishingResistantFactors} for a member of such a group. */
    public Set<SecondFactor> satisfying(boolean phishingResistantMember) {
        return phishingResistantMember ? phishingResistantFactors() : acceptedFactors;
    }

    /** Whether required users who have not enrolled may still skip for a while. */
    public boolean graceConfigured() {
        return graceDays > 0 || enforcementDate.isPresent();
    }

    /**
     * Reads the stored config of a step; {@code null} (a step never configured) gives the defaults. In a saved config
     * a group list that is missing is empty: that is how Keycloak stores a list the admin emptied.
     */
    public static GroupTotpConfig from(Map<String, String> stored) {
        Map<String, String> values = stored == null ? Map.of() : stored;
        List<String> problems = new ArrayList<>();
        int rememberHours = wholeNumber(values, REMEMBER_HOURS, DEFAULT_REMEMBER_HOURS, MAX_REMEMBER_HOURS, SAFE_REMEMBER_HOURS, problems);
        int problemsBeforeGrace = problems.size();
        int graceDays = wholeNumber(values, GRACE_DAYS, DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS, NO_GRACE, problems);
        Optional<LocalDate> enforcementDate = date(values, ENFORCEMENT_DATE, problems);
        if (problems.size() > problemsBeforeGrace) {
            // Either grace setting unusable: no grace at all, rather than guessing which one the admin meant.
            graceDays = NO_GRACE;
            enforcementDate = Optional.empty();
        }
        Set<SecondFactor> accepted = acceptedFactors(values.get(ACCEPTED_FACTORS), problems);
        List<String> phishingResistantGroups = groupPaths(groupSetting(stored, PHISHING_RESISTANT_GROUPS, DEFAULT_PHISHING_RESISTANT_GROUPS));
        if (!phishingResistantGroups.isEmpty() && accepted.stream().noneMatch(SecondFactor::phishingResistant)) {
            problems.add(String.format("%s lists groups but %s accepts neither webauthn nor passkey; their members may use "
                    + "a security key or a passkey all the same", PHISHING_RESISTANT_GROUPS, ACCEPTED_FACTORS));
        }
        return new GroupTotpConfig(
                groupPaths(groupSetting(stored, REQUIRED_GROUPS, DEFAULT_REQUIRED_GROUPS)),
                groupPaths(groupSetting(stored, OPTIONAL_GROUPS, DEFAULT_OPTIONAL_GROUPS)),
                groupPaths(groupSetting(stored, EXEMPT_GROUPS, DEFAULT_EXEMPT_GROUPS)),
                rememberHours, graceDays, enforcementDate, flag(values, RECOVERY_CODES, DEFAULT_RECOVERY_CODES, problems),
                reminderDays(values.get(REMINDER_DAYS), problems), resetPassRequired(values.get(RESET_PASS), problems),
                resetPassHours(values.get(RESET_PASS_HOURS), problems), accepted, phishingResistantGroups, problems);
    }

    /**
     * The factor names, as the console's multivalued list stores them ({@code ##}) or comma-separated; missing or
     * empty means all (a config saved before the setting existed keeps every factor). A name that is no factor is
     * reported and ignored; when none is left, only the phishing-resistant ones count: a typo must not let an app
     * satisfy an admin who meant to accept security keys only.
     */
    private static Set<SecondFactor> acceptedFactors(String stored, List<String> problems) {
        if (stored == null || stored.replace(MULTIVALUE_SEPARATOR, "").replace(",", "").isBlank()) {
            return DEFAULT_ACCEPTED_FACTORS;
        }
        EnumSet<SecondFactor> accepted = EnumSet.noneOf(SecondFactor.class);
        List<String> unknown = new ArrayList<>();
        for (String name : stored.replace(MULTIVALUE_SEPARATOR, ",").split(",")) {
            String trimmed = name.trim();
            if (!trimmed.isEmpty()) {
                SecondFactor.ofConfigName(trimmed).ifPresentOrElse(accepted::add, () -> unknown.add(trimmed));
            }
        }
        if (accepted.isEmpty()) {
            problems.add(String.format("%s '%s' names no second factor (otp, webauthn, passkey); accepting webauthn and passkey only",
                    ACCEPTED_FACTORS, stored));
            return SAFE_ACCEPTED_FACTORS;
        }
        if (!unknown.isEmpty()) {
            problems.add(String.format("%s: %s %s no second factor (otp, webauthn, passkey) and %s ignored", ACCEPTED_FACTORS,
                    String.join(", ", unknown), unknown.size() == 1 ? "is" : "are", unknown.size() == 1 ? "is" : "are"));
        }
        return accepted;
    }

    /**
     * A group list of a saved config: Keycloak does not store an empty value (it drops the key when a config is saved),
     * so in a saved config a missing key is a list the admin emptied; only a step never configured gets the default.
     */
    private static String groupSetting(Map<String, String> stored, String key, String defaultValue) {
        return stored == null ? defaultValue : stored.getOrDefault(key, "");
    }

    /** Anything but a clear "off" asks for the pass: a typo must not let a password alone enrol a new phone. */
    private static boolean resetPassRequired(String stored, List<String> problems) {
        if (stored == null || stored.isBlank() || stored.trim().equalsIgnoreCase(RESET_PASS_REQUIRED)) {
            return true;
        }
        if (stored.trim().equalsIgnoreCase(RESET_PASS_OFF)) {
            return false;
        }
        problems.add(String.format("%s '%s' is not %s or %s; using %s", RESET_PASS, stored, RESET_PASS_REQUIRED, RESET_PASS_OFF,
                RESET_PASS_REQUIRED));
        return true;
    }

    /** Hours from 1 to {@value #MAX_RESET_PASS_HOURS}; anything else is the default, so a reset never hands out a useless pass. */
    private static int resetPassHours(String stored, List<String> problems) {
        if (stored == null || stored.isBlank()) {
            return DEFAULT_RESET_PASS_HOURS;
        }
        try {
            int hours = Integer.parseInt(stored.trim());
            if (hours >= 1 && hours <= MAX_RESET_PASS_HOURS) {
                return hours;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add(String.format("%s '%s' is not a whole number from 1 to %d; using %d", RESET_PASS_HOURS, stored,
                MAX_RESET_PASS_HOURS, DEFAULT_RESET_PASS_HOURS));
        return DEFAULT_RESET_PASS_HOURS;
    }

    /**
     * Whole days from 1 to {@link #MAX_GRACE_DAYS}, comma-separated, largest first; saved empty means no reminders.
     * Anything unusable also means none: a wrong setting must not mail thousands of people on a day nobody chose.
     */
    private static List<Integer> reminderDays(String stored, List<String> problems) {
        String raw = stored == null ? DEFAULT_REMINDER_DAYS : stored;
        if (raw.isBlank()) {
            return List.of();
        }
        List<Integer> days = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            try {
                int day = Integer.parseInt(part.trim());
                if (day >= 1 && day <= MAX_GRACE_DAYS) {
                    days.add(day);
                    continue;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            problems.add(String.format("%s '%s' is not a comma-separated list of whole days from 1 to %d; no reminders are sent",
                    REMINDER_DAYS, raw, MAX_GRACE_DAYS));
            return List.of();
        }
        return days.stream().distinct().sorted(Comparator.reverseOrder()).toList();
    }

    /** An unusable flag is off: recovery codes are a second way in, so they are only handed out when clearly wanted. */
    private static boolean flag(Map<String, String> values, String key, boolean defaultValue, List<String> problems) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        String value = raw.trim();
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        problems.add(String.format("%s '%s' is not true or false; using false", key, raw));
        return false;
    }

    private static Optional<LocalDate> date(Map<String, String> values, String key, List<String> problems) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(raw.trim(), DateTimeFormatter.ISO_LOCAL_DATE));
        } catch (DateTimeParseException e) {
            problems.add(String.format("%s '%s' is not a date like 2026-12-31; no grace period is given", key, raw));
            return Optional.empty();
        }
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
