package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.keycloak.representations.idm.CredentialRepresentation;
import org.junit.jupiter.api.Test;

class EnrolmentIT extends KeycloakIT {

    @Test
    void staffUserEnrolsWithWrongThenRightCodeAndGetsAnAuthorizationCode() {
        TestUser alice = newUser("/staff");
        Browser browser = new Browser();

        Page enrol = loginToEnrolPage(browser, alice);

        assertEquals(200, enrol.status());
        assertEquals("Set up two-step verification", enrol.text("#kc-page-title"));
        assertTrue(enrol.attr("#kc-totp-secret-qr-code", "src").startsWith("data:image/png;base64,"));
        assertFalse(enrol.attr("#kc-totp-secret-qr-code", "alt").isBlank());
        String key = enrol.text("#kc-totp-secret-key");
        assertTrue(key.matches("([A-Z2-7]{4} )+[A-Z2-7]{1,4}"), "key in groups of four: " + key);
        String otpauth = enrol.attr("#group-totp-otpauth-link", "href");
        assertTrue(otpauth.startsWith("otpauth://totp/"), otpauth);
        assertTrue(otpauth.contains("secret=" + key.replace(" ", "")), "link carries the shown key");
        assertTrue(enrol.text("#kc-totp-supported-apps").contains("Google Authenticator"));
        assertEquals("one-time-code", enrol.attr("#group-totp-enrol-form input[name=otp]", "autocomplete"));
        assertEquals("numeric", enrol.attr("#group-totp-enrol-form input[name=otp]", "inputmode"));
        assertFalse(enrol.has("input[name=totpSecret]"), "the secret never travels in the form");

        AuthenticatorApp app = AuthenticatorApp.fromKey(key);
        Page wrong = browser.submit(enrol, "#group-totp-enrol-form", Map.of("otp", app.wrongCode()));

        assertFalse(wrong.loggedIn());
        assertTrue(wrong.text("#input-error-otp").contains("does not belong to the key shown"));
        assertEquals(key, wrong.text("#kc-totp-secret-key"), "same key after a wrong code: the user scanned it already");
        assertEquals(List.of(), admin.credentials(REALM, alice.id(), "otp"), "nothing stored before a valid code");

        Enrolment enrolment = submitEnrolment(browser, wrong, app);
        Page done = enrolment.result();

        assertTrue(done.loggedIn(), "logged in after enrolment: " + done);
        assertNotNull(exchange(REALM, done.authorizationCode().orElseThrow()).getString("access_token"));
        List<CredentialRepresentation> otp = admin.credentials(REALM, alice.id(), "otp");
        assertEquals(1, otp.size());
        assertEquals("enrolled", lastLoginOutcome(alice));
        assertEquals(1, admin.events(REALM, alice.id(), "UPDATE_CREDENTIAL").stream()
                .filter(e -> "otp".equals(e.getDetails().get("credential_type"))).count());
        assertEquals(12, enrolment.recoveryCodes().size(), "Keycloak's recovery codes were shown once, after enrolment");
    }

    @Test
    void enrolmentMakesKeycloaksOwnOtpCredentialFromTheRealmPolicy() {
        TestUser user = newUser("/staff");
        enrol(user);

        CredentialRepresentation credential = admin.credentials(REALM, user.id(), "otp").get(0);
        String data = credential.getCredentialData();
        assertTrue(data.contains("\"subType\":\"totp\""), data);
        assertTrue(data.contains("\"digits\":6"), data);
        assertTrue(data.contains("\"period\":30"), data);
        assertTrue(data.contains("\"algorithm\":\"HmacSHA1\""), data);
        assertEquals(null, credential.getSecretData(), "the admin API never shows the secret");
    }

    @Test
    void unconfirmedQrCodeIsThrownAwayAndAFreshOneIsShownNextTime() {
        TestUser user = newUser("/staff");
        Page first = loginToEnrolPage(new Browser(), user);
        String scannedKey = first.text("#kc-totp-secret-key");
        // The user scans the code, then closes the tab without entering a code.

        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));

        Browser later = new Browser();
        Page second = loginToEnrolPage(later, user);
        assertNotEquals(scannedKey, second.text("#kc-totp-secret-key"));

        Page refused = later.submit(second, "#group-totp-enrol-form",
                Map.of("otp", AuthenticatorApp.fromKey(scannedKey).freshCode()));
        assertFalse(refused.loggedIn(), "a code from the abandoned key must not enrol");
        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));
    }

    @Test
    void reloadingTheEnrolmentPageKeepsTheKeyOfThisLogin() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        Page enrol = loginToEnrolPage(browser, user);

        // What a reload or the back button requests: the step's URL without the one-time session code.
        String action = enrol.document().selectFirst("#group-totp-enrol-form").absUrl("action");
        Page reloaded = browser.get(action.replaceAll("session_code=[^&]+&", ""));

        assertEquals(enrol.text("#kc-totp-secret-key"), reloaded.text("#kc-totp-secret-key"));
    }

    @Test
    void enrolmentInDutch() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();

        Page enrol = loginToEnrolPage(browser, user, "nl");

        assertEquals("Verificatie in twee stappen instellen", enrol.text("#kc-page-title"));
        assertTrue(enrol.text("#group-totp-enrol-steps").contains("Installeer een van deze apps"));
        Page wrong = browser.submit(enrol, "#group-totp-enrol-form", Map.of("otp", "12ab"));
        assertEquals("Voer de 6 cijfers in die uw authenticator-app toont.", wrong.text("#input-error-otp"));
        assertFalse(wrong.body().contains("groupTotp."), "no untranslated message keys");
    }
}
