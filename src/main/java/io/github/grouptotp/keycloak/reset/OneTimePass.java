package io.github.grouptotp.keycloak.reset;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.credential.dto.PasswordSecretData;
import org.keycloak.util.JsonSerialization;

import io.github.grouptotp.keycloak.credentials.RecordType;

/**
 * The one-time pass of an admin's reset: what the help desk reads to the user after checking who is asking, so that
 * the password alone never sets up a new factor. Shown once, in the reset's answer; stored only as a hash made by
 * Keycloak's own password hashing ({@value #HASH}), as a record of the extension's own credential type
 * {@value #CREDENTIAL_TYPE} ({@code {"expires": "...", "algorithm": "...", "hashIterations": n}}), out of the user's
 * reach. {@link PendingReset} decides when it is asked and when it is spent.
 *
 * @param id      the stored record's credential id: a newer reset has another one
 * @param expires until when the pass is valid; {@link Instant#MIN} for a record that cannot be read (fail closed)
 */
public record OneTimePass(String id, Instant expires, PasswordCredentialModel hashed) {

    public static final String CREDENTIAL_TYPE = "group-totp-reset-pass";
    /** No 0/O, 1/I/L: read aloud over the phone without doubt. */
    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private static final int LENGTH = 10;
    private static final String HASH = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    static final RecordType<OneTimePass> TYPE = new RecordType<>(CREDENTIAL_TYPE) {
        @Override
        protected String label(OneTimePass pass) {
            return "One-time pass of a reset, valid until " + pass.expires();
        }

        @Override
        protected Map<String, Object> data(OneTimePass pass) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("expires", pass.expires().toString());
            data.put("algorithm", pass.hashed().getPasswordCredentialData().getAlgorithm());
            data.put("hashIterations", pass.hashed().getPasswordCredentialData().getHashIterations());
            return data;
        }

        @Override
        protected String secretData(OneTimePass pass) {
            return pass.hashed().getSecretData();
        }

        @Override
        protected OneTimePass parse(Map<?, ?> data, StoredRecord stored) {
            PasswordSecretData secret;
            try {
                secret = JsonSerialization.readValue(stored.secretData(), PasswordSecretData.class);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("secret data", e);
            }
            return new OneTimePass(stored.id(), Instant.parse((String) data.get("expires")),
                    PasswordCredentialModel.createFromValues((String) data.get("algorithm"), secret.getSalt(),
                            ((Number) data.get("hashIterations")).intValue(), secret.getValue()));
        }

        /** A pass nobody could have written opens nothing: it counts as expired. */
        @Override
        protected OneTimePass unreadable(String why) {
            return new OneTimePass(null, Instant.MIN, null);
        }
    };

    /** A new pass (as the help desk reads it, {@code ABCDE-FGHJK}) and its record, valid for {@code hours} from {@code now}. */
    public record Issued(String text, OneTimePass record) {
    }

    static Issued generate(KeycloakSession session, Instant now, int hours) {
        StringBuilder pass = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            pass.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        PasswordCredentialModel hashed = hasher(session).encodedCredential(pass.toString(), -1);
        return new Issued(pass.substring(0, LENGTH / 2) + "-" + pass.substring(LENGTH / 2),
                new OneTimePass(null, now.plus(Duration.ofHours(hours)), hashed));
    }

    boolean validAt(Instant now) {
        return hashed != null && now.isBefore(expires);
    }

    /** Whether {@code typed} is this pass; spaces, dashes and case do not matter. Expiry is the caller's check. */
    boolean matches(KeycloakSession session, String typed) {
        if (typed == null || hashed == null) {
            return false;
        }
        String normalized = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (normalized.length() != LENGTH || normalized.chars().anyMatch(c -> ALPHABET.indexOf(c) < 0)) {
            return false;
        }
        try {
            return hasher(session).verify(normalized, hashed);
        } catch (RuntimeException unusable) {
            return false; // a record nobody could have written opens nothing
        }
    }

    private static PasswordHashProvider hasher(KeycloakSession session) {
        return session.getProvider(PasswordHashProvider.class, HASH);
    }
}
