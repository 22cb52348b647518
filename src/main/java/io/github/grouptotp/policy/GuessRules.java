package io.github.grouptotp.policy;

import java.util.Optional;

/**
 * Which rule refuses a typed secret before it is checked, in the one order every route uses: a login that is spent
 * first (it says "start again"), then Keycloak's brute-force lock, then the per-user limit ({@link CodeGuessLimit}).
 * Input that cannot be a secret never gets here: it guesses nothing.
 */
public final class GuessRules {

    /** Wrong secrets allowed in one login, whatever the realm's brute-force settings (off by default). */
    public static final int MAX_WRONG_PER_LOGIN = 5;

    /** Why a secret is not checked. */
    public enum Refusal {
        /** This login had {@value #MAX_WRONG_PER_LOGIN} wrong secrets: only a new login may try again. */
        LOGIN_SPENT,
        /** Keycloak's brute-force protection locked the user. */
        LOCKED,
        /** Every one of the user's slots of the per-user limit is taken. */
        THROTTLED
    }

    private GuessRules() {
    }

    /**
     * The first rule that refuses, given what can be known before a slot of the per-user limit is taken; empty:
     * take a slot (which may still refuse with {@link Refusal#THROTTLED}), then check.
     */
    public static Optional<Refusal> beforeCheck(int wrongInThisLogin, boolean lockedByBruteForce) {
        if (wrongInThisLogin >= MAX_WRONG_PER_LOGIN) {
            return Optional.of(Refusal.LOGIN_SPENT);
        }
        if (lockedByBruteForce) {
            return Optional.of(Refusal.LOCKED);
        }
        return Optional.empty();
    }

    /** Whether this login is spent after {@code wrongInThisLogin} wrong secrets. */
    public static boolean loginSpent(int wrongInThisLogin) {
        return wrongInThisLogin >= MAX_WRONG_PER_LOGIN;
    }
}
