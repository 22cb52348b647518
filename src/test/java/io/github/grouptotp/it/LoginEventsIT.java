package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LOGIN event always says how the step let the user through (detail {@code group_totp}), whatever the realm did
 * with the unrelated {@code group-totp-reset} required action: enabled, disabled, or never registered.
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
