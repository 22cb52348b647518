package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which reason a refused remembered browser gets (the step logs it): the first rule that fails, in the documented
 * order, so that e.g. {@code rememberHours=0} says "off" rather than "too old".
 */
class RememberedBrowserRejectionReasonsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant ISSUED = NOW.minus(Duration.ofHours(1));
    private static final String PURPOSE = RememberedBrowserRules.PURPOSE;

    private static RememberedBrowserRules.Expected expected(int rememberHours, Instant userNotBefore, Instant realmNotBefore,
                                                            Instant revokedBefore) {
        return new RememberedBrowserRules.Expected("realm", "user", Set.of("otp-1"), userNotBefore, realmNotBefore, revokedBefore,
                "fingerprint", rememberHours);
    }

    private static RememberedBrowserRules.Expected current(int rememberHours) {
        return expected(rememberHours, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    }

    private static RememberedBrowser cookie(String purpose, String issuer, String user, String credentialId, Instant issuedAt,
                                            String credentials) {
        return new RememberedBrowser(purpose, issuer, user, credentialId, issuedAt, credentials);
    }

    private static final RememberedBrowser GOOD = cookie(PURPOSE, "realm", "user", "otp-1", ISSUED, "fingerprint");

    static Stream<Arguments> reasons() {
        return Stream.of(
                Arguments.of(GOOD, current(0), "remembered browsers are off"),
                Arguments.of(cookie("access-token", "other", "other", null, null, null), current(0), "remembered browsers are off"),
                Arguments.of(cookie("access-token", "realm", "user", "otp-1", ISSUED, "fingerprint"), current(8), "not a remembered-browser token"),
                Arguments.of(cookie(PURPOSE, "other-realm", "user", "otp-1", ISSUED, "fingerprint"), current(8), "issued by another realm"),
                Arguments.of(cookie(PURPOSE, "realm", "other-user", "otp-1", ISSUED, "fingerprint"), current(8), "issued to another user"),
                Arguments.of(cookie(PURPOSE, "realm", "user", "otp-gone", ISSUED, "fingerprint"), current(8), "its OTP credential was removed"),
                Arguments.of(cookie(PURPOSE, "realm", "user", "otp-1", ISSUED, "old-fingerprint"), current(8),
                        "the user's password or OTP credentials changed since"),
                Arguments.of(cookie(PURPOSE, "realm", "user", "otp-1", NOW.plus(Duration.ofMinutes(5)), "fingerprint"), current(8),
                        "issue time missing or in the future"),
                Arguments.of(cookie(PURPOSE, "realm", "user", "otp-1", NOW.minus(Duration.ofHours(9)), "fingerprint"), current(8),
                        "older than rememberHours"),
                Arguments.of(GOOD, expected(8, ISSUED, Instant.EPOCH, Instant.EPOCH), "issued before the user was signed out"),
                Arguments.of(GOOD, expected(8, Instant.EPOCH, ISSUED, Instant.EPOCH), "issued before the realm's not-before time"),
                Arguments.of(GOOD, expected(8, Instant.EPOCH, Instant.EPOCH, ISSUED),
                        "issued before the user signed out of all devices or was disabled"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("reasons")
    void theFirstFailingRuleIsTheReason(RememberedBrowser cookie, RememberedBrowserRules.Expected expected, String reason) {
        assertEquals(Optional.of(reason), RememberedBrowserRules.rejection(cookie, expected, NOW));
    }

    @ParameterizedTest(name = "rememberHours={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 8, 720}) // GOOD is an hour old: at 1 it is just expired
    void aGoodCookieWithinTheWindowPasses(int rememberHours) {
        assertEquals(Optional.empty(), RememberedBrowserRules.rejection(GOOD, current(rememberHours), NOW));
    }
}
