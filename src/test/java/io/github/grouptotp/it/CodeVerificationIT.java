package io.github.grouptotp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CodeVerificationIT extends KeycloakIT {

    /** A copy of the demo realm that locks a user after three failures. */
    static final String LOCKOUT_REALM = "group-totp-lockout";
    static final int FAILURE_FACTOR = 3;

    @BeforeAll
    static void importRealm() {
        // Quick-login detection would lock after two fast failures; the test is about the failure factor.
        importDemoRealmCopy(LOCKOUT_REALM, Map.of(), realm -> {
            realm.setFailureFactor(FAILURE_FACTOR);
            realm.setQuickLoginCheckMilliSeconds(1L);
        });
    }

    @Test
    void enrolledStaffUserMustEnterACode() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();

        Page codePage = loginWithPassword(browser, user);

        assertEquals("Two-step verification", codePage.text("#kc-page-title"));
        assertEquals("one-time-code", codePage.attr("#group-totp-code-form input[name=otp]", "autocomplete"));
        assertEquals("numeric", codePage.attr("#group-totp-code-form input[name=otp]", "inputmode"));
        Page done = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(done.loggedIn(), done.toString());
        assertEquals("verified", lastLoginOutcome(user));
    }

    @Test
    void wrongCodeIsRefusedWithAMessageOnTheFieldAndCountsForBruteForce() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);

        Page wrong = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.wrongCode()));

        assertFalse(wrong.loggedIn());
        assertTrue(wrong.text("#input-error-otp").startsWith("That code is not correct."));
        assertEquals("true", wrong.attr("#otp", "aria-invalid"));
        awaitBruteForceFailures(user, 1);
        Page right = browser.submit(wrong, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(right.loggedIn(), "the right code still works after one wrong one");
    }

    @Test
    void codeIsNotAcceptedTwice() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        String code = app.freshCode();
        Browser first = new Browser();
        assertTrue(first.submit(loginWithPassword(first, user), "#group-totp-code-form", Map.of("otp", code)).loggedIn());

        Browser second = new Browser();
        Page replay = second.submit(loginWithPassword(second, user), "#group-totp-code-form", Map.of("otp", code));

        assertFalse(replay.loggedIn(), "a used code must be refused (realm OTP policy: not reusable)");
        assertTrue(replay.text("#input-error-otp").startsWith("That code is not correct."));
    }

    @Test
    void afterTheRealmsFailureFactorTheUserIsLockedAndEvenTheRightCodeIsNotChecked() {
        TestUser user = newUserIn(LOCKOUT_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        Page page = loginWithPassword(browser, user);
        for (int attempt = 1; attempt <= FAILURE_FACTOR; attempt++) {
            page = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
            assertTrue(page.text("#input-error-otp").startsWith("That code is not correct."), "attempt " + attempt);
            awaitBruteForceFailures(user, attempt);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) admin.bruteForceStatus(LOCKOUT_REALM, user.id()).get("disabled"));

        Page locked = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.freshCode()));

        assertFalse(locked.loggedIn());
        assertTrue(locked.text("#input-error-otp").contains("temporarily locked"), locked.body());
    }

    @Test
    void codePageInDutch() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();

        Page codePage = loginWithPassword(browser, user, "nl");
        assertEquals("Verificatie in twee stappen", codePage.text("#kc-page-title"));
        Page wrong = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.wrongCode()));

        assertTrue(wrong.text("#input-error-otp").startsWith("Deze code klopt niet."));
    }
}
