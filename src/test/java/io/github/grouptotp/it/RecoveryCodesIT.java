package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Keycloak's recovery codes, shown after enrolment and usable on the code page ("Lost your phone?"). */
class RecoveryCodesIT extends KeycloakIT {

    private Page recoveryPage(Browser browser, TestUser user) {
        Page codePage = loginWithPassword(browser, user);
        assertTrue(codePage.has("#group-totp-code-form button[name=recovery]"), "recovery offered: " + codePage);
        Page recovery = browser.submit(codePage, "#group-totp-code-form", Map.of("recovery", ""));
        assertTrue(recovery.has("#group-totp-recovery-form"), recovery.toString());
        return recovery;
    }

    @Test
    void recoveryCodesAreShownOnceAfterEnrolmentAndStoredByKeycloak() {
        TestUser user = newUser("/staff");

        Enrolment enrolment = enrolIn(new Browser(), user);

        assertEquals(12, enrolment.recoveryCodes().size());
        assertTrue(enrolment.recoveryCodes().get(0).matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"), enrolment.recoveryCodes().get(0));
        assertEquals(1, admin.credentials(REALM, user.id(), "recovery-authn-codes").size());
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);
        Page done = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", enrolment.app().freshCode()));
        assertTrue(done.loggedIn(), "no recovery codes page at later logins: " + done);
    }

    @Test
    void aRecoveryCodeLogsInOnceAndForcesANewPhoneAndNewCodesInTheSameLogin() {
        TestUser user = newUser("/staff");
        Enrolment old = enrolIn(new Browser(), user);
        String oldCredential = admin.credentials(REALM, user.id(), "otp").get(0).getId();
        Browser browser = new Browser();

        Page enrol = browser.submit(recoveryPage(browser, user), "#group-totp-recovery-form",
                Map.of("recoveryCodeInput", old.recoveryCodes().get(0)));

        assertTrue(enrol.has("#group-totp-enrol-form"), "a new phone is set up in the same login: " + enrol);
        assertFalse(enrol.has("[name=skip]"));
        assertFalse(enrol.has("[name=factor]"), "after a recovery code only a new app is offered");
        // A security key asked for anyway (a forged button) is not registered: the new app completes this login.
        enrol = browser.submit(enrol, "#group-totp-enrol-form", Map.of("factor", "webauthn"));
        assertFalse(enrol.has("#registerWebAuthn"), "no key registration after a recovery code: " + enrol);
        assertTrue(enrol.has("#group-totp-enrol-form"), enrol.toString());
        assertEquals(List.of(oldCredential), admin.credentials(REALM, user.id(), "otp").stream().map(c -> c.getId()).toList(),
                "the lost phone's credential stays until the new phone is confirmed");
        Enrolment fresh = submitEnrolment(browser, enrol, AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key")));
        assertTrue(fresh.result().loggedIn(), fresh.result().toString());
        assertEquals(12, fresh.recoveryCodes().size(), "new recovery codes");
        assertFalse(fresh.recoveryCodes().contains(old.recoveryCodes().get(1)));
        assertEquals("recovery_code", lastLoginOutcome(user));
        assertEquals(List.of(), admin.requiredActions(REALM, user.id()), "nothing was stored on the user for this login");
        assertEquals(1, admin.credentials(REALM, user.id(), "otp").size(), "the new phone replaced the lost one");
        assertFalse(admin.credentials(REALM, user.id(), "otp").get(0).getId().equals(oldCredential));

        // Neither the used code nor the other old ones work again.
        for (String oldCode : List.of(old.recoveryCodes().get(0), old.recoveryCodes().get(1))) {
            Browser again = new Browser();
            Page refused = again.submit(recoveryPage(again, user), "#group-totp-recovery-form", Map.of("recoveryCodeInput", oldCode));
            assertFalse(refused.loggedIn(), "old code " + oldCode);
            assertTrue(refused.text("#input-error-recoveryCodeInput").contains("not valid or was already used"));
        }
    }

    @Test
    void aWrongRecoveryCodeIsRefusedAndCountedForBruteForce() throws Exception {
        TestUser user = newUser("/staff");
        enrolIn(new Browser(), user);
        Browser browser = new Browser();

        Page refused = browser.submit(recoveryPage(browser, user), "#group-totp-recovery-form",
                Map.of("recoveryCodeInput", "AAAA-BBBB-CCCC"));

        assertFalse(refused.loggedIn());
        assertTrue(refused.text("#input-error-recoveryCodeInput").contains("not valid or was already used"));
        awaitBruteForceFailures(user, 1);
    }

    @Test
    void backToTheAppCode() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrolIn(new Browser(), user).app();
        Browser browser = new Browser();

        Page codePage = browser.submit(recoveryPage(browser, user), "#group-totp-recovery-form", Map.of("code", ""));

        assertTrue(codePage.has("#group-totp-code-form"), codePage.toString());
        assertTrue(browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());
    }
}
