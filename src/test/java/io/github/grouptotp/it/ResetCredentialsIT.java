package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forgot password: the demo realm's reset-credentials flow ends with the step, so a password reset is no way
 * around the second factor. A local SMTP server receives Keycloak's reset e-mail.
 */
class ResetCredentialsIT extends KeycloakIT {

    static final String MAIL_REALM = "group-totp-reset-credentials";
    static Mailbox mail;

    @BeforeAll
    static void startMailServerAndRealm() {
        mail = Mailbox.start();
        importDemoRealmCopy(MAIL_REALM, Map.of(), realm -> realm.setSmtpServer(mail.smtpServer()));
    }

    @AfterAll
    static void stopMailServer() {
        mail.close();
    }

    /**
     * Forgot password on the login page and the link from the e-mail: the page that follows. Keycloak asks for the
     * new password only after the flow (as a required action), so the step comes first.
     */
    private Page followResetLink(Browser browser, TestUser user) throws Exception {
        return mail.followResetLink(this, browser, MAIL_REALM, user.username());
    }

    @Test
    void anEnrolledStaffUserCompletingAPasswordResetIsStillAskedForTheCode() throws Exception {
        TestUser user = newUserIn(MAIL_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();

        Page afterLink = followResetLink(browser, user);

        assertFalse(afterLink.loggedIn(), "no login on the e-mail link alone: " + afterLink);
        assertTrue(afterLink.has("#group-totp-code-form"), afterLink.toString());
        Page wrong = browser.submit(afterLink, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
        assertFalse(wrong.has("#kc-passwd-update-form"), "no new password without the code");
        Page update = browser.submit(wrong, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(update.has("#kc-passwd-update-form"), update.toString());
        Page done = browser.submit(update, "#kc-passwd-update-form", Map.of("password-new", "New-pw-1234567", "password-confirm", "New-pw-1234567"));
        assertTrue(done.loggedIn(), done.toString());
    }

    @Test
    void aRequiredUserWithoutTotpIsMadeToEnrolAfterAPasswordReset() throws Exception {
        TestUser user = newUserWithGrace(MAIL_REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff");

        Page afterLink = followResetLink(new Browser(), user);

        assertFalse(afterLink.loggedIn());
        assertTrue(afterLink.has("#group-totp-enrol-form"), afterLink.toString());
        assertFalse(afterLink.has("[name=skip]"));
        assertEquals(0, admin.credentials(MAIL_REALM, user.id(), "otp").size());
    }

    @Test
    void aPasswordResetThroughForgotPasswordRevokesRememberedBrowsers() throws Exception {
        TestUser user = newUserIn(MAIL_REALM, "/staff");
        Browser remembered = new Browser();
        AuthenticatorApp app = enrolIn(remembered, user).app();
        remembered.restart();
        Browser browser = new Browser();
        Page codePage = followResetLink(browser, user);
        Page update = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(browser.submit(update, "#kc-passwd-update-form",
                Map.of("password-new", "Forgot-pw-4711", "password-confirm", "Forgot-pw-4711")).loggedIn());

        Page page = loginWithPassword(remembered, new TestUser(user.realm(), user.id(), user.username(), "Forgot-pw-4711"));

        assertFalse(page.loggedIn(), "the remembered browser is asked again: " + page);
        assertTrue(page.has("#group-totp-code-form"), page.toString());
    }
}
