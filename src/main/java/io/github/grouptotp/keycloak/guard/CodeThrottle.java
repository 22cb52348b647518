package io.github.grouptotp.keycloak.guard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;

import io.github.grouptotp.policy.CodeGuessLimit;

/**
 * The per-user limit on wrong codes ({@link CodeGuessLimit}), kept in Keycloak's cluster-wide single-use store so
 * that it holds across logins, browsers and nodes whatever the realm's brute-force settings.
 *
 * <p>A user has {@link CodeGuessLimit#MAX_WRONG_CODES} slots. Every check of a code, recovery code or pass first
 * takes a free slot (atomically, {@code putIfAbsent}) that expires {@link CodeGuessLimit#WINDOW} later; a right
 * answer gives its slot back, a wrong one leaves it taken. So parallel guesses cannot get past the limit either:
 * with every slot taken nothing is checked, a right code neither.
 */
public final class CodeThrottle {

    private static final String PREFIX = "group-totp-guess::";
    private static final String TAKEN_AT = "at";
    private static final long WINDOW_SECONDS = CodeGuessLimit.WINDOW.toSeconds();

    /** The outcome of asking to check one more code. */
    public sealed interface Attempt permits Allowed, Refused {
    }

    /** A slot is taken: check the code, and {@link #succeeded()} if it was right. */
    public record Allowed(SingleUseObjectProvider store, String slot) implements Attempt {

        /** A right answer does not count against the limit. */
        public void succeeded() {
            store.remove(slot);
        }
    }

    /** Every slot is taken: no code is checked until {@code until}. */
    public record Refused(Instant until) implements Attempt {
    }

    private CodeThrottle() {
    }

    public static Attempt begin(KeycloakSession session, RealmModel realm, UserModel user, Instant now) {
        SingleUseObjectProvider store = session.singleUseObjects();
        String prefix = prefix(realm, user);
        for (int i = 0; i < CodeGuessLimit.MAX_WRONG_CODES; i++) {
            String slot = prefix + i;
            if (store.putIfAbsent(slot, WINDOW_SECONDS)) {
                // When it was taken, for telling a refused user until when; written when this request commits.
                store.put(slot + "::" + TAKEN_AT, WINDOW_SECONDS, Map.of(TAKEN_AT, String.valueOf(now.toEpochMilli())));
                return new Allowed(store, slot);
            }
        }
        List<Instant> taken = new ArrayList<>();
        for (int i = 0; i < CodeGuessLimit.MAX_WRONG_CODES; i++) {
            taken.add(takenAt(store, prefix + i).orElse(now));
        }
        return new Refused(CodeGuessLimit.refusedUntil(taken).orElse(now.plus(CodeGuessLimit.WINDOW)));
    }

    /**
     * Gives every slot of the user back: an admin's way out when someone who knows the password filled the limit to
     * lock the owner out. Returns how many slots were taken.
     */
    public static int clear(KeycloakSession session, RealmModel realm, UserModel user) {
        SingleUseObjectProvider store = session.singleUseObjects();
        String prefix = prefix(realm, user);
        int taken = 0;
        for (int i = 0; i < CodeGuessLimit.MAX_WRONG_CODES; i++) {
            if (store.contains(prefix + i)) {
                taken++;
                store.remove(prefix + i);
            }
            store.remove(prefix + i + "::" + TAKEN_AT);
        }
        return taken;
    }

    private static String prefix(RealmModel realm, UserModel user) {
        return PREFIX + realm.getId() + "::" + user.getId() + "::";
    }

    private static Optional<Instant> takenAt(SingleUseObjectProvider store, String slot) {
        Map<String, String> notes = store.get(slot + "::" + TAKEN_AT);
        if (notes == null || notes.get(TAKEN_AT) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(notes.get(TAKEN_AT))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
