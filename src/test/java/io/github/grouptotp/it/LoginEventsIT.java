package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LOGIN event always says how the step let the user through (detail {@code group_totp}), whatever the realm did
 * with the unrelated {@code group-totp-reset} required action (enabled, disabled, or never registered) and whatever
 * other required action ends the login.
 */
class LoginEventsIT extends KeycloakIT {

    static final String ENABLED = "group-totp-events-reset-enabled";
    static final String DISABLED = "group-totp-events-reset-disabled";
    static final String NEVER_REGISTERED = "group-totp-events-reset-unregistered";

    @BeforeAll
    static void importRealms() {
        importDemoRealmCopy(ENABLED, Map.of());
        importDemoRealmCopy(DISABLED, Map.of(), realm -> realm.getRequiredActions().stream()
                .filter(action -> action.getAlias().equals("group-totp-reset")).forEach(action -> action.setEnabled(false)));
        importDemoRealmCopy(NEVER_REGISTERED, Map.of(), realm -> realm.getRequiredActions()
                .removeIf(action -> action.getAlias().equals("group-totp-reset")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ENABLED, DISABLED, NEVER_REGISTERED})
    void anEnrolmentWithItsRecoveryCodesPageIsRecordedAsEnrolled(String realm) {
        TestUser user = newUserIn(realm, "/staff");

        Enrolment enrolment = enrolIn(new Browser(), user);

        assertEquals(12, enrolment.recoveryCodes().size(), "the login went through the recovery codes page");
        assertEquals("enrolled", lastLoginOutcome(user));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ENABLED, DISABLED, NEVER_REGISTERED})
    void aRecoveryCodeAndTheNewPhoneAfterItAreRecordedAsRecoveryCode(String realm) {
        TestUser user = newUserIn(realm, "/staff");
        Enrolment old = enrolIn(new Browser(), user);
        Browser browser = new Browser();
        Page recovery = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("recovery", ""));
        Page enrol = browser.submit(recovery, "#group-totp-recovery-form", Map.of("recoveryCodeInput", old.recoveryCodes().get(0)));

        Enrolment fresh = submitEnrolment(browser, enrol, AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key")));

        assertTrue(fresh.result().loggedIn(), fresh.result().toString());
        assertEquals("recovery_code", lastLoginOutcome(user));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ENABLED, DISABLED, NEVER_REGISTERED})
    void aLoginThatEndsAfterAnotherRequiredActionStillCarriesTheOutcome(String realm) {
        TestUser user = newUserIn(realm, "/staff");
        AuthenticatorApp app = enrol(user);
        admin.assignRequiredAction(realm, user.id(), "UPDATE_PASSWORD");
        Browser browser = new Browser();

        Page update = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(update.has("#kc-passwd-update-form"), "Keycloak's own required action after the step: " + update);
        Page done = browser.submit(update, "#kc-passwd-update-form", Map.of("password-new", "Later-pw-0815", "password-confirm", "Later-pw-0815"));

        assertTrue(done.loggedIn(), done.toString());
        assertEquals("verified", lastLoginOutcome(user), "the LOGIN event sent after the other action");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ENABLED, DISABLED})
    void anAdminsResetIsRecordedAsReset(String realm) {
        TestUser user = newUserIn(realm, "/staff");
        enrol(user);
        admin.assignRequiredAction(realm, user.id(), "group-totp-reset");
        Browser browser = new Browser();
        Page enrol = loginWithPassword(browser, user);

        Enrolment fresh = submitEnrolment(browser, enrol, AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key")));

        assertTrue(fresh.result().loggedIn(), fresh.result().toString());
        assertEquals("reset", lastLoginOutcome(user));
        assertEquals(java.util.List.of(), admin.requiredActions(realm, user.id()), "the reset is done");
    }
}
