package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpCookie;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Remembered browsers (config {@code rememberHours}). Runs in its own copy of the demo realm because some tests
 * change the step's config.
 */
class RememberedBrowserIT extends KeycloakIT {

    static final String RREALM = "group-totp-remember";
    static final String FLOW = "browser-group-totp";
    static final String COOKIE_PREFIX = "GROUP_TOTP_REMEMBER_";

    @BeforeAll
    static void importRealm() {
        importDemoRealmCopy(RREALM, Map.of("rememberHours", "8"));
    }

    @AfterEach
    void restoreConfig() {
        admin.updateStepConfig(RREALM, FLOW, Map.of("rememberHours", "8"));
    }

    private HttpCookie rememberCookie(Browser browser) {
        List<HttpCookie> cookies = browser.cookies(COOKIE_PREFIX);
        assertEquals(1, cookies.size(), "one remember cookie: " + cookies);
        return cookies.get(0);
    }

    private void assertAskedForCode(Page page) {
        assertEquals(200, page.status());
        assertFalse(page.loggedIn(), "should be asked for a code: " + page);
        assertTrue(page.has("#group-totp-code-form"), "code page expected: " + page);
    }

    @Test
    void secondLoginInTheSameBrowserAsksNoCode() {
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        AuthenticatorApp app = enrolIn(browser, user).app();
        browser.restart();

        Page page = loginWithPassword(browser, user);

        assertTrue(page.loggedIn(), "remembered: " + page);
        assertEquals("remembered", lastLoginOutcome(user));
        // A code page was never needed: the app still has its second fresh code unused.
        assertTrue(app.freshCode().matches("\\d{6}"));
    }

    @Test
    void cookieIsSignedHttpOnlyLaxScopedToTheRealmAndCarriesNoSecret() {
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        Page enrolPage = loginToEnrolPage(browser, user);
        String key = enrolPage.text("#kc-totp-secret-key").replace(" ", "");
        AuthenticatorApp app = AuthenticatorApp.fromKey(key);
        assertTrue(submitEnrolment(browser, enrolPage, app).result().loggedIn());
        String code = app.lastCode();

        HttpCookie cookie = rememberCookie(browser);
        String header = browser.setCookieHeaders().stream().filter(h -> h.startsWith(cookie.getName() + "=")).findFirst().orElseThrow();
        assertTrue(header.contains("Max-Age=28800"), header);
        assertTrue(header.contains("Path=/realms/" + RREALM + "/"), header);
        assertTrue(header.contains("HttpOnly"), header);
        assertTrue(header.contains("SameSite=Lax"), header);
        assertFalse(cookie.getName().contains(user.id()), "the name does not reveal the user id");
        String[] jwt = cookie.getValue().split("\\.");
        assertEquals(3, jwt.length, "a signed JWT");
        String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
        assertFalse(claims.contains(key), "no secret in the cookie");
        assertFalse(claims.contains(code), "no code in the cookie");
        assertFalse(claims.contains(user.username()), "no user name in the cookie");
    }

    @Test
    void anotherBrowserIsAsked() {
        TestUser user = newUserIn(RREALM, "/staff");
        enrolIn(new Browser(), user);

        assertAskedForCode(loginWithPassword(new Browser(), user));
    }

    @Test
    void settingRememberHoursToZeroAsksAgainAtOnce() {
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        browser.restart();

        admin.updateStepConfig(RREALM, FLOW, Map.of("rememberHours", "0"));

        assertAskedForCode(loginWithPassword(browser, user));
    }

    @Test
    void removingTheOtpCredentialRevokesAndNeverSkipsEnrolment() {
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        browser.restart();
        String credentialId = admin.credentials(RREALM, user.id(), "otp").get(0).getId();

        admin.user(RREALM, user.id()).removeCredential(credentialId);

        // A remembered browser never skips enrolment.
        assertMustEnrol(loginWithPassword(browser, user));
        // The user sets up a new phone elsewhere; the old cookie was for the removed credential.
        Browser other = new Browser();
        enrolIn(other, user);
        browser.restart();
        assertAskedForCode(loginWithPassword(browser, user));
    }

    @Test
    void adminSignOutOfTheUserRevokes() {
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        browser.restart();

        admin.user(RREALM, user.id()).logout();

        assertAskedForCode(loginWithPassword(browser, user));
    }

    @Test
    void logoutDoesNotForgetTheBrowser() {
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);

        logout(browser, RREALM);

        assertTrue(loginWithPassword(browser, user).loggedIn());
        assertEquals("remembered", lastLoginOutcome(user));
    }

    @Test
    void twoUsersOnOneBrowserKeepTheirOwnState() {
        TestUser ann = newUserIn(RREALM, "/staff");
        TestUser ben = newUserIn(RREALM, "/staff");
        Browser shared = new Browser();
        enrolIn(shared, ann);
        shared.restart();
        enrolIn(shared, ben);
        shared.restart();

        assertEquals(2, shared.cookies(COOKIE_PREFIX).size());
        assertTrue(loginWithPassword(shared, ann).loggedIn(), "ann still remembered after ben's login");
        shared.restart();
        assertTrue(loginWithPassword(shared, ben).loggedIn(), "ben remembered too");
        assertEquals("remembered", lastLoginOutcome(ann));
        assertEquals("remembered", lastLoginOutcome(ben));
    }

    @Test
    void anotherUsersCookieUnderThisUsersNameIsRefused() {
        TestUser victim = newUserIn(RREALM, "/staff");
        TestUser attacker = newUserIn(RREALM, "/staff");
        Browser victimBrowser = new Browser();
        enrolIn(victimBrowser, victim);
        Browser attackerBrowser = new Browser();
        enrolIn(attackerBrowser, attacker);
        HttpCookie own = rememberCookie(attackerBrowser);
        HttpCookie victims = rememberCookie(victimBrowser);

        // The attacker knows the victim's password and puts their own valid cookie under the victim's cookie name.
        victimBrowser.restart();
        victimBrowser.putCookie(victims.getName(), own.getValue(), victims.getPath());

        assertAskedForCode(loginWithPassword(victimBrowser, victim));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flipped-signature", "truncated", "resigned-with-another-key", "garbage", "empty-claims"})
    void tamperedCookieIsIgnored(String tampering) throws Exception {
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        HttpCookie cookie = rememberCookie(browser);
        browser.restart();
        String[] jwt = cookie.getValue().split("\\.");
        String tampered = switch (tampering) {
            case "flipped-signature" -> jwt[0] + "." + jwt[1] + "." + flipFirstChar(jwt[2]);
            case "truncated" -> cookie.getValue().substring(0, cookie.getValue().length() / 2);
            case "resigned-with-another-key" -> resign(jwt[0], jwt[1]);
            case "garbage" -> "not-a-token";
            case "empty-claims" -> resign(jwt[0], Base64.getUrlEncoder().withoutPadding().encodeToString("{}".getBytes(StandardCharsets.UTF_8)));
            default -> throw new IllegalArgumentException(tampering);
        };
        browser.putCookie(cookie.getName(), tampered, cookie.getPath());

        assertAskedForCode(loginWithPassword(browser, user));
    }

    @ParameterizedTest(name = "rememberHours={0}")
    @ValueSource(strings = {"-1", "721", "eight"})
    void unusableRememberHoursMeansAskEveryTimeAndIsLogged(String value) throws Exception {
        admin.updateStepConfig(RREALM, FLOW, Map.of("rememberHours", value));
        TestUser user = newUserIn(RREALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);

        assertEquals(List.of(), browser.cookies(COOKIE_PREFIX), "nothing remembered");
        browser.restart();
        assertAskedForCode(loginWithPassword(browser, user));
        awaitLog("rememberHours '" + value + "' is not a whole number from 0 to 720; using 0");
    }

    private static String flipFirstChar(String part) {
        return (part.charAt(0) == 'A' ? "B" : "A") + part.substring(1);
    }

    /** The same header and claims, signed HS512 with a key that is not the realm's. */
    private static String resign(String header, String claims) throws Exception {
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(key, "HmacSHA512"));
        byte[] signature = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }
}
