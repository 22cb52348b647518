package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RememberedBrowserRulesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String REALM = "realm-id";
    private static final String USER = "user-id";
    private static final String CREDENTIAL = "otp-1";
    private static final String CREDENTIALS = "fingerprint-1";

    private static RememberedBrowser issuedAgo(Duration age) {
        return new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER, CREDENTIAL, NOW.minus(age), CREDENTIALS);
    }

    private static RememberedBrowserRules.Expected expected(int rememberHours) {
        return new RememberedBrowserRules.Expected(REALM, USER, Set.of(CREDENTIAL, "otp-2"), Instant.EPOCH, Instant.EPOCH,
                Instant.EPOCH, CREDENTIALS, rememberHours);
    }

    @ParameterizedTest(name = "issued {0} ago, rememberHours={1} -> passes={2}")
    @CsvSource({
            "PT0S,       8, true",
            "PT7H59M59S, 8, true",
            "PT8H,       8, false", // the exact boundary hour is already outside the window
            "PT8H1S,     8, false",
            "PT3H,       2, false", // lowering the setting applies to browsers remembered earlier
            "PT1H59M,    2, true",
            "PT0S,       0, false", // 0 turns every remembered browser off
            "PT719H,   720, true",
            "PT720H,   720, false"})
    void windowFollowsTheCurrentSetting(Duration age, int rememberHours, boolean passes) {
        Optional<String> rejection = RememberedBrowserRules.rejection(issuedAgo(age), expected(rememberHours), NOW);

        assertEquals(passes, rejection.isEmpty(), rejection.orElse("passes"));
    }

    static Stream<Arguments> foreignOrRevokedCookies() {
        Instant issued = NOW.minus(Duration.ofHours(1));
        return Stream.of(
                Arguments.of("other purpose", new RememberedBrowser("access-token", REALM, USER, CREDENTIAL, issued, CREDENTIALS)),
                Arguments.of("no purpose (bad signature)", new RememberedBrowser(null, null, null, null, null, null)),
                Arguments.of("other realm", new RememberedBrowser(RememberedBrowserRules.PURPOSE, "other-realm", USER, CREDENTIAL, issued, CREDENTIALS)),
                Arguments.of("other user", new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, "someone-else", CREDENTIAL, issued, CREDENTIALS)),
                Arguments.of("credential removed", new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER, "otp-removed", issued, CREDENTIALS)),
                Arguments.of("no credential", new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER, null, issued, CREDENTIALS)),
                Arguments.of("no issue time", new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER, CREDENTIAL, null, CREDENTIALS)),
                Arguments.of("issued in the future", new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER, CREDENTIAL,
                        NOW.plus(Duration.ofMinutes(2)), CREDENTIALS)),
                Arguments.of("password or OTP credentials changed", new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER,
                        CREDENTIAL, issued, "fingerprint-before-the-change")),
                Arguments.of("no fingerprint (an older cookie)", new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER,
                        CREDENTIAL, issued, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignOrRevokedCookies")
    void foreignOrRevokedCookiesDoNotPass(String why, RememberedBrowser cookie) {
        assertEquals(true, RememberedBrowserRules.rejection(cookie, expected(8), NOW).isPresent(), why);
    }

    @Test
    void smallClockSkewBetweenNodesIsTolerated() {
        RememberedBrowser fromFastNode = new RememberedBrowser(RememberedBrowserRules.PURPOSE, REALM, USER, CREDENTIAL,
                NOW.plus(Duration.ofSeconds(30)), CREDENTIALS);

        assertEquals(Optional.empty(), RememberedBrowserRules.rejection(fromFastNode, expected(8), NOW));
    }

    @ParameterizedTest(name = "user not-before {0}s after issue -> passes={1}")
    @CsvSource({"-1, true", "0, false", "1, false"})
    void signingTheUserOutRevokes(long notBeforeAfterIssue, boolean passes) {
        RememberedBrowser cookie = issuedAgo(Duration.ofHours(1));
        RememberedBrowserRules.Expected expected = new RememberedBrowserRules.Expected(REALM, USER, Set.of(CREDENTIAL),
                cookie.issuedAt().plusSeconds(notBeforeAfterIssue), Instant.EPOCH, Instant.EPOCH, CREDENTIALS, 8);

        assertEquals(passes, RememberedBrowserRules.rejection(cookie, expected, NOW).isEmpty());
    }

    @ParameterizedTest(name = "realm not-before {0}s after issue -> passes={1}")
    @CsvSource({"-1, true", "0, false", "1, false"})
    void realmRevocationRevokes(long notBeforeAfterIssue, boolean passes) {
        RememberedBrowser cookie = issuedAgo(Duration.ofHours(1));
        RememberedBrowserRules.Expected expected = new RememberedBrowserRules.Expected(REALM, USER, Set.of(CREDENTIAL),
                Instant.EPOCH, cookie.issuedAt().plusSeconds(notBeforeAfterIssue), Instant.EPOCH, CREDENTIALS, 8);

        assertEquals(passes, RememberedBrowserRules.rejection(cookie, expected, NOW).isEmpty());
    }

    @ParameterizedTest(name = "signed out of all devices {0}s after issue -> passes={1}")
    @CsvSource({"-1, true", "0, false", "1, false"})
    void signingOutOfAllDevicesOrBeingDisabledRevokes(long revokedAfterIssue, boolean passes) {
        RememberedBrowser cookie = issuedAgo(Duration.ofHours(1));
        RememberedBrowserRules.Expected expected = new RememberedBrowserRules.Expected(REALM, USER, Set.of(CREDENTIAL),
                Instant.EPOCH, Instant.EPOCH, cookie.issuedAt().plusSeconds(revokedAfterIssue), CREDENTIALS, 8);

        assertEquals(passes, RememberedBrowserRules.rejection(cookie, expected, NOW).isEmpty());
    }

    @ParameterizedTest(name = "issued {0} ago, {1}h -> {2} left")
    @CsvSource({"PT0S, 8, PT8H", "PT7H, 8, PT1H", "PT8H, 8, PT0S", "PT9H, 8, PT0S", "PT1H, 0, PT0S"})
    void remainingTimeIsTheCookiesMaxAge(Duration age, int hours, Duration left) {
        assertEquals(left, RememberedBrowserRules.remaining(NOW.minus(age), NOW, hours));
    }
}
