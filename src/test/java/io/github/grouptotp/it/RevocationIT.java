package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Nothing outlives a revocation (issue 14): every remembered browser of a user stops counting, at the next login,
 * when the user signs out of devices, changes the password (or an admin does), the OTP credentials change, an admin
 * disables the user, or the realm's not-before moves. (An admin's sign-out, a removed OTP credential and a plain
 * logout are in RememberedBrowserIT; "forgot password" in ResetCredentialsIT.)
 */
class RevocationIT extends KeycloakIT {

    static final String REVOCATION_REALM = "group-totp-revocation";
    /** Its own realm: moving a realm's not-before ends every remembered browser in it. */
    static final String NOT_BEFORE_REALM = "group-totp-revocation-realm";

    @BeforeAll
    static void importRealms() {
        importDemoRealmCopy(REVOCATION_REALM, Map.of());
        importDemoRealmCopy(NOT_BEFORE_REALM, Map.of());
    }

    /** A staff user enrolled in a browser that is now remembered (and closed: its SSO session is gone). */
    private record Remembered(TestUser user, AuthenticatorApp app, Browser browser) {
    }

    private Remembered rememberedUser(String realm) {
        TestUser user = newUserIn(realm, "/staff");
        Browser browser = new Browser();
        AuthenticatorApp app = enrolIn(browser, user).app();
        browser.restart();
        return new Remembered(user, app, browser);
    }

    private void assertStillRemembered(Remembered remembered, String password) {
        TestUser user = new TestUser(remembered.user().realm(), remembered.user().id(), remembered.user().username(), password);
        assertTrue(loginWithPassword(remembered.browser(), user).loggedIn(), "still remembered");
        remembered.browser().restart();
    }

    private static void assertAskedForCode(Page page) {
        assertFalse(page.loggedIn(), "a code must be asked: " + page);
        assertTrue(page.has("#group-totp-code-form"), "code page expected: " + page);
    }

    private TestUser withPassword(TestUser user, String password) {
        return new TestUser(user.realm(), user.id(), user.username(), password);
    }

    @Test
    void signingOutOfAllDevicesRevokes() {
        Assumptions.assumeTrue(KeycloakServer.atLeast("26.5"),
                "Keycloak before 26.5 reports a sign-out of devices by the account REST API to no extension (README)");
        Remembered remembered = rememberedUser(REVOCATION_REALM);
        assertStillRemembered(remembered, remembered.user().password());
        // The user, on another device, in the account console ("Sign out all devices") or its REST API.
        Page elsewhere = loginWithCode(new Browser(), remembered.user(), remembered.app());
        String token = exchange(REVOCATION_REALM, elsewhere.authorizationCode().orElseThrow()).getString("access_token");

        given().baseUri(server.baseUrl()).auth().oauth2(token).accept(ContentType.JSON)
                .delete("/realms/{realm}/account/sessions", REVOCATION_REALM).then().statusCode(204);

        assertAskedForCode(loginWithPassword(remembered.browser(), remembered.user()));
    }

    @Test
    void aPasswordChangedByTheUserRevokes() {
        Remembered remembered = rememberedUser(REVOCATION_REALM);
        Browser other = new Browser();
        Page codePage = other.submit(other.get(authUrl(REVOCATION_REALM) + "&kc_action=UPDATE_PASSWORD"), "#kc-form-login",
                Map.of("username", remembered.user().username(), "password", remembered.user().password()));
        Page update = other.submit(codePage, "#group-totp-code-form", Map.of("otp", remembered.app().freshCode()));
        assertTrue(update.has("#kc-passwd-update-form"), update.toString());

        Page done = other.submit(update, "#kc-passwd-update-form", Map.of("password-new", "New-pw-4711", "password-confirm", "New-pw-4711"));

        assertTrue(done.loggedIn(), done.toString());
        assertAskedForCode(loginWithPassword(remembered.browser(), withPassword(remembered.user(), "New-pw-4711")));
    }

    @Test
    void aPasswordSetByAnAdminRevokes() {
        Remembered remembered = rememberedUser(REVOCATION_REALM);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("Admin-set-4711");
        password.setTemporary(false);

        admin.user(REVOCATION_REALM, remembered.user().id()).resetPassword(password);

        assertAskedForCode(loginWithPassword(remembered.browser(), withPassword(remembered.user(), "Admin-set-4711")));
    }

    @Test
    void anotherAuthenticatorAddedByTheUserRevokes() {
        Remembered remembered = rememberedUser(REVOCATION_REALM);
        Browser other = new Browser();
        Page codePage = other.submit(other.get(authUrl(REVOCATION_REALM) + "&kc_action=CONFIGURE_TOTP"), "#kc-form-login",
                Map.of("username", remembered.user().username(), "password", remembered.user().password()));
        Page configure = other.submit(codePage, "#group-totp-code-form", Map.of("otp", remembered.app().freshCode()));
        assertTrue(configure.has("#kc-totp-settings-form"), "Keycloak's own set-up page: " + configure);
        AuthenticatorApp second = AuthenticatorApp.fromSecret(configure.document().selectFirst("input[name=totpSecret]").val());

        Page done = other.submit(configure, "#kc-totp-settings-form", Map.of("totp", second.freshCode(), "userLabel", "second phone"));

        assertTrue(done.loggedIn(), done.toString());
        assertEquals(2, admin.credentials(REVOCATION_REALM, remembered.user().id(), "otp").size());
        assertAskedForCode(loginWithPassword(remembered.browser(), remembered.user()));
    }

    @Test
    void disablingTheUserRevokes() {
        Remembered remembered = rememberedUser(REVOCATION_REALM);
        UserRepresentation user = admin.user(REVOCATION_REALM, remembered.user().id()).toRepresentation();

        user.setEnabled(false);
        admin.user(REVOCATION_REALM, remembered.user().id()).update(user);
        user.setEnabled(true);
        admin.user(REVOCATION_REALM, remembered.user().id()).update(user);

        assertAskedForCode(loginWithPassword(remembered.browser(), remembered.user()));
    }

    @Test
    void editingAnEnabledUserDoesNotRevoke() {
        Remembered remembered = rememberedUser(REVOCATION_REALM);
        UserRepresentation user = admin.user(REVOCATION_REALM, remembered.user().id()).toRepresentation();

        user.setFirstName("Renamed");
        admin.user(REVOCATION_REALM, remembered.user().id()).update(user);

        assertStillRemembered(remembered, remembered.user().password());
    }

    @Test
    void movingTheRealmsNotBeforeRevokes() {
        Remembered remembered = rememberedUser(NOT_BEFORE_REALM);

        admin.updateRealm(NOT_BEFORE_REALM, realm -> realm.setNotBefore((int) Instant.now().getEpochSecond()));

        assertAskedForCode(loginWithPassword(remembered.browser(), remembered.user()));
    }
}
