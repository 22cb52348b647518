package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;

/**
 * The one-time pass of an admin's reset (issue 19): the help desk reads it to the user, and the next login asks it
 * after the password and before any QR code, so that the password alone never sets up a new phone.
 */
class ResetPassIT extends KeycloakIT {

    static final String PASS_REALM = "group-totp-reset-pass";
    static final String OFF_REALM = "group-totp-reset-pass-off";
    static final String PASS_FORM = "#group-totp-reset-pass-form";
    static final String PASS_CREDENTIAL = "group-totp-reset-pass";

    @BeforeAll
    static void realms() {
        // Brute-force detection off, as in most realms: a wrong pass counts for it like a wrong code where it is on, and
        // its quick-login rule would lock the user before the fifth wrong pass in a row.
        importDemoRealmCopy(PASS_REALM, Map.of(), realm -> realm.setBruteForceProtected(false));
        importDemoRealmCopy(OFF_REALM, Map.of("resetPass", "off"));
    }

    JsonPath reset(TestUser user) {
        return admin.request().contentType(ContentType.JSON).body(Map.of("reason", "Phone lost, identity checked, ticket #19"))
                .post("/admin/realms/" + user.realm() + "/group-totp/users/" + user.id() + "/reset")
                .then().statusCode(200).extract().jsonPath();
    }

    static void assertNoQrCode(Page page) {
        assertFalse(page.has("#kc-totp-secret-key") || page.has("img[src^=data:image]") || page.body().contains("otpauth://"),
                "no QR code or key before the pass: " + page);
    }

    @Test
    void theLoginAfterAResetAsksThePassBeforeAnyQrCode() {
        TestUser user = newUserIn(PASS_REALM, "/staff");
        enrol(user);
        Instant before = Instant.now();

        JsonPath answer = reset(user);

        String pass = answer.getString("oneTimePass");
        assertTrue(pass.matches("[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}"), pass);
        Instant expires = Instant.parse(answer.getString("oneTimePassExpires"));
        assertTrue(!expires.isBefore(before.plus(Duration.ofHours(24)).minusSeconds(5))
                && expires.isBefore(Instant.now().plus(Duration.ofHours(24)).plusSeconds(5)), expires.toString());
        List<CredentialRepresentation> stored = admin.credentials(PASS_REALM, user.id(), PASS_CREDENTIAL);
        assertEquals(1, stored.size());
        assertFalse(String.valueOf(stored.get(0).getCredentialData()).contains(pass.replace("-", "")), "only a hash is stored");

        Browser browser = new Browser();
        Page passPage = loginWithPassword(browser, user);
        assertTrue(passPage.has(PASS_FORM), "the pass page after the password: " + passPage);
        assertEquals("off", passPage.attr("#oneTimePass", "autocomplete"));
        assertNoQrCode(passPage);

        Page wrong = browser.submit(passPage, PASS_FORM, Map.of("oneTimePass", "AAAAA-AAAAA"));
        assertTrue(wrong.text("#input-error-oneTimePass").contains("That one-time pass is not correct."), wrong.toString());
        assertNoQrCode(wrong);
        assertEquals("invalid_user_credentials", admin.events(PASS_REALM, user.id(), "LOGIN_ERROR").get(0).getError());

        // Read aloud and typed by the user: case, spaces and the dash do not matter.
        Page enrol = browser.submit(wrong, PASS_FORM, Map.of("oneTimePass", " " + pass.toLowerCase().replace("-", " ")));
        assertTrue(enrol.has("#group-totp-enrol-form"), "the new QR code after the right pass: " + enrol);
        assertTrue(submitEnrolment(browser, enrol, AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key"))).result().loggedIn());

        assertEquals("reset", lastLoginOutcome(user));
        assertEquals("checked", admin.lastEventDetail(PASS_REALM, user.id(), "LOGIN", "group_totp_reset_pass"));
        assertEquals(List.of(), admin.credentials(PASS_REALM, user.id(), PASS_CREDENTIAL), "the pass is spent");
        assertEquals(List.of(), admin.requiredActions(PASS_REALM, user.id()));

        AdminEventRepresentation event = admin.realm(PASS_REALM)
                .getAdminEvents(List.of("ACTION"), null, null, null, null, null, null, null, 0, 50).stream()
                .filter(e -> e.getResourcePath().equals("users/" + user.id() + "/group-totp-reset"))
                .findFirst().orElseThrow(() -> new AssertionError("no admin event for the reset"));
        assertEquals("issued", event.getDetails().get("one_time_pass"));
        assertEquals(expires.toString(), event.getDetails().get("one_time_pass_expires"));
        assertFalse(String.valueOf(event.getRepresentation()).contains(pass), "the event never holds the pass");
        assertFalse(event.getDetails().toString().contains(pass));
    }

    @Test
    void aPassPageLeftOpenIsDeadOnceTheResetIsDoneAndAUsedPassOpensNothing() {
        TestUser user = newUserIn(PASS_REALM, "/staff");
        enrol(user);
        String pass = reset(user).getString("oneTimePass");
        Browser phisher = new Browser();
        Page stale = loginWithPassword(phisher, user);
        assertTrue(stale.has(PASS_FORM));

        Browser owner = new Browser();
        Page enrol = owner.submit(loginWithPassword(owner, user), PASS_FORM, Map.of("oneTimePass", pass));
        assertTrue(submitEnrolment(owner, enrol, AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key"))).result().loggedIn());

        Page refused = phisher.submit(stale, PASS_FORM, Map.of("oneTimePass", pass));
        assertFalse(refused.loggedIn());
        assertNoQrCode(refused);
        assertTrue(refused.body().contains("Your one-time pass has expired or was already used. Ask your help desk for a new reset."), refused.toString());
        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-code-form"), "after the reset: the new phone's code, no pass page");
    }

    @Test
    void aSecondResetReplacesThePass() {
        TestUser user = newUserIn(PASS_REALM, "/staff");
        enrol(user);
        String first = reset(user).getString("oneTimePass");
        String second = reset(user).getString("oneTimePass");

        Browser browser = new Browser();
        Page passPage = loginWithPassword(browser, user);
        Page refused = browser.submit(passPage, PASS_FORM, Map.of("oneTimePass", first));
        assertTrue(refused.text("#input-error-oneTimePass").contains("That one-time pass is not correct."), refused.toString());
        assertTrue(browser.submit(refused, PASS_FORM, Map.of("oneTimePass", second)).has("#group-totp-enrol-form"));
        assertEquals(1, admin.credentials(PASS_REALM, user.id(), PASS_CREDENTIAL).size(), "one pass, the second");
    }

    @Test
    void anExpiredPassEndsAtAPageThatSaysWhatToDo() {
        CredentialRepresentation expired = new CredentialRepresentation();
        expired.setType(PASS_CREDENTIAL);
        expired.setCredentialData("{\"expires\":\"2020-01-01T00:00:00Z\",\"algorithm\":\"pbkdf2-sha256\",\"hashIterations\":1}");
        expired.setSecretData("{\"value\":\"AAAA\",\"salt\":\"AAAA\",\"additionalParameters\":{}}");
        TestUser user = newUserWithCredentials(PASS_REALM, List.of(expired), "/staff");
        admin.assignRequiredAction(PASS_REALM, user.id(), "group-totp-reset");

        Page page = loginWithPassword(new Browser(), user);

        assertFalse(page.loggedIn());
        assertNoQrCode(page);
        assertTrue(page.body().contains("Your one-time pass has expired or was already used. Ask your help desk for a new reset."), page.toString());
        assertEquals("group_totp_reset_pass_expired", admin.events(PASS_REALM, user.id(), "LOGIN_ERROR").get(0).getError());
    }

    @Test
    void wrongPassesCountLikeWrongCodes() {
        TestUser user = newUserIn(PASS_REALM, "/staff");
        enrol(user);
        reset(user);
        Browser browser = new Browser();
        Page page = loginWithPassword(browser, user);
        for (int wrong = 0; wrong < 5; wrong++) {
            page = browser.submit(page, PASS_FORM, Map.of("oneTimePass", "BBBBB-BBBBB"));
        }
        assertFalse(page.has(PASS_FORM), "five wrong passes end this login: " + page);
        assertTrue(page.body().contains("Too many wrong codes"), page.toString());
    }

    @Test
    void aResetAssignedByHandAsksNoPassAndIsLogged() throws Exception {
        TestUser user = newUserIn(PASS_REALM, "/staff");
        enrol(user);
        admin.assignRequiredAction(PASS_REALM, user.id(), "group-totp-reset");

        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-enrol-form"), "as before: the new QR code");
        awaitLog("User " + user.id() + " of realm " + PASS_REALM + " sets up a new authenticator after a reset without a one-time pass");
    }

    @Test
    void withResetPassOffAResetWorksAsBefore() {
        TestUser user = newUserIn(OFF_REALM, "/staff");
        enrol(user);

        JsonPath answer = reset(user);

        assertNull(answer.get("oneTimePass"));
        assertEquals(List.of(), admin.credentials(OFF_REALM, user.id(), PASS_CREDENTIAL));
        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-enrol-form"), "straight to the new QR code");
    }
}
