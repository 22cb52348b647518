package io.github.grouptotp.keycloak.credentials;

import java.time.Instant;
import java.util.Map;

/**
 * One kind of record the extension keeps per user as a credential of its own type, out of the user's reach (see
 * {@link ExtensionCredentialProvider}): its credential type, the shape of its data, and the one rule for a stored
 * record that cannot be read. {@link ExtensionRecords} is the only code that reads and writes them.
 *
 * @param <T> the record as the rest of the extension sees it
 */
public abstract class RecordType<T> {

    private final String credentialType;

    protected RecordType(String credentialType) {
        this.credentialType = credentialType;
    }

    /** The credential type, e.g. {@code group-totp-grace}; a contract with exports and admins. */
    public final String credentialType() {
        return credentialType;
    }

    /** What admins see as the credential's label under Users > user > Credentials. */
    protected abstract String label(T record);

    /** The record's fields, stored as the credential's JSON data. */
    protected abstract Map<String, Object> data(T record);

    /**
     * The record from a stored credential's data; may throw on anything it cannot read.
     *
     * @param stored the credential's id and secret data, for the types that need them
     */
    protected abstract T parse(Map<?, ?> data, StoredRecord stored);

    /**
     * What a stored record that cannot be read counts as: each type's fail-closed rule, in one place.
     *
     * @param why a description without the stored content (it may be anything), for logs
     */
    protected abstract T unreadable(String why);

    /** How a log line names a record of this type, e.g. "the grace record". */
    protected String what() {
        return "the " + credentialType + " record";
    }

    /** Secret data stored with the record (e.g. a hash), or null. */
    protected String secretData(T record) {
        return null;
    }

    /**
     * A record that is one instant in one field, e.g. {@code {"before": "..."}}.
     *
     * @param unreadable what a record that cannot be read counts as
     */
    public static RecordType<Instant> instant(String credentialType, String field, String label, Instant unreadable) {
        return new RecordType<>(credentialType) {
            @Override
            protected String label(Instant value) {
                return label;
            }

            @Override
            protected Map<String, Object> data(Instant value) {
                return Map.of(field, value.toString());
            }

            @Override
            protected Instant parse(Map<?, ?> data, StoredRecord stored) {
                return Instant.parse((String) data.get(field));
            }

            @Override
            protected Instant unreadable(String why) {
                return unreadable;
            }
        };
    }

    /** What the store passes to {@link #parse} besides the data. */
    public record StoredRecord(String id, String secretData) {
    }
}
