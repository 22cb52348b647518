package io.github.grouptotp.keycloak.reset;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.credential.dto.PasswordSecretData;
import org.keycloak.util.JsonSerialization;

/**
 * The one-time pass of an admin's reset: what the help desk reads to the user after checking who is asking, so that
 * the password alone never sets up a new phone. Shown once, in the reset's answer; stored only as a hash made by
 * Keycloak's own password hashing ({@value #HASH}), as a credential of the extension's own type
 * {@value #CREDENTIAL_TYPE} (data {@code {"expires": "...", "algorithm": "...", "hashIterations": n}}), out of the
 * user's reach. A new reset replaces it; the reset's completion removes it.
 */
public final class OneTimePass {

    public static final String CREDENTIAL_TYPE = "group-totp-reset-pass";
    /** No 0/O, 1/I/L: read aloud over the phone without doubt. */
    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private static final int LENGTH = 10;
    private static final String HASH = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether the user has a pass, and whether it still counts. */
    public enum State {
        NONE, VALID, EXPIRED
    }

    private OneTimePass() {
    }

    /**
     * Issues a new pass for the user, replacing any earlier one.
     *
     * @return the pass as the help desk reads it: {@code ABCDE-FGHJK}
     */
    public static String issue(KeycloakSession session, UserModel user, Instant expires) {
        StringBuilder pass = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            pass.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        PasswordCredentialModel hashed = hasher(session).encodedCredential(pass.toString(), -1);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("expires", expires.toString());
        data.put("algorithm", hashed.getPasswordCredentialData().getAlgorithm());
        data.put("hashIterations", hashed.getPasswordCredentialData().getHashIterations());
        CredentialModel credential = new CredentialModel();
        credential.setType(CREDENTIAL_TYPE);
        credential.setUserLabel("One-time pass of a reset, valid until " + expires);
        credential.setCreatedDate(Time.currentTimeMillis());
        try {
            credential.setCredentialData(JsonSerialization.writeValueAsString(data));
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings and a number is always JSON", e);
        }
        credential.setSecretData(hashed.getSecretData());
        remove(user);
        user.credentialManager().createStoredCredential(credential);
        return pass.substring(0, LENGTH / 2) + "-" + pass.substring(LENGTH / 2);
    }

    public static State state(UserModel user, Instant now) {
        Optional<CredentialModel> stored = stored(user);
        if (stored.isEmpty()) {
            return State.NONE;
        }
        return expires(stored.get()).filter(now::isBefore).isPresent() ? State.VALID : State.EXPIRED;
    }

    /** Whether {@code typed} is the user's pass and it has not expired; spaces, dashes and case do not matter. */
    public static boolean matches(KeycloakSession session, UserModel user, String typed, Instant now) {
        Optional<CredentialModel> stored = stored(user);
        if (typed == null || stored.isEmpty() || state(user, now) != State.VALID) {
            return false;
        }
        String normalized = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (normalized.length() != LENGTH || normalized.chars().anyMatch(c -> ALPHABET.indexOf(c) < 0)) {
            return false;
        }
        try {
            Map<?, ?> data = JsonSerialization.readValue(stored.get().getCredentialData(), Map.class);
            PasswordSecretData secret = JsonSerialization.readValue(stored.get().getSecretData(), PasswordSecretData.class);
            PasswordCredentialModel hashed = PasswordCredentialModel.createFromValues((String) data.get("algorithm"),
                    secret.getSalt(), ((Number) data.get("hashIterations")).intValue(), secret.getValue());
            return hasher(session).verify(normalized, hashed);
        } catch (IOException | RuntimeException unreadable) {
            return false; // a record nobody could have written opens nothing
        }
    }

    /** The pass is spent (the reset is complete) or replaced. */
    public static void remove(UserModel user) {
        user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE).toList()
                .forEach(c -> user.credentialManager().removeStoredCredentialById(c.getId()));
    }

    public static Instant expiry(Instant now, int hours) {
        return now.plus(Duration.ofHours(hours));
    }

    private static Optional<CredentialModel> stored(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(CREDENTIAL_TYPE).findFirst();
    }

    private static Optional<Instant> expires(CredentialModel credential) {
        try {
            Map<?, ?> data = JsonSerialization.readValue(credential.getCredentialData(), Map.class);
            return Optional.of(Instant.parse((String) data.get("expires")));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // unreadable counts as expired: fail closed
        }
    }

    private static PasswordHashProvider hasher(KeycloakSession session) {
        return session.getProvider(PasswordHashProvider.class, HASH);
    }
}
