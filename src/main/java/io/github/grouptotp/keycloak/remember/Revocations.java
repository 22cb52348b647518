package io.github.grouptotp.keycloak.remember;

import java.time.Instant;

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

    /** An unreadable record revokes everything: it was written to revoke. */
    static final RecordType<Instant> TYPE = RecordType.instant(CREDENTIAL_TYPE, "before", "Remembered browsers revoked", Instant.MAX);

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
