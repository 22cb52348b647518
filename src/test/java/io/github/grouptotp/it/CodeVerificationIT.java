package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class CodeVerificationIT extends KeycloakIT {

    @Test
    void enrolledStaffUserMustEnterACode() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = newBrowser(REALM);

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
        Browser browser = newBrowser(REALM);
        Page codePage = loginWithPassword(browser, user);

        Page wrong = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.wrongCode()));

        assertFalse(wrong.loggedIn());
        assertTrue(wrong.text("#input-error-otp").startsWith("That code is not correct."));
        assertEquals("true", wrong.attr("#otp", "aria-invalid"));
        awaitBruteForce(user, status -> status.path("numFailures").asInt() == 1);
        Page right = browser.submit(wrong, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(right.loggedIn(), "the right code still works after one wrong one");
    }

    @Test
    void codeIsNotAcceptedTwice() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        String code = app.freshCode();
        Browser first = newBrowser(REALM);
        assertTrue(first.submit(loginWithPassword(first, user), "#group-totp-code-form", Map.of("otp", code)).loggedIn());

        Browser second = newBrowser(REALM);
        Page replay = second.submit(loginWithPassword(second, user), "#group-totp-code-form", Map.of("otp", code));

        assertFalse(replay.loggedIn(), "a used code must be refused (realm OTP policy: not reusable)");
        assertTrue(replay.text("#input-error-otp").startsWith("That code is not correct."));
    }

    @Test
    void afterTheRealmsFailureFactorTheUserIsLockedAndEvenTheRightCodeIsNotChecked() {
        JsonNode realm = admin.realm(REALM);
        int failureFactor = 3;
        // Quick-login detection would lock after two fast failures; the test is about the failure factor.
        admin.updateRealm(REALM, Map.of("failureFactor", failureFactor, "quickLoginCheckMilliSeconds", 1));
        try {
            TestUser user = newUser("/staff");
            AuthenticatorApp app = enrol(user);
            Browser browser = newBrowser(REALM);
            Page page = loginWithPassword(browser, user);
            for (int attempt = 1; attempt <= failureFactor; attempt++) {
                page = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
                assertTrue(page.text("#input-error-otp").startsWith("That code is not correct."), "attempt " + attempt);
                int failures = attempt;
                awaitBruteForce(user, status -> status.path("numFailures").asInt() == failures);
            }
            awaitBruteForce(user, status -> status.path("disabled").asBoolean());

            Page locked = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.freshCode()));

            assertFalse(locked.loggedIn());
            assertTrue(locked.text("#input-error-otp").contains("temporarily locked"), locked.body());
        } finally {
            admin.updateRealm(REALM, Map.of(
                    "failureFactor", realm.get("failureFactor").asInt(),
                    "quickLoginCheckMilliSeconds", realm.get("quickLoginCheckMilliSeconds").asLong()));
        }
    }

    @Test
    void codePageInDutch() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = newBrowser(REALM);

        Page codePage = loginWithPassword(browser, user, "nl");
        assertEquals("Verificatie in twee stappen", codePage.text("#kc-page-title"));
        Page wrong = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.wrongCode()));

        assertTrue(wrong.text("#input-error-otp").startsWith("Deze code klopt niet."));
    }

    /** Keycloak's brute-force protector records failures on a background thread: poll the admin API, bounded. */
    private void awaitBruteForce(TestUser user, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        JsonNode status = admin.bruteForceStatus(REALM, user.id());
        while (!condition.test(status)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("brute-force status never matched; last: " + status);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            status = admin.bruteForceStatus(REALM, user.id());
        }
    }
}
