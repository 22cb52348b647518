package io.github.grouptotp.it;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.restassured.http.ContentType;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * Two Keycloak nodes on one PostgreSQL ({@link KeycloakCluster}): the extension keeps no state on a node.
 * Browsers talk to both nodes on localhost; cookies do not depend on the port, like behind a load balancer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final String REALM = "group-totp-demo";
    final KeycloakCluster cluster = KeycloakCluster.get();

    private record User(String id, String username, String password) {
    }

    private User newStaffUser(KeycloakCluster.Node node) {
        String username = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        return new User(node.admin().createUser(REALM, username, password, "/staff"), username, password);
    }

    /** One browser for both nodes: cookies do not depend on the port, as behind a load balancer. */
    private static Browser browser() {
        return new Browser();
    }

    private static Page login(Browser browser, KeycloakCluster.Node node, User user) {
        Page login = browser.get(KeycloakIT.authUrl(node.baseUrl(), REALM));
        return browser.submit(login, "#kc-form-login", Map.of("username", user.username(), "password", user.password()));
    }

    private static AuthenticatorApp enrolOn(Browser browser, KeycloakCluster.Node node, User user) {
        Page page = login(browser, node, user);
        if (page.has("#group-totp-grace-form")) {
            page = browser.submit(page, "#group-totp-grace-form", Map.of("enrol", ""));
        }
        AuthenticatorApp app = AuthenticatorApp.fromKey(page.text("#kc-totp-secret-key"));
        page = browser.submit(page, "#group-totp-enrol-form", Map.of("otp", app.freshCode()));
        if (page.has(KeycloakIT.RECOVERY_CODES_FORM)) {
            page = browser.submit(page, KeycloakIT.RECOVERY_CODES_FORM, Map.of("saved", "on"));
        }
        assertTrue(page.loggedIn(), "enrolled on " + node + ": " + page);
        return app;
    }

    @Test
    @Order(1)
    void anEnrolmentOnNodeAIsUsedOnNodeB() {
        User user = newStaffUser(cluster.a);
        AuthenticatorApp app = enrolOn(browser(), cluster.a, user);

        Browser onB = browser();
        Page codePage = login(onB, cluster.b, user);

        assertTrue(codePage.has("#group-totp-code-form"), codePage.toString());
        assertTrue(onB.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());
    }

    @Test
    @Order(2)
    void aBrowserRememberedOnNodeAPassesOnNodeB() {
        User user = newStaffUser(cluster.a);
        Browser browser = browser();
        enrolOn(browser, cluster.a, user);
        browser.restart();

        assertTrue(login(browser, cluster.b, user).loggedIn(), "remembered across nodes");
    }

    @Test
    @Order(3)
    void theGraceStartStampedOnNodeAIsTheOneNodeBShows() {
        User user = newStaffUser(cluster.a);
        Page onA = login(browser(), cluster.a, user);
        String deadlineOnA = onA.attr("#group-totp-deadline", "datetime");

        Page onB = login(browser(), cluster.b, user);

        assertEquals(deadlineOnA, onB.attr("#group-totp-deadline", "datetime"));
        assertEquals(cluster.a.admin().credentials(REALM, user.id(), KeycloakIT.GRACE_CREDENTIAL).get(0).getCredentialData(),
                cluster.b.admin().credentials(REALM, user.id(), KeycloakIT.GRACE_CREDENTIAL).get(0).getCredentialData());
    }

    @Test
    @Order(4)
    void aResetThroughNodeBRevokesABrowserRememberedOnNodeA() {
        User user = newStaffUser(cluster.a);
        Browser browser = browser();
        enrolOn(browser, cluster.a, user);
        browser.restart();

        String pass = cluster.b.admin().request().contentType(ContentType.JSON).body(Map.of("reason", "cluster test"))
                .post("/admin/realms/" + REALM + "/group-totp/users/" + user.id() + "/reset").then().statusCode(200)
                .extract().jsonPath().getString("oneTimePass");

        Page page = login(browser, cluster.a, user);
        assertFalse(page.loggedIn(), "the remembered browser no longer passes: " + page);
        assertTrue(page.has("#group-totp-reset-pass-form"), page.toString());
        // The pass issued through node B is checked on node A.
        assertTrue(browser.submit(page, "#group-totp-reset-pass-form", Map.of("oneTimePass", pass)).has("#group-totp-enrol-form"));
    }

    @Test
    @Order(5)
    void aLoginStartedOnNodeAFinishesOnNodeB() {
        User user = newStaffUser(cluster.a);
        AuthenticatorApp app = enrolOn(browser(), cluster.a, user);
        Browser browser = browser();
        Page codePageFromA = login(browser, cluster.a, user);
        String actionOnB = codePageFromA.document().selectFirst("#group-totp-code-form").absUrl("action")
                .replace(cluster.a.baseUrl(), cluster.b.baseUrl());

        Page done = browser.post(actionOnB, Map.of("otp", app.freshCode()));

        assertTrue(done.loggedIn(), "finished on node B: " + done);
    }

    @Test
    @Order(6)
    void theLimitOnWrongCodesHoldsAcrossNodes() {
        User user = newStaffUser(cluster.a);
        AuthenticatorApp app = enrolOn(browser(), cluster.a, user);
        int wrong = 0;
        for (KeycloakCluster.Node node : List.of(cluster.a, cluster.b, cluster.a)) {
            Browser browser = browser();
            Page page = login(browser, node, user);
            for (int i = 0; i < 4 && wrong < 10; i++, wrong++) {
                page = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
                assertTrue(page.text("#input-error-otp").startsWith("That code is not correct."), node + ", wrong code " + (wrong + 1));
            }
        }

        Browser onB = browser();
        Page refused = onB.submit(login(onB, cluster.b, user), "#group-totp-code-form", Map.of("otp", app.freshCode()));

        assertFalse(refused.loggedIn());
        assertTrue(refused.text("#input-error-otp").contains("No code is accepted until"), refused.text("#input-error-otp"));
    }

    /**
     * The reminder task runs on both nodes every {@value KeycloakCluster#REMINDER_INTERVAL_SECONDS} s, and an admin
     * calls the endpoint on each node besides: every due user still gets exactly one mail. The link in it is the
     * realm's frontend URL, which is how a scheduled run (no request) knows Keycloak's public address.
     */
    @Test
    @Order(7)
    void scheduledRemindersOnTwoNodesReachEachUserOnce() throws Exception {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try {
            String realm = "group-totp-cluster-reminders";
            RealmRepresentation copy = Admin.demoRealm();
            copy.setRealm(realm);
            copy.setUsers(null);
            copy.setSmtpServer(Map.of("host", "127.0.0.1", "port", String.valueOf(mail.getSmtp().getPort()), "from", "keycloak@example.org"));
            Map<String, String> attributes = new HashMap<>(copy.getAttributes() == null ? Map.of() : copy.getAttributes());
            attributes.put("frontendUrl", cluster.a.baseUrl());
            copy.setAttributes(attributes);
            cluster.a.admin().importRealm(copy);
            String grace = "{\"start\":\"2026-01-01T00:00:00Z\",\"until\":\"" + LocalDate.now(ZoneOffset.UTC).plusDays(7) + "T00:00:00Z\"}";
            Set<String> addresses = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                String username = "due-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
                (i % 2 == 0 ? cluster.a : cluster.b).admin().createUser(realm, username, "pw-" + UUID.randomUUID(),
                        List.of(Admin.graceRecord(grace)), "/staff");
                addresses.add(username + "@example.org");
            }

            assertTrue(mail.waitForIncomingEmail(60_000, 10), "the scheduled task mailed the 10 due users");
            // Both endpoints and further timer runs on both nodes find every reminder recorded.
            for (KeycloakCluster.Node node : List.of(cluster.a, cluster.b)) {
                node.admin().request().post("/admin/realms/" + realm + "/group-totp/reminders")
                        .then().statusCode(200).body("sent", equalTo(0));
            }
            String marker = "due-marker-" + UUID.randomUUID().toString().substring(0, 8);
            cluster.b.admin().createUser(realm, marker, "pw-" + UUID.randomUUID(), List.of(Admin.graceRecord(grace)), "/staff");
            addresses.add(marker + "@example.org");
            assertTrue(mail.waitForIncomingEmail(60_000, 11), "a later run mailed the user added after");
            // "Once" is counted after a duplicate could have come: every timer run on either node in the hold would
            // have sent it (each node runs the task every REMINDER_INTERVAL_SECONDS, so this is three runs each).
            KeycloakIT.holds("no second mail to anyone", Duration.ofSeconds(3L * KeycloakCluster.REMINDER_INTERVAL_SECONDS),
                    () -> mail.getReceivedMessages().length == 11);

            List<String> recipients = new ArrayList<>();
            for (MimeMessage message : mail.getReceivedMessages()) {
                recipients.add(message.getRecipients(Message.RecipientType.TO)[0].toString());
                assertTrue(GreenMailUtil.getBody(message).replace("=\r\n", "").contains(cluster.a.baseUrl() + "/realms/" + realm + "/account"),
                        "the realm's frontend URL in the link");
            }
            assertEquals(addresses, new HashSet<>(recipients));
            assertEquals(11, recipients.size(), "one mail each: " + recipients);
        } finally {
            mail.stop();
        }
    }

    @Test
    @Order(8)
    void stoppingNodeALosesNoCredential() throws Exception {
        User user = newStaffUser(cluster.a);
        AuthenticatorApp app = enrolOn(browser(), cluster.a, user);
        List<String> before = cluster.b.admin().credentials(REALM, user.id(), "otp").stream().map(c -> c.getId()).toList();

        cluster.a.stop();

        assertEquals(before, cluster.b.admin().credentials(REALM, user.id(), "otp").stream().map(c -> c.getId()).toList());
        assertEquals(1, before.size());
        Browser onB = browser();
        assertTrue(onB.submit(login(onB, cluster.b, user), "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());
    }
}
