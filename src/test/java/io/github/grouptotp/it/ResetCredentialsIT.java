package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forgot password: the demo realm's reset-credentials flow ends with the step, so a password reset is no way
 * around the second factor. A local SMTP server receives Keycloak's reset e-mail.
 */
class ResetCredentialsIT extends KeycloakIT {

    static final String MAIL_REALM = "group-totp-reset-credentials";
    static GreenMail mail;

    @BeforeAll
    static void startMailServerAndRealm() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        importDemoRealmCopy(MAIL_REALM, Map.of(), realm -> realm.setSmtpServer(Map.of(
                "host", "127.0.0.1", "port", String.valueOf(mail.getSmtp().getPort()), "from", "keycloak@example.org")));
    }

    @AfterAll
    static void stopMailServer() {
        mail.stop();
    }

    /**
     * Forgot password on the login page and the link from the e-mail: the page that follows. Keycloak asks for the
     * new password only after the flow (as a required action), so the step comes first.
     */
    private Page followResetLink(Browser browser, TestUser user) throws Exception {
        Page login = openLogin(browser, MAIL_REALM, null);
        Page forgot = browser.get(login.document().selectFirst("a[href*=reset-credentials]").absUrl("href"));
        int before = mail.getReceivedMessages().length;
        browser.submit(forgot, "#kc-reset-password-form", Map.of("username", user.username()));
        assertTrue(mail.waitForIncomingEmail(10_000, before + 1), "reset e-mail received");
        MimeMessage message = mail.getReceivedMessages()[before];
        Matcher link = Pattern.compile("(http://[^\\s\"<>]+action-token[^\\s\"<>]+)").matcher(GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "="));
        assertTrue(link.find(), "link in the e-mail");
        return browser.get(link.group(1).replace("&amp;", "&"));
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
