package io.github.grouptotp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.keycloak.representations.idm.CredentialRepresentation;
import org.junit.jupiter.api.Test;

/** The "Reset authenticator app" required action (group-totp-reset). */
class ResetIT extends KeycloakIT {

    static final String RESET = "group-totp-reset";

    private String onlyOtpCredentialId(TestUser user) {
        List<CredentialRepresentation> otp = admin.credentials(REALM, user.id(), "otp");
        assertEquals(1, otp.size(), "exactly one OTP credential: " + otp);
        return otp.get(0).getId();
    }

    @Test
    void resetAssignedByAnAdminAsksNoOldCodeAndEnrolsANewAuthenticator() {
        TestUser user = newUser("/staff");
        Browser rememberedBefore = new Browser();
        AuthenticatorApp oldPhone = enrolIn(rememberedBefore, user).app();
        String oldCredential = onlyOtpCredentialId(user);

        admin.assignRequiredAction(REALM, user.id(), RESET);
        Browser browser = new Browser();
        Page enrol = loginWithPassword(browser, user);

        assertTrue(enrol.has("#group-totp-enrol-form"), "straight to a new QR code, no old code: " + enrol);
        assertFalse(enrol.has("[name=skip]"), "no grace skip during a reset");
        assertTrue(enrol.body().contains("Your authenticator app was reset."));
        assertEquals(oldCredential, onlyOtpCredentialId(user), "the old credential stays until the new one is confirmed");

        AuthenticatorApp newPhone = AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key"));
        Page done = submitEnrolment(browser, enrol, newPhone).result();

        assertTrue(done.loggedIn(), done.toString());
        Map<String, String> removed = admin.events(REALM, user.id(), "REMOVE_CREDENTIAL").get(0).getDetails();
        assertEquals("otp", removed.get("credential_type"));
        assertEquals(oldCredential, removed.get("credential_id"));
        assertNotEquals(oldCredential, onlyOtpCredentialId(user));
        assertEquals(List.of(), admin.requiredActions(REALM, user.id()), "the reset is done");
        assertEquals(RESET, admin.lastEventDetail(REALM, user.id(), "CUSTOM_REQUIRED_ACTION", "custom_required_action"));
        assertEquals("reset", lastLoginOutcome(user));

        // The old phone's codes no longer work; the new phone's do.
        Browser later = new Browser();
        Page codePage = loginWithPassword(later, user);
        Page refused = later.submit(codePage, "#group-totp-code-form", Map.of("otp", oldPhone.freshCode()));
        assertFalse(refused.loggedIn());
        assertTrue(later.submit(refused, "#group-totp-code-form", Map.of("otp", newPhone.freshCode())).loggedIn());

        // A browser remembered before the reset is asked again.
        rememberedBefore.restart();
        assertTrue(loginWithPassword(rememberedBefore, user).has("#group-totp-code-form"));
    }

    @Test
    void anAbandonedResetKeepsNoHalfStateAndShowsAFreshQrCodeNextTime() {
        TestUser user = newUser("/staff");
        enrol(user);
        admin.assignRequiredAction(REALM, user.id(), RESET);

        Page first = loginWithPassword(new Browser(), user);
        String abandonedKey = first.text("#kc-totp-secret-key");
        // The user closes the tab.

        assertEquals(1, admin.credentials(REALM, user.id(), "otp").size(), "the old one kept, nothing new stored");
        assertEquals(List.of(RESET), admin.requiredActions(REALM, user.id()), "the reset is still pending");
        Browser browser = new Browser();
        Page second = loginWithPassword(browser, user);
        assertTrue(second.has("#group-totp-enrol-form"), second.toString());
        assertNotEquals(abandonedKey, second.text("#kc-totp-secret-key"));
        Page refused = browser.submit(second, "#group-totp-enrol-form",
                Map.of("otp", AuthenticatorApp.fromKey(abandonedKey).freshCode()));
        assertFalse(refused.loggedIn());
        assertEquals(1, admin.credentials(REALM, user.id(), "otp").size(), "only the old one");
    }

    @Test
    void aUserStartedResetReauthenticatesAndAsksTheCurrentCodeBeforeRemovingAnything() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        AuthenticatorApp oldPhone = enrolIn(browser, user).app();
        String oldCredential = onlyOtpCredentialId(user);

        // Keycloak compares authentication times in whole seconds: let the login's second pass (bounded).
        long loginSecond = Instant.now().getEpochSecond();
        await("the next second").atMost(Duration.ofSeconds(2)).until(() -> Instant.now().getEpochSecond() > loginSecond);

        // The application sends the user to Keycloak with kc_action (application-initiated action).
        Page reauth = browser.get(authUrl(REALM) + "&kc_action=" + RESET);
        assertTrue(reauth.has("#kc-form-login"), "re-authentication first: " + reauth);
        Page confirm = browser.submit(reauth, "#kc-form-login", Map.of("username", user.username(), "password", user.password()));

        assertTrue(confirm.has("#group-totp-code-form"), "current code asked, the remembered browser notwithstanding: " + confirm);
        assertEquals(oldCredential, onlyOtpCredentialId(user), "nothing removed before the code");
        Page wrong = browser.submit(confirm, "#group-totp-code-form", Map.of("otp", oldPhone.wrongCode()));
        assertTrue(wrong.has("#group-totp-code-form"));
        assertEquals(oldCredential, onlyOtpCredentialId(user), "nothing removed after a wrong code");

        Page enrol = browser.submit(wrong, "#group-totp-code-form", Map.of("otp", oldPhone.freshCode()));
        assertTrue(enrol.has("#group-totp-enrol-form"), enrol.toString());
        assertEquals(oldCredential, onlyOtpCredentialId(user), "the old one stays until the new one is confirmed");
        Page done = submitEnrolment(browser, enrol, AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key"))).result();
        assertTrue(done.appRedirect() != null, "back to the application: " + done);
        assertNotEquals(oldCredential, onlyOtpCredentialId(user));
    }
}
