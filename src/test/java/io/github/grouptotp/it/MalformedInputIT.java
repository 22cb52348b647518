package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input that cannot be a code gets the page again with a clear message: never a 500, a login, or a stored credential. */
class MalformedInputIT extends KeycloakIT {

    @ParameterizedTest(name = "code page, otp=\"{0}\"")
    @ValueSource(strings = {"abcdef", "12345", "1234567", "-12345", "１２３４５６", "12 34 5x"})
    void malformedCodeOnTheCodePage(String otp) {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();

        Page page = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("otp", otp));

        assertEquals(200, page.status());
        assertFalse(page.loggedIn());
        assertEquals("Enter the 6 digits that your authenticator app shows.", page.text("#input-error-otp"));
        // Input that cannot be a code guesses nothing and is not counted: the counter stays 0 ...
        awaitBruteForceFailuresStay(user, 0, NOT_COUNTED_HOLD);
        // ... while a wrong code in the same login is counted, once: so the counter works here, and it ends at 1, not 2.
        Page wrong = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
        assertTrue(wrong.text("#input-error-otp").startsWith("That code is not correct."), wrong.text("#input-error-otp"));
        awaitBruteForceFailuresStay(user, 1, NOT_COUNTED_HOLD);
    }

    /** Long enough for Keycloak to record a failure: the wrong code's is there well within it. */
    private static final Duration NOT_COUNTED_HOLD = Duration.ofSeconds(2);

    @Test
    void tenThousandCharactersOnTheEnrolmentPage() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();

        Page page = browser.submit(loginToEnrolPage(browser, user), "#group-totp-enrol-form", Map.of("otp", "1".repeat(10_000)));

        assertEquals(200, page.status());
        assertFalse(page.loggedIn());
        assertEquals("Enter the 6 digits that your authenticator app shows.", page.text("#input-error-otp"));
        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));
    }

    @Test
    void missingFieldOnBothPages() {
        TestUser user = newUser("/staff");
        Browser enrolBrowser = new Browser();
        Page enrol = loginToEnrolPage(enrolBrowser, user);
        String enrolAction = enrol.document().selectFirst("#group-totp-enrol-form").absUrl("action");

        Page noEnrolCode = enrolBrowser.postRaw(enrolAction, "");

        assertEquals(200, noEnrolCode.status());
        assertEquals("Enter the code from your authenticator app.", noEnrolCode.text("#input-error-otp"));
        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));

        enrol(user);
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);
        Page noCode = browser.postRaw(codePage.document().selectFirst("#group-totp-code-form").absUrl("action"), "login=");

        assertEquals(200, noCode.status());
        assertFalse(noCode.loggedIn());
        assertEquals("Enter the code from your authenticator app.", noCode.text("#input-error-otp"));
    }

    @Test
    void unknownFormActionGetsAPageNotALogin() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);
        String action = codePage.document().selectFirst("#group-totp-code-form").absUrl("action");
        String forged = action.replaceAll("execution=[^&]+", "execution=" + UUID.randomUUID());

        Page page = browser.post(forged, Map.of("otp", app.freshCode()));

        assertTrue(page.status() < 500, "status " + page.status());
        assertFalse(page.loggedIn(), page.toString());
    }

    @Test
    void hugeFormBodyIsRefusedWithoutAServerError() {
        TestUser user = newUser("/staff");
        enrol(user);
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);
        String action = codePage.document().selectFirst("#group-totp-code-form").absUrl("action");

        Page page = browser.postRaw(action, "otp=" + "9".repeat(100_000) + "&junk=" + "x".repeat(100_000));

        assertTrue(page.status() < 500, "status " + page.status());
        assertFalse(page.loggedIn());
    }
}
