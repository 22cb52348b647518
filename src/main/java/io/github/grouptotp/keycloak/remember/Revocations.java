package io.github.grouptotp.keycloak.remember;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/**
 * When every remembered browser of a user was revoked by something Keycloak itself leaves no trace of in the user:
 * a sign-out of all devices, the user being disabled. Kept, like the grace record, as a credential of the
 * extension's own type ({@value #CREDENTIAL_TYPE}, data {@code {"before": "..."}}) that the user cannot touch.
 * Password and OTP changes need no record (the cookie's credentials fingerprint shows them), nor admin and realm
 * sign-outs (Keycloak's not-before times).
 */
public final class Revocations {

    public static final String CREDENTIAL_TYPE = "group-totp-remember-revoked";
    private static final String BEFORE = "before";

    private Revocations() {
    }

    /** Remembered browsers issued before this instant do not count; {@link Instant#EPOCH} if none was revoked. */
    public static Instant revokedBefore(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE)
                .map(Revocations::before)
                .max(Instant::compareTo)
                .orElse(Instant.EPOCH);
    }

    /** Ends every remembered browser of the user issued up to now. */
    public static void revokeAll(UserModel user, Instant now) {
        user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE).toList()
                .forEach(c -> user.credentialManager().removeStoredCredentialById(c.getId()));
        CredentialModel record = new CredentialModel();
        record.setType(CREDENTIAL_TYPE);
        record.setCreatedDate(Time.currentTimeMillis());
        record.setUserLabel("Remembered browsers revoked");
        try {
            record.setCredentialData(JsonSerialization.writeValueAsString(Map.of(BEFORE, now.toString())));
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
        user.credentialManager().createStoredCredential(record);
    }

    /** A record that cannot be read revokes everything: it was written to revoke. */
    private static Instant before(CredentialModel record) {
        try {
            Object before = JsonSerialization.readValue(record.getCredentialData(), Map.class).get(BEFORE);
            return before instanceof String text ? Instant.parse(text) : Instant.MAX;
        } catch (IOException | RuntimeException e) {
            return Instant.MAX;
        }
    }
}
