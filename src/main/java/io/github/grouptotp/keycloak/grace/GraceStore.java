package io.github.grouptotp.keycloak.grace;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.credentials.ExtensionRecords;
import io.github.grouptotp.keycloak.credentials.RecordType;
import io.github.grouptotp.policy.GraceRecord;

/**
 * Where a user's grace period lives: a record of the extension's own credential type {@value #CREDENTIAL_TYPE}
 * ({@code {"start": "...", "until": "..."}}), out of the user's reach, whatever the realm's unmanaged-attribute policy.
 * Admins change it through the extension's admin resource. An unreadable record counts as grace over.
 */
public final class GraceStore {

    public static final String CREDENTIAL_TYPE = "group-totp-grace";

    public static final RecordType<GraceRecord> TYPE = new RecordType<>(CREDENTIAL_TYPE) {
        @Override
        protected String what() {
            return "the grace record";
        }

        @Override
        protected String label(GraceRecord record) {
            return "Two-step verification grace period";
        }

        @Override
        protected Map<String, Object> data(GraceRecord record) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("start", record.start().toString());
            record.until().ifPresent(until -> data.put("until", until.toString()));
            return data;
        }

        @Override
        protected GraceRecord parse(Map<?, ?> data, StoredRecord stored) {
            if (!(data.get("start") instanceof String start)) {
                return unreadable("the grace record has no start");
            }
            Object until = data.get("until");
            if (until != null && !(until instanceof String)) {
                return unreadable("the grace record's deadline is not a date");
            }
            return new GraceRecord(Instant.parse(start), Optional.ofNullable((String) until).map(Instant::parse), Optional.empty());
        }

        @Override
        protected GraceRecord unreadable(String why) {
            return GraceRecord.unreadable(why);
        }
    };

    private GraceStore() {
    }

    /**
     * The user's grace record, if any. Should two logins have stamped a start at the same moment, the earliest
     * counts; an unreadable record wins over readable ones (the grace period then counts as over).
     */
    public static Optional<GraceRecord> read(UserModel user) {
        return ExtensionRecords.read(user, TYPE).stream().min(STRICTEST_FIRST);
    }

    /** Of two records of one user, the one that counts: unreadable first, then the earliest start. */
    public static final Comparator<GraceRecord> STRICTEST_FIRST = Comparator
            .comparing((GraceRecord r) -> r.problem().isPresent() ? 0 : 1)
            .thenComparing(GraceRecord::start, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** Stamps the start of the user's grace period; only called when none is stored. */
    public static void stamp(UserModel user, Instant start) {
        ExtensionRecords.add(user, TYPE, GraceRecord.startedAt(start));
    }

    /** Replaces the user's grace period with one an admin granted. */
    public static void grant(UserModel user, Instant start, Instant until) {
        ExtensionRecords.replace(user, TYPE, GraceRecord.granted(start, until));
    }

    /** A grace record from its stored data, as the report reads it in bulk. */
    public static GraceRecord parse(String credentialData) {
        return ExtensionRecords.parse(TYPE, credentialData);
    }
}
