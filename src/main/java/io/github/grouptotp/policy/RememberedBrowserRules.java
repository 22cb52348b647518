package io.github.grouptotp.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * When a remembered browser lets a user skip the code. Every rule is checked against the current state, not the
 * state when the cookie was issued: lowering {@code rememberHours} shortens every remembered browser at once, 0
 * turns them all off, and each revocation ends them: a changed password or OTP credential (the credentials'
 * fingerprint no longer matches), an admin's sign-out (the user's not-before time), the realm's not-before time,
 * and a sign-out of all devices or the user being disabled (recorded by the extension).
 */
public final class RememberedBrowserRules {

    public static final String PURPOSE = "group-totp-remembered-browser";

    /** Clocks of cluster nodes may differ slightly; a cookie "issued" further in the future is not trusted. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    /**
     * The current state a cookie is checked against.
     *
     * @param issuer           this realm's issuer
     * @param userId           the user logging in
     * @param factorCredentialIds the user's second-factor credentials now (apps, security keys, passkeys)
     * @param userNotBefore    the user's not-before time (admin "sign out"), or {@link Instant#EPOCH} if none
     * @param realmNotBefore   the realm's not-before time (revocation), or {@link Instant#EPOCH} if none
     * @param revokedBefore    when the user last signed out of all devices or was disabled, or {@link Instant#EPOCH}
     * @param credentials      the fingerprint of the user's password and OTP credentials now
     * @param rememberHours    the step's current setting; 0 disables remembered browsers
     */
    public record Expected(String issuer, String userId, Set<String> factorCredentialIds,
                           Instant userNotBefore, Instant realmNotBefore, Instant revokedBefore, String credentials,
                           int rememberHours) {
    }

    private RememberedBrowserRules() {
    }

    /** Why the cookie does not let the user skip the code, or empty if it does. */
    public static Optional<String> rejection(RememberedBrowser cookie, Expected expected, Instant now) {
        if (expected.rememberHours() <= 0) {
            return Optional.of("remembered browsers are off");
        }
        if (!PURPOSE.equals(cookie.purpose())) {
            return Optional.of("not a remembered-browser token");
        }
        if (!expected.issuer().equals(cookie.issuer())) {
            return Optional.of("issued by another realm");
        }
        if (!expected.userId().equals(cookie.userId())) {
            return Optional.of("issued to another user");
        }
        if (cookie.credentialId() == null || !expected.factorCredentialIds().contains(cookie.credentialId())) {
            return Optional.of("its OTP credential was removed");
        }
        if (cookie.credentials() == null || !cookie.credentials().equals(expected.credentials())) {
            return Optional.of("the user's password or OTP credentials changed since");
        }
        if (cookie.issuedAt() == null || cookie.issuedAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return Optional.of("issue time missing or in the future");
        }
        if (remaining(cookie.issuedAt(), now, expected.rememberHours()).isZero()) {
            return Optional.of("older than rememberHours");
        }
        // Strictly after: not-before times have whole seconds, and a cookie from the second of a sign-out is not trusted.
        if (!cookie.issuedAt().isAfter(expected.userNotBefore())) {
            return Optional.of("issued before the user was signed out");
        }
        if (!cookie.issuedAt().isAfter(expected.realmNotBefore())) {
            return Optional.of("issued before the realm's not-before time");
        }
        if (!cookie.issuedAt().isAfter(expected.revokedBefore())) {
            return Optional.of("issued before the user signed out of all devices or was disabled");
        }
        return Optional.empty();
    }

    /** How much longer a browser remembered at {@code issuedAt} stays remembered; zero once expired. */
    public static Duration remaining(Instant issuedAt, Instant now, int rememberHours) {
        Duration left = Duration.between(now, issuedAt.plus(Duration.ofHours(Math.max(0, rememberHours))));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
