package io.github.grouptotp.keycloak.grace;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

import io.github.grouptotp.policy.GraceRecord;

/**
 * Where a user's grace period lives: a credential of the extension's own type {@value #CREDENTIAL_TYPE}, out of
 * the user's reach. Users cannot create, change or remove stored credentials through the account console, the
 * account REST API, registration or profile forms, whatever the realm's unmanaged-attribute policy (the credential
 * type has no set-up action and is not removable, see {@link io.github.grouptotp.keycloak.ExtensionCredentialProvider}); admins change it through
 * the extension's admin resource. It is cached, exported and imported with the user like any credential.
 */
public final class GraceStore {

    public static final String CREDENTIAL_TYPE = "group-totp-grace";
    private static final String START = "start";
    private static final String UNTIL = "until";

    private GraceStore() {
    }

    /**
     * The user's grace record, if any. Should two logins have stamped a start at the same moment, the earliest
     * counts; a record that cannot be read is returned as unreadable (the grace period then counts as over).
     */
    public static Optional<GraceRecord> read(UserModel user) {
        List<CredentialModel> stored = user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE).toList();
        return stored.stream()
                .map(GraceStore::parse)
                .min(Comparator.comparing((GraceRecord r) -> r.problem().isPresent() ? 0 : 1)
                        .thenComparing(GraceRecord::start, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /** Stamps the start of the user's grace period; only called when none is stored. */
    public static void stamp(UserModel user, Instant start) {
        user.credentialManager().createStoredCredential(credential(GraceRecord.startedAt(start)));
    }

    /** Replaces the user's grace period with one an admin granted. */
    public static void grant(UserModel user, Instant start, Instant until) {
        remove(user);
        user.credentialManager().createStoredCredential(credential(GraceRecord.granted(start, until)));
    }

    public static void remove(UserModel user) {
        user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE).toList()
                .forEach(c -> user.credentialManager().removeStoredCredentialById(c.getId()));
    }

    static GraceRecord parse(CredentialModel credential) {
        return parse(credential.getCredentialData());
    }

    /** A grace record from its stored data (the credential's data), as the report reads it in bulk. */
    public static GraceRecord parse(String credentialData) {
        try {
            Map<?, ?> data = JsonSerialization.readValue(credentialData, Map.class);
            Object start = data.get(START);
            Object until = data.get(UNTIL);
            if (!(start instanceof String startText)) {
                return GraceRecord.unreadable("the grace record has no start");
            }
            if (until != null && !(until instanceof String)) {
                return GraceRecord.unreadable("the grace record's deadline is not a date");
            }
            return new GraceRecord(Instant.parse(startText),
                    Optional.ofNullable((String) until).map(Instant::parse), Optional.empty());
        } catch (IOException | RuntimeException e) {
            // Never the stored text: it would put whatever is in the record into the log.
            return GraceRecord.unreadable("the grace record is not readable (" + e.getClass().getSimpleName() + ")");
        }
    }

    static CredentialModel credential(GraceRecord record) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(START, record.start().toString());
        record.until().ifPresent(until -> data.put(UNTIL, until.toString()));
        CredentialModel credential = new CredentialModel();
        credential.setType(CREDENTIAL_TYPE);
        credential.setCreatedDate(Time.currentTimeMillis());
        credential.setUserLabel("Two-step verification grace period");
        try {
            credential.setCredentialData(JsonSerialization.writeValueAsString(data));
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
        return credential;
    }
}
