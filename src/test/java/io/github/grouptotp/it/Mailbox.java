package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

/** A local SMTP server (GreenMail) that receives Keycloak's mails, for the realms of one test class. */
final class Mailbox implements AutoCloseable {

    private final GreenMail mail;

    private Mailbox(GreenMail mail) {
        this.mail = mail;
    }

    static Mailbox start() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return new Mailbox(mail);
    }

    /** The realm's SMTP settings for this mailbox. */
    Map<String, String> smtpServer() {
        return Map.of("host", "127.0.0.1", "port", String.valueOf(mail.getSmtp().getPort()), "from", "keycloak@example.org");
    }

    /**
     * "Forgot password" on the login page of {@code realm} and the link from the e-mail, opened in {@code browser}:
     * the page that follows it.
     */
    Page followResetLink(KeycloakIT test, Browser browser, String realm, String username) throws Exception {
        Page login = test.openLogin(browser, realm, null);
        Page forgot = browser.get(login.document().selectFirst("a[href*=reset-credentials]").absUrl("href"));
        int before = mail.getReceivedMessages().length;
        browser.submit(forgot, "#kc-reset-password-form", Map.of("username", username));
        assertTrue(mail.waitForIncomingEmail(10_000, before + 1), "reset e-mail received");
        MimeMessage message = mail.getReceivedMessages()[before];
        Matcher link = Pattern.compile("(http://[^\\s\"<>]+action-token[^\\s\"<>]+)")
                .matcher(GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "="));
        assertTrue(link.find(), "link in the e-mail");
        return browser.get(link.group(1).replace("&amp;", "&"));
    }

    @Override
    public void close() {
        mail.stop();
    }
}
