package io.github.grouptotp.keycloak.grace;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.credentials.ExtensionRecords;
import io.github.grouptotp.keycloak.credentials.RecordType;

/**
 * Which e-mail reminders a user was sent before which deadline: a record of the extension's own credential type
 * {@value #CREDENTIAL_TYPE} ({@code {"deadline": "...", "days": [7, 1]}}), out of the user's reach like the grace
 * record. Reminders sent before another deadline do not count: a new grace period or a reset starts afresh. An
 * unreadable record counts as no reminder sent; the next reminder replaces it. It lives beside the grace record because
 * it belongs to a grace deadline: the reminders write it, a grant or a reset clears it, the rollout summary reads it.
 *
 * @param deadline the deadline the reminders were for; null for an unreadable record
 * @param days     the reminder days sent
 */
public record ReminderRecord(Instant deadline, Set<Integer> days) {

    public static final String CREDENTIAL_TYPE = "group-totp-reminded";

    static final RecordType<ReminderRecord> TYPE = new RecordType<>(CREDENTIAL_TYPE) {
        @Override
        protected String label(ReminderRecord record) {
            return "Two-step verification reminders sent";
        }

        @Override
        protected Map<String, Object> data(ReminderRecord record) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("deadline", record.deadline().toString());
            data.put("days", List.copyOf(record.days()));
            return data;
        }

        @Override
        protected ReminderRecord parse(Map<?, ?> data, StoredRecord stored) {
            if (!(data.get("deadline") instanceof String deadline) || !(data.get("days") instanceof List<?> days)) {
                return unreadable("the reminder record has no deadline or days");
            }
            return new ReminderRecord(Instant.parse(deadline), days.stream().filter(Integer.class::isInstance)
                    .map(Integer.class::cast).collect(Collectors.toCollection(TreeSet::new)));
        }

        @Override
        protected ReminderRecord unreadable(String why) {
            return new ReminderRecord(null, Set.of());
        }
    };

    public ReminderRecord {
        days = Collections.unmodifiableSortedSet(new TreeSet<>(days));
    }

    /** The reminder days this record says were sent before {@code deadline}. */
    Set<Integer> sentFor(Instant target) {
        return target.equals(deadline) ? new TreeSet<>(days) : Set.of();
    }

    /** The reminder days the user was sent before this deadline. */
    public static Set<Integer> sentFor(UserModel user, Instant deadline) {
        return ExtensionRecords.read(user, TYPE).stream()
                .flatMap(record -> record.sentFor(deadline).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The reminder days in a stored record (its credential data), if it is for this deadline; as the report reads them in bulk. */
    public static Set<Integer> sentFor(String credentialData, Instant deadline) {
        return ExtensionRecords.parse(TYPE, credentialData).sentFor(deadline);
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
        ExtensionRecords.remove(user, TYPE);
    }

    private static void store(UserModel user, Instant deadline, Set<Integer> days) {
        if (days.isEmpty()) {
            clear(user);
        } else {
            ExtensionRecords.replace(user, TYPE, new ReminderRecord(deadline, new TreeSet<>(days)));
        }
    }
}
