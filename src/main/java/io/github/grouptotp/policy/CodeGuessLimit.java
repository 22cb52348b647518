package io.github.grouptotp.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * How many wrong codes one user may enter, across logins, browsers and cluster nodes, whatever the realm's
 * brute-force settings: at most {@value #MAX_WRONG_CODES} in any {@link #WINDOW}. With 6-digit codes and a
 * look-around of one step either side (3 valid codes at a time) that is at most 40 guesses an hour, about a
 * year on average to hit a valid code.
 */
public final class CodeGuessLimit {

    public static final int MAX_WRONG_CODES = 10;
    public static final Duration WINDOW = Duration.ofMinutes(15);

    private CodeGuessLimit() {
    }

    /**
     * When codes are accepted again, given the times of the wrong codes that still count; empty while fewer than
     * the limit count. A wrong code counts for {@link #WINDOW} after it was entered.
     */
    public static Optional<Instant> refusedUntil(Collection<Instant> countingWrongCodes) {
        if (countingWrongCodes.size() < MAX_WRONG_CODES) {
            return Optional.empty();
        }
        return countingWrongCodes.stream().min(Instant::compareTo).map(first -> first.plus(WINDOW));
    }
}
