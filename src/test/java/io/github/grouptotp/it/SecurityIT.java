package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpCookie;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.models.utils.Base32;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.models.utils.HmacOTP;

/**
 * Forged and replayed input: nothing an attacker posts changes a user's credentials or gets a login without the
 * second factor. Each test is one case of the security test cases in docs/security.md.
 */
class SecurityIT extends KeycloakIT {

    /** A copy of the demo realm with brute-force detection off, Keycloak's default. */
    static final String NO_BRUTE_FORCE_REALM = "group-totp-no-brute-force";

    @BeforeAll
    static void importRealm() {
        importDemoRealmCopy(NO_BRUTE_FORCE_REALM, Map.of(), realm -> realm.setBruteForceProtected(false));
    }

    private static String attackerKey() {
        return Base32.encode(HmacOTP.generateSecret(20).getBytes());
    }

    private String onlyCredentialId(TestUser user) {
        List<CredentialRepresentation> otp = admin.credentials(user.realm(), user.id(), "otp");
        assertEquals(1, otp.size(), "exactly one OTP credential");
        return otp.get(0).getId();
    }

    @Test
    void aSecretChosenByTheClientIsIgnored() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        Page enrol = loginToEnrolPage(browser, user);
        String attackerKey = attackerKey();
        AuthenticatorApp attacker = AuthenticatorApp.fromKey(attackerKey);

        Page refused = browser.submit(enrol, "#group-totp-enrol-form",
                Map.of("otp", attacker.freshCode(), "totpSecret", attackerKey, "secret", attackerKey));

        assertFalse(refused.loggedIn());
        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));
        AuthenticatorApp shown = AuthenticatorApp.fromKey(refused.text("#kc-totp-secret-key"));
        Page page = browser.submit(refused, "#group-totp-enrol-form",
                Map.of("otp", shown.freshCode(), "totpSecret", attackerKey));
        if (page.has(RECOVERY_CODES_FORM)) {
            page = browser.submit(page, RECOVERY_CODES_FORM, Map.of("saved", "on"));
        }
        assertTrue(page.loggedIn());
        // The stored credential is the one whose key the page showed, not the attacker's.
        Browser next = new Browser();
        Page codePage = loginWithPassword(next, user);
        assertFalse(next.submit(codePage, "#group-totp-code-form", Map.of("otp", attacker.freshCode())).loggedIn());
        Browser third = new Browser();
        assertTrue(third.submit(loginWithPassword(third, user), "#group-totp-code-form", Map.of("otp", shown.freshCode())).loggedIn());
    }

    @Test
    void anEnrolmentPostedToTheCodePageCannotReplaceTheCredential() {
        TestUser user = newUser("/staff");
        enrol(user);
        String credential = onlyCredentialId(user);
        String attackerKey = attackerKey();
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);

        Page refused = browser.submit(codePage, "#group-totp-code-form",
                Map.of("otp", AuthenticatorApp.fromKey(attackerKey).freshCode(), "totpSecret", attackerKey, "enrol", ""));

        assertFalse(refused.loggedIn());
        assertEquals(credential, onlyCredentialId(user));
    }

    @Test
    void twoTabsEnrollingOneAfterTheOtherLeaveOneCredentialAndTheSecondTabAsksItsCode() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        Page tab1 = loginToEnrolPage(browser, user);
        Page tab2 = loginToEnrolPage(browser, user);
        AuthenticatorApp app1 = AuthenticatorApp.fromKey(tab1.text("#kc-totp-secret-key"));
        AuthenticatorApp app2 = AuthenticatorApp.fromKey(tab2.text("#kc-totp-secret-key"));

        Page first = submitEnrolment(browser, tab1, app1).result();
        Page second = browser.submit(tab2, "#group-totp-enrol-form", Map.of("otp", app2.freshCode()));

        assertTrue(first.loggedIn(), first.toString());
        assertFalse(second.loggedIn(), second.toString());
        assertTrue(second.has("#group-totp-code-form"), "the second tab asks for the code of the app set up in the first: " + second);
        assertTrue(browser.submit(second, "#group-totp-code-form", Map.of("otp", app1.freshCode())).loggedIn());
        onlyCredentialId(user);
    }

    @Test
    void twoWindowsConfirmingAtTheSameMomentLeaveExactlyOneCredential() throws Exception {
        for (int round = 0; round < 3; round++) {
            TestUser user = newUser("/staff");
            Browser browser = new Browser();
            Page tab1 = loginToEnrolPage(browser, user);
            Page tab2 = loginToEnrolPage(browser, user);
            String code1 = AuthenticatorApp.fromKey(tab1.text("#kc-totp-secret-key")).freshCode();
            String code2 = AuthenticatorApp.fromKey(tab2.text("#kc-totp-secret-key")).freshCode();
            Browser window1 = browser.copy();
            Browser window2 = browser.copy();
            StartingGate start = new StartingGate(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Timed<Page>> first = pool.submit(() -> {
                    start.pass();
                    return Timed.of(() -> window1.submit(tab1, "#group-totp-enrol-form", Map.of("otp", code1)));
                });
                Future<Timed<Page>> second = pool.submit(() -> {
                    start.pass();
                    return Timed.of(() -> window2.submit(tab2, "#group-totp-enrol-form", Map.of("otp", code2)));
                });
                start.open();
                List<Timed<Page>> answers = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
                assertInFlightTogether(answers);
                answers.forEach(answer -> assertTrue(answer.value().status() < 500, answer.value().toString()));
            } finally {
                pool.shutdownNow();
            }
            onlyCredentialId(user);
        }
    }

    /**
     * A replayed form never reaches the step: Keycloak's session code is single-use. What the step adds for two posts
     * that do reach it at once is {@link #twoWindowsConfirmingAtTheSameMomentLeaveExactlyOneCredential}.
     */
    @Test
    void aReplayedEnrolmentFormIsDiscardedByKeycloakAndStoresNothingMore() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        Page enrol = loginToEnrolPage(browser, user);
        String code = AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key")).freshCode();

        Page first = browser.submit(enrol, "#group-totp-enrol-form", Map.of("otp", code));
        Page replay = browser.submit(enrol, "#group-totp-enrol-form", Map.of("otp", code));

        assertTrue(first.status() < 500 && replay.status() < 500, replay.toString());
        onlyCredentialId(user);
    }

    @Test
    void aCodePostedToAnotherBrowsersLoginDoesNotLogIn() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Page victimsCodePage = loginWithPassword(new Browser(), user);

        Browser attacker = new Browser();
        Page page = attacker.submit(victimsCodePage, "#group-totp-code-form", Map.of("otp", app.freshCode()));

        assertTrue(page.status() < 500, page.toString());
        assertFalse(page.loggedIn(), page.toString());
    }

    @Test
    void aCodePostedToAFinishedLoginGivesNoServerError() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);
        assertTrue(browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());

        Page stale = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.wrongCode()));

        assertTrue(stale.status() < 500, stale.toString());
        onlyCredentialId(user);
    }

    @Test
    void aCodeWithASpaceAsAppsShowItIsAccepted() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        String code = app.freshCode();

        Page page = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form",
                Map.of("otp", code.substring(0, 3) + " " + code.substring(3)));

        assertTrue(page.loggedIn(), page.toString());
    }

    /** The code page of a new login after four wrong codes, each refused on the page the server just served. */
    private Page afterFourWrongCodes(Browser browser, TestUser user, AuthenticatorApp app) {
        Page page = loginWithPassword(browser, user);
        for (int attempt = 1; attempt <= 4; attempt++) {
            page = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
            assertTrue(page.text("#input-error-otp").startsWith("That code is not correct."), "attempt " + attempt);
        }
        return page;
    }

    @Test
    void fiveWrongCodesEndTheLoginEvenWithoutBruteForceDetection() {
        TestUser user = newUserIn(NO_BRUTE_FORCE_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        Page page = afterFourWrongCodes(browser, user, app);

        Page fifth = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));

        assertTrue(fifth.body().contains("Too many wrong codes for this login. Start the login again."), fifth.body());
        assertTrue(fifth.has("#group-totp-restart"));
        assertFalse(fifth.has("#group-totp-code-form"), "no code form: nothing can be posted to this login any more");
        // A fresh request for the login's current page (a reload) does not bring the code page back either.
        Page reloaded = browser.get(fifth.uri().toString());
        assertFalse(reloaded.loggedIn() || reloaded.has("#group-totp-code-form"), reloaded.toString());
        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-code-form"), "a new login may try again");
    }

    @Test
    void fourWrongCodesThenTheRightOneLogIn() {
        // The control for the test above: the same login, one wrong code fewer, accepts the right code.
        TestUser user = newUserIn(NO_BRUTE_FORCE_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        Page page = afterFourWrongCodes(browser, user, app);

        assertTrue(browser.submit(page, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());
    }

    @Test
    void aRememberCookieFromAnotherRealmIsRefused() {
        TestUser elsewhere = newUserIn(NO_BRUTE_FORCE_REALM, "/staff");
        Browser other = new Browser();
        enrolIn(other, elsewhere);
        HttpCookie foreign = other.cookies("GROUP_TOTP_REMEMBER_").get(0);
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        HttpCookie own = browser.cookies("GROUP_TOTP_REMEMBER_").get(0);
        browser.restart();

        browser.putCookie(own.getName(), foreign.getValue(), own.getPath());

        assertTrue(loginWithPassword(browser, user).has("#group-totp-code-form"));
    }

    @Test
    void deletingTheOnlyAuthenticatorAfterTheGracePeriodForcesANewOne() {
        TestUser user = newUserWithGrace(REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff");
        enrol(user);

        // An admin deletes it (a trusted reset; a removal by the user without proof leads to the help desk instead).
        admin.user(REALM, user.id()).removeCredential(onlyCredentialId(user));

        Page page = loginWithPassword(new Browser(), user);
        assertTrue(page.has("#group-totp-enrol-form"), page.toString());
        assertFalse(page.has("[name=skip]"));
    }

    @Test
    void anEnrolledRequiredUserWithoutAGraceStartGetsOneStamped() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        // An admin deletes the grace record (admins may; users cannot).
        admin.user(REALM, user.id()).removeCredential(admin.credentials(REALM, user.id(), GRACE_CREDENTIAL).get(0).getId());

        Browser browser = new Browser();
        assertTrue(browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());

        assertEquals(1, admin.credentials(REALM, user.id(), GRACE_CREDENTIAL).size(),
                "stamped again: removing the app later opens no fresh grace period");
    }
}
