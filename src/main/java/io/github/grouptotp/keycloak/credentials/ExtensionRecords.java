package io.github.grouptotp.keycloak.credentials;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/**
 * The one store of the extension's per-user records ({@link RecordType}): written through the credential provider the
 * extension registers for the type, read back typed, and an unreadable record turned into its type's fail-closed value
 * here and nowhere else.
 */
public final class ExtensionRecords {

    private ExtensionRecords() {
    }

    /** Every stored record of the type, unreadable ones as their type's fail-closed value. */
    public static <T> List<T> read(UserModel user, RecordType<T> type) {
        return user.credentialManager().getStoredCredentialsByTypeStream(type.credentialType())
                .map(stored -> parse(type, stored.getCredentialData(), new RecordType.StoredRecord(stored.getId(), stored.getSecretData())))
                .toList();
    }

    /** A record from its stored data alone, as bulk reads (the rollout report) get it. */
    public static <T> T parse(RecordType<T> type, String credentialData) {
        return parse(type, credentialData, new RecordType.StoredRecord(null, null));
    }

    private static <T> T parse(RecordType<T> type, String credentialData, RecordType.StoredRecord stored) {
        try {
            Map<?, ?> data = JsonSerialization.readValue(credentialData, Map.class);
            if (data == null) {
                return type.unreadable(type.what() + " has no data");
            }
            return type.parse(data, stored);
        } catch (IOException | RuntimeException e) {
            // Never the stored text: it would put whatever is in the record into a log.
            return type.unreadable(type.what() + " is not readable (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Stores one more record of the type; returns its credential id. */
    public static <T> String add(UserModel user, RecordType<T> type, T record) {
        CredentialModel credential = new CredentialModel();
        credential.setType(type.credentialType());
        credential.setUserLabel(type.label(record));
        credential.setCreatedDate(Time.currentTimeMillis());
        try {
            credential.setCredentialData(JsonSerialization.writeValueAsString(type.data(record)));
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings, numbers and lists is always JSON", e);
        }
        credential.setSecretData(type.secretData(record));
        CredentialModel stored = user.credentialManager().createCredentialThroughProvider(credential);
        return stored == null ? null : stored.getId();
    }

    /** Replaces every record of the type with this one; returns its credential id. */
    public static <T> String replace(UserModel user, RecordType<T> type, T record) {
        remove(user, type);
        return add(user, type, record);
    }

    public static void remove(UserModel user, RecordType<?> type) {
        user.credentialManager().getStoredCredentialsByTypeStream(type.credentialType()).toList()
                .forEach(c -> user.credentialManager().removeStoredCredentialById(c.getId()));
    }
}
