package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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

        cluster.b.admin().request().contentType(ContentType.JSON).body(Map.of("reason", "cluster test"))
                .post("/admin/realms/" + REALM + "/group-totp/users/" + user.id() + "/reset").then().statusCode(200);

        Page page = login(browser, cluster.a, user);
        assertFalse(page.loggedIn(), "the remembered browser no longer passes: " + page);
        assertTrue(page.has("#group-totp-enrol-form"), page.toString());
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

    @Test
    @Order(7)
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
