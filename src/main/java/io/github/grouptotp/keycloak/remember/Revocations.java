package io.github.grouptotp.keycloak.remember;

import java.time.Instant;
import java.util.Map;

import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.credentials.ExtensionRecords;
import io.github.grouptotp.keycloak.credentials.RecordType;

/**
 * When every remembered browser of a user was revoked by something Keycloak itself leaves no trace of in the user:
 * a sign-out of all devices, the user being disabled, the user asking to forget every remembered browser. Kept, like
 * the grace record, as a record of the extension's own credential type {@value #CREDENTIAL_TYPE}
 * ({@code {"before": "..."}}) that the user cannot touch. Password and OTP changes need no record (the cookie's
 * credentials fingerprint shows them), nor admin and realm sign-outs (Keycloak's not-before times).
 */
public final class Revocations {

    public static final String CREDENTIAL_TYPE = "group-totp-remember-revoked";

    static final RecordType<Instant> TYPE = new RecordType<>(CREDENTIAL_TYPE) {
        @Override
        protected String label(Instant before) {
            return "Remembered browsers revoked";
        }

        @Override
        protected Map<String, Object> data(Instant before) {
            return Map.of("before", before.toString());
        }

        @Override
        protected Instant parse(Map<?, ?> data, StoredRecord stored) {
            return Instant.parse((String) data.get("before"));
        }

        /** A record that cannot be read revokes everything: it was written to revoke. */
        @Override
        protected Instant unreadable(String why) {
            return Instant.MAX;
        }
    };

    private Revocations() {
    }

    /** Remembered browsers issued before this instant do not count; {@link Instant#EPOCH} if none was revoked. */
    public static Instant revokedBefore(UserModel user) {
        return ExtensionRecords.read(user, TYPE).stream().max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    /** Ends every remembered browser of the user issued up to now. */
    public static void revokeAll(UserModel user, Instant now) {
        ExtensionRecords.replace(user, TYPE, now);
    }
}
