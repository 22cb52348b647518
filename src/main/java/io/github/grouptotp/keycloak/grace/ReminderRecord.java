package io.github.grouptotp.keycloak.grace;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/**
 * Which e-mail reminders a user was sent before which deadline: a credential of the extension's own type
 * {@value #CREDENTIAL_TYPE} (data {@code {"deadline": "...", "days": [7, 1]}}), out of the user's reach like the
 * grace record. Reminders sent before another deadline do not count: a new grace period or a reset starts afresh.
 * A record that cannot be read counts as no record; the next reminder replaces it.
 */
public final class ReminderRecord {

    public static final String CREDENTIAL_TYPE = "group-totp-reminded";
    private static final String DEADLINE = "deadline";
    private static final String DAYS = "days";

    private ReminderRecord() {
    }

    /** The reminder days the user was sent before this deadline. */
    public static Set<Integer> sentFor(UserModel user, Instant deadline) {
        return user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE)
                .flatMap(record -> sentFor(record.getCredentialData(), deadline).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The reminder days in a stored record (its credential data), if it is for this deadline; as the report reads them in bulk. */
    public static Set<Integer> sentFor(String credentialData, Instant deadline) {
        try {
            Map<?, ?> data = JsonSerialization.readValue(credentialData, Map.class);
            if (!(data.get(DEADLINE) instanceof String stored) || !deadline.equals(Instant.parse(stored))
                    || !(data.get(DAYS) instanceof List<?> days)) {
                return Set.of();
            }
            return days.stream().filter(Integer.class::isInstance).map(Integer.class::cast).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException | RuntimeException unreadable) {
            return Set.of();
        }
    }

    /** Records that the reminder for {@code day} was sent before {@code deadline}, replacing any record for another deadline. */
    public static void add(UserModel user, Instant deadline, int day) {
        Set<Integer> days = new TreeSet<>(sentFor(user, deadline));
        days.add(day);
        store(user, deadline, days);
    }

    /** Takes back the record of a reminder that could not be sent, so that a later run tries again. */
    public static void retract(UserModel user, Instant deadline, int day) {
        Set<Integer> days = new TreeSet<>(sentFor(user, deadline));
        days.remove(day);
        store(user, deadline, days);
    }

    /** Forgets every reminder sent: the next deadline starts afresh. */
    public static void clear(UserModel user) {
        user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE).toList()
                .forEach(c -> user.credentialManager().removeStoredCredentialById(c.getId()));
    }

    private static void store(UserModel user, Instant deadline, Set<Integer> days) {
        clear(user);
        if (days.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(DEADLINE, deadline.toString());
        data.put(DAYS, List.copyOf(days));
        CredentialModel record = new CredentialModel();
        record.setType(CREDENTIAL_TYPE);
        record.setCreatedDate(Time.currentTimeMillis());
        record.setUserLabel("Two-step verification reminders sent");
        try {
            record.setCredentialData(JsonSerialization.writeValueAsString(data));
        } catch (IOException e) {
            throw new IllegalStateException("a map of a string and numbers is always JSON", e);
        }
        user.credentialManager().createStoredCredential(record);
    }
}
