package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.admin.client.resource.UserProfileResource;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;

/**
 * The second attack review (issue 24): no second factor is removed or replaced without proof in the same login, on
 * any route. Each attack runs against a realm set up as real deployments run: brute-force detection off, unmanaged
 * attributes enabled, a remembered browser at hand, the help desk re-issuing a pass. Each test has a control: the
 * same request where the rule does not apply, accepted.
 */
class AttackReviewTwoIT extends KeycloakIT {

    static final String REALM2 = "group-totp-attacks-2";
    static final String USERS = "/admin/realms/{realm}/group-totp/users/{id}/";
    static final String HELP_DESK = "Contact your help desk";
    static Mailbox mail;

    @BeforeAll
    static void realmAsRealDeploymentsRunIt() {
        mail = Mailbox.start();
        importDemoRealmCopy(REALM2, Map.of(), rep -> {
            rep.setBruteForceProtected(false);
            rep.setSmtpServer(mail.smtpServer());
        });
        UserProfileResource profile = KeycloakServer.get().admin().realm(REALM2).users().userProfile();
        UPConfig config = profile.getConfiguration();
        config.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ENABLED);
        profile.update(config);
    }

    @AfterAll
    static void stopMailServer() {
        mail.close();
    }

    /** A browser remembered for the user (enrolled in it), its SSO session gone, as on a shared PC. */
    private record Remembered(Browser browser, Enrolment enrolment) {
    }

    private Remembered rememberedBrowser(TestUser user) {
        Browser browser = new Browser();
        Enrolment enrolment = enrolIn(browser, user);
        browser.restart();
        return new Remembered(browser, enrolment);
    }

    /** Enrolment needs a required group; the extranet cases move the user afterwards. */
    private void moveTo(TestUser user, String group) {
        if (!group.equals("/staff")) {
            admin.leaveGroup(user.realm(), user.id(), "/staff");
            admin.joinGroup(user.realm(), user.id(), group);
        }
    }

    private String otpId(TestUser user) {
        List<CredentialRepresentation> otp = admin.credentials(user.realm(), user.id(), "otp");
        assertEquals(1, otp.size(), otp.toString());
        return otp.get(0).getId();
    }

    private static void assertHelpDeskPage(Page page) {
        assertFalse(page.loggedIn(), page.toString());
        assertFalse(page.has("#group-totp-enrol-form") || page.has("#kc-totp-secret-key"), "no QR code: " + page);
        assertTrue(page.body().contains(HELP_DESK), "the help-desk page: " + page.body());
    }

    private Page login(Browser browser, TestUser user, String extraParameters) {
        return browser.submit(browser.get(authUrl(user.realm()) + extraParameters), "#kc-form-login",
                Map.of("username", user.username(), "password", user.password()));
    }

    // ------------------------------------------------ 1: a factor removed without proof never leads to a password-only enrolment

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/staff", "/extranet"})
    void aFactorRemovedOverTheAccountRestApiFromARememberedSessionLeadsToTheHelpDesk(String group) {
        TestUser user = newUserIn(REALM2, "/staff");
        Remembered remembered = rememberedBrowser(user);
        moveTo(user, group);
        Page passwordOnly = loginWithPassword(remembered.browser(), user);
        assertTrue(passwordOnly.loggedIn(), "the remembered browser needs no code: " + passwordOnly);
        String token = exchange(REALM2, passwordOnly.authorizationCode().orElseThrow()).getString("access_token");

        // Keycloak still serves this deprecated endpoint and asks for no re-authentication: the extension cannot veto it.
        given().baseUri(server.baseUrl()).auth().oauth2(token).accept(ContentType.JSON)
                .delete("/realms/{realm}/account/credentials/{id}", REALM2, otpId(user)).then().statusCode(204);
        assertEquals(List.of(), admin.credentials(REALM2, user.id(), "otp"));

        Page fresh = loginWithPassword(new Browser(), user);

        assertHelpDeskPage(fresh);
        assertEquals("group_totp_factor_removed", admin.events(REALM2, user.id(), "LOGIN_ERROR").get(0).getError());
        Browser dutch = new Browser();
        assertTrue(loginWithPassword(dutch, user, "nl").body().contains("helpdesk"), "Dutch too");
    }

    @Test
    void anAdminsDeletionOfTheLastFactorStaysATrustedReset() {
        TestUser user = newUserIn(REALM2, "/staff");
        enrol(user);

        admin.user(REALM2, user.id()).removeCredential(otpId(user));

        assertMustEnrol(loginWithPassword(new Browser(), user)); // a new phone, as after any admin reset
    }

    @Test
    void aRemovalTheUserProvedWithAFreshCodeInTheSameLoginIsTheirs() {
        TestUser user = newUserIn(REALM2, "/staff");
        AuthenticatorApp app = enrol(user);
        moveTo(user, "/extranet");
        Browser browser = new Browser();

        Page code = login(browser, user, "&kc_action=delete_credential:" + otpId(user));
        Page confirm = browser.submit(code, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(confirm.has("#kc-accept"), "Keycloak's delete confirmation after the code: " + confirm);
        browser.submit(confirm, "form", Map.of("accept", ""));

        assertEquals(List.of(), admin.credentials(REALM2, user.id(), "otp"));
        assertTrue(loginWithPassword(new Browser(), user).loggedIn(), "an extranet user without 2FA now, by their own proven choice");
    }

    // ------------------------------------------------ 2: an SSO session of a remembered browser makes no account change

    @ParameterizedTest(name = "kc_action={0}")
    @ValueSource(strings = {"CONFIGURE_TOTP", "delete_credential", "CONFIGURE_RECOVERY_AUTHN_CODES"})
    void anSsoSessionOfARememberedBrowserAsksAFreshCodeBeforeAnAccountChange(String action) {
        TestUser user = newUserIn(REALM2, "/staff");
        Remembered remembered = rememberedBrowser(user);
        Browser browser = remembered.browser();
        assertTrue(loginWithPassword(browser, user).loggedIn(), "remembered: an SSO session without a code");
        String kcAction = action.equals("delete_credential") ? action + ":" + otpId(user) : action;

        // Within Keycloak's max_auth_age of the cookie's time: Keycloak itself does not re-authenticate.
        Page page = browser.get(authUrl(REALM2) + "&kc_action=" + kcAction);

        assertTrue(page.has("#group-totp-code-form"), "a fresh code before " + action + ": " + page + "\n" + page.body());
        assertTrue(page.body().contains("to confirm it is you"), page.body());
        assertEquals(1, admin.credentials(REALM2, user.id(), "otp").size());
        // Cancelling it as an application-initiated action (Keycloak's cancel-aia) only shows it again.
        page = browser.submit(page, "#group-totp-code-form", Map.of("cancel-aia", "true"));
        assertTrue(page.has("#group-totp-code-form"), "still the code before " + action + ": " + page);
        // The control: with the code, Keycloak's own page of the action follows.
        Page actionPage = browser.submit(page, "#group-totp-code-form", Map.of("otp", remembered.enrolment().app().freshCode()));
        assertFalse(actionPage.has("#group-totp-code-form"), actionPage.toString());
        assertTrue(actionPage.has("#kc-totp-settings-form") || actionPage.has("#kc-accept") || actionPage.has("#kc-recovery-codes-list"),
                "Keycloak's page for " + action + ": " + actionPage);
    }

    @Test
    void aUserWithoutASecondFactorGoesStraightToTheAction() {
        TestUser user = newUserIn(REALM2, "/extranet");
        Browser browser = new Browser();
        assertTrue(loginWithPassword(browser, user).loggedIn());

        Page page = browser.get(authUrl(REALM2) + "&kc_action=CONFIGURE_TOTP");

        assertTrue(page.has("#kc-totp-settings-form") && !page.has("#group-totp-code-form"), "nothing to replace, nothing asked: " + page);
    }

    // ------------------------------------------------ 3: prompt=login and max_age want a fresh code, SSO or not

    @Test
    void promptLoginAndAnOldMaxAgeAreNotSatisfiedByARememberedBrowser() {
        TestUser user = newUserIn(REALM2, "/staff");
        Remembered remembered = rememberedBrowser(user);
        Browser browser = remembered.browser();
        String cookieValue = browser.cookies("GROUP_TOTP_REMEMBER_").get(0).getValue();
        long issued = JsonPath.from(new String(java.util.Base64.getUrlDecoder().decode(cookieValue.split("\\.")[1]))).getLong("iat");

        assertTrue(login(browser, user, "").loggedIn(), "the control: remembered");
        browser.restart();
        assertTrue(login(browser, user, "&max_age=3600").loggedIn(), "a max_age the cookie meets: remembered");
        browser.restart();
        assertTrue(login(browser, user, "&prompt=login").has("#group-totp-code-form"), "prompt=login: a fresh code");
        browser.restart();
        await("two seconds after the code").atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > issued + 2);
        assertTrue(login(browser, user, "&max_age=1").has("#group-totp-code-form"), "a max_age older than the cookie: a fresh code");
    }

    // ------------------------------------------------ 4: forgot password in a remembered browser

    @Test
    void theForgotPasswordLinkInARememberedBrowserStillNeedsTheCode() throws Exception {
        TestUser user = newUserIn(REALM2, "/staff");
        Remembered remembered = rememberedBrowser(user);
        Browser browser = remembered.browser();
        assertTrue(loginWithPassword(browser, user).loggedIn(), "the control: remembered at login");
        browser.restart();

        Page afterLink = mail.followResetLink(this, browser, REALM2, user.username());

        assertFalse(afterLink.has("#kc-passwd-update-form"), "no new password on the e-mail link alone: " + afterLink);
        assertTrue(afterLink.has("#group-totp-code-form"), afterLink.toString());
    }


    // ------------------------------------------------ 5: after a recovery code the old app stays until the new one is confirmed

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/staff", "/extranet"})
    void aRecoveryCodeDoesNotRemoveTheAppBeforeTheNewPhoneIsConfirmed(String group) {
        TestUser user = newUserIn(REALM2, "/staff");
        Enrolment enrolment = enrolIn(new Browser(), user);
        moveTo(user, group);
        String oldApp = otpId(user);
        Browser browser = new Browser();
        Page recovery = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("recovery", ""));
        Page newQr = browser.submit(recovery, "#group-totp-recovery-form", Map.of("recoveryCodeInput", enrolment.recoveryCodes().get(0)));
        assertTrue(newQr.has("#group-totp-enrol-form"), newQr.toString());
        // No new phone at hand: the page is left.

        assertEquals(oldApp, otpId(user), "the old app stays");
        Page next = loginWithPassword(new Browser(), user);
        assertTrue(next.has("#group-totp-code-form"), "still asked for a code, no QR code: " + next);
        loginWithCode(new Browser(), user, enrolment.app());
    }

    // ------------------------------------------------ 6: a reset takes the recovery codes; recoveryCodes=false means no route

    @Test
    void aHelpDeskResetRemovesTheRecoveryCodesToo() {
        TestUser user = newUserIn(REALM2, "/staff");
        Enrolment enrolment = enrolIn(new Browser(), user);
        String codes = admin.credentials(REALM2, user.id(), "recovery-authn-codes").get(0).getId();

        JsonPath reset = resetUser(user, Map.of("reason", "phone stolen with its recovery codes"));

        assertTrue(reset.getList("removedCredentials").contains(codes), reset.prettify());
        assertEquals(List.of(), admin.credentials(REALM2, user.id(), "recovery-authn-codes"));
        // The owner sets up a new phone and leaves the new codes unsaved; the thief's old code still opens nothing.
        Browser owner = new Browser();
        Page qr = owner.submit(loginWithPassword(owner, user), "#group-totp-reset-pass-form", Map.of("oneTimePass", reset.getString("oneTimePass")));
        Page newCodes = owner.submit(qr, "#group-totp-enrol-form", Map.of("otp", AuthenticatorApp.fromKey(qr.text("#kc-totp-secret-key")).freshCode()));
        assertTrue(newCodes.has(RECOVERY_CODES_FORM), newCodes.toString());
        Page codePage = loginWithPassword(new Browser(), user);
        assertFalse(codePage.has("#group-totp-code-form button[name=recovery]"), "no recovery route without codes: " + codePage);
        assertFalse(enrolment.recoveryCodes().isEmpty());
    }

    @Test
    void withRecoveryCodesOffThereIsNoRecoveryRouteAtAll() {
        String realm = importDemoRealmCopy("group-totp-attacks-2-no-recovery", Map.of(), rep -> rep.setBruteForceProtected(false));
        TestUser user = newUserIn(realm, "/staff");
        Enrolment enrolment = enrolIn(new Browser(), user);
        Browser control = new Browser();
        Page offered = control.submit(loginWithPassword(control, user), "#group-totp-code-form", Map.of("recovery", ""));
        assertTrue(offered.has("#group-totp-recovery-form"), "the control: with recoveryCodes on, the route is there");

        admin.updateStepConfig(realm, FLOW, Map.of("recoveryCodes", "false"));

        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);
        assertFalse(codePage.has("#group-totp-code-form button[name=recovery]"), "not offered: " + codePage);
        Page posted = browser.submit(codePage, "#group-totp-code-form", Map.of("recovery", ""));
        assertFalse(posted.has("#group-totp-recovery-form"), "not accepted either: " + posted);
        Page leftOpen = control.submit(offered, "#group-totp-recovery-form", Map.of("recoveryCodeInput", enrolment.recoveryCodes().get(0)));
        assertFalse(leftOpen.has("#group-totp-enrol-form") || leftOpen.loggedIn(), "nor on a page left open: " + leftOpen);
    }

    // ------------------------------------------------ 7-9: the pass lives until the reset is done, on every flow, for one reset

    @Test
    void aResetFinishedInTheRequiredActionIsDoneAtOnceAndLeavesNoPasswordOnlyEnrolment() {
        TestUser user = newUserIn(REALM2, "/staff");
        AuthenticatorApp oldApp = enrol(user);
        Browser owner = new Browser();
        loginWithCode(owner, user, oldApp);
        String pass = resetUser(user, Map.of("reason", "new phone", "signOut", false)).getString("oneTimePass");
        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-reset-pass-form"), "the control: the pass is asked");

        // The owner's open session runs the reset action at the next application login.
        Page passPage = owner.get(authUrl(REALM2));
        assertTrue(passPage.has("#group-totp-reset-pass-form"), "the reset action in the SSO session: " + passPage);
        Page qr = owner.submit(passPage, "#group-totp-reset-pass-form", Map.of("oneTimePass", pass));
        AuthenticatorApp newApp = AuthenticatorApp.fromKey(qr.text("#kc-totp-secret-key"));
        Page codes = owner.submit(qr, "#group-totp-enrol-form", Map.of("otp", newApp.freshCode()));
        assertTrue(codes.has(RECOVERY_CODES_FORM), codes.toString());
        // The owner closes the recovery-codes page.

        assertEquals(List.of(), admin.requiredActions(REALM2, user.id()), "the reset is done with the new app");
        assertEquals(List.of(), admin.credentials(REALM2, user.id(), "group-totp-reset-pass"));
        Page passwordOnly = loginWithPassword(new Browser(), user);
        assertTrue(passwordOnly.has("#group-totp-code-form"), "the new app's code, no QR code: " + passwordOnly);
        loginWithCode(new Browser(), user, newApp);
    }

    @Test
    void aNewerResetVoidsALoginAlreadyPastTheOlderPass() {
        TestUser user = newUserIn(REALM2, "/staff");
        enrol(user);
        String first = resetUser(user, Map.of("reason", "phone lost")).getString("oneTimePass");
        Browser overheard = new Browser();
        Page qr = overheard.submit(loginWithPassword(overheard, user), "#group-totp-reset-pass-form", Map.of("oneTimePass", first));
        assertTrue(qr.has("#group-totp-enrol-form"), qr.toString());

        String second = resetUser(user, Map.of("reason", "the first pass was overheard")).getString("oneTimePass");
        Page done = overheard.submit(qr, "#group-totp-enrol-form", Map.of("otp", AuthenticatorApp.fromKey(qr.text("#kc-totp-secret-key")).freshCode()));

        assertFalse(done.loggedIn(), done.toString());
        assertTrue(done.body().contains("Ask your help desk for a new reset"), done.body());
        assertEquals(List.of(), admin.credentials(REALM2, user.id(), "otp"), "nothing stored");
        assertEquals(List.of("group-totp-reset"), admin.requiredActions(REALM2, user.id()));
        // The control: the newer pass works.
        Browser owner = new Browser();
        Page ownersQr = owner.submit(loginWithPassword(owner, user), "#group-totp-reset-pass-form", Map.of("oneTimePass", second));
        assertTrue(submitEnrolment(owner, ownersQr, AuthenticatorApp.fromKey(ownersQr.text("#kc-totp-secret-key"))).result().loggedIn());
    }

    @Test
    void anIssuedPassIsAskedOnEveryFlowWhateverItsStepSays() throws Exception {
        String realm = importDemoRealmCopy("group-totp-attacks-2-pass-flows", Map.of(), rep -> {
            rep.setBruteForceProtected(false);
            rep.setSmtpServer(mail.smtpServer());
            rep.getAuthenticatorConfig().stream().filter(c -> c.getAlias().equals("group-totp-reset-credentials-demo"))
                    .forEach(c -> c.getConfig().put("resetPass", "off"));
        });
        TestUser user = newUserIn(realm, "/staff");
        enrol(user);
        resetUser(user, Map.of("reason", "phone lost"));

        Page afterLink = mail.followResetLink(this, new Browser(), realm, user.username());

        assertTrue(afterLink.has("#group-totp-reset-pass-form"), "the issued pass, though this flow's step says resetPass=off: " + afterLink);
        assertFalse(afterLink.has("#kc-totp-secret-key"));
    }

    // ------------------------------------------------ 10: the direct grant tells nothing the password grant would not

    @Test
    void theDirectGrantAnswersEveryRefusalLikeAWrongPassword() {
        TestUser enrolled = newUserIn(REALM2, "/staff");
        AuthenticatorApp app = enrol(enrolled);
        TestUser mustEnrol = newUserIn(REALM2, "/staff");
        // The control: Keycloak's answer to wrong credentials, from a user who does not exist (nobody's brute-force count).
        Response wrongPassword = passwordGrant(new TestUser(REALM2, "none", "no-such-user-" + enrolled.username(), "x"), "x", null);

        for (Response refused : List.of(passwordGrant(enrolled, enrolled.password(), null), passwordGrant(enrolled, enrolled.password(), "12345"),
                passwordGrant(enrolled, enrolled.password(), app.wrongCode()), passwordGrant(mustEnrol, mustEnrol.password(), null))) {
            assertEquals(wrongPassword.statusCode(), refused.statusCode());
            assertEquals(wrongPassword.jsonPath().getMap(""), refused.jsonPath().getMap(""));
        }
        passwordGrant(enrolled, enrolled.password(), app.freshCode()).then().statusCode(200);
    }

    private Response passwordGrant(TestUser user, String password, String totp) {
        var request = given().baseUri(server.baseUrl()).formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", user.username()).formParam("password", password);
        if (totp != null) {
            request.formParam("totp", totp);
        }
        return request.post("/realms/{realm}/protocol/openid-connect/token", user.realm());
    }

    // ------------------------------------------------ 11: an admin clears a limit someone filled to lock the owner out

    @Test
    void anAdminClearsTheLimitOnWrongCodes() {
        TestUser user = newUserIn(REALM2, "/staff");
        AuthenticatorApp app = enrol(user);
        for (int wrong = 0; wrong < 10; wrong++) {
            passwordGrant(user, user.password(), app.wrongCode());
        }
        Browser owner = new Browser();
        Page refused = owner.submit(loginWithPassword(owner, user), "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(refused.text("#input-error-otp").contains("No code is accepted until"), "locked out by the limit: " + refused);

        JsonPath cleared = admin.request().delete(USERS + "throttle", REALM2, user.id()).then().statusCode(200).extract().jsonPath();

        assertEquals(10, cleared.getInt("clearedWrongCodes"));
        // The refused code was never checked, so it is still unused.
        assertTrue(owner.submit(refused, "#group-totp-code-form", Map.of("otp", app.lastCode())).loggedIn(), "the owner's code works again");
        AdminEventRepresentation event = admin.realm(REALM2)
                .getAdminEvents(List.of("DELETE"), null, null, null, null, "users/" + user.id() + "/group-totp-throttle", null, null, 0, 10).get(0);
        assertEquals(admin.adminUserId(), event.getAuthDetails().getUserId());
        TestUser viewer = newUserIn(REALM2);
        admin.grantRealmManagementRole(REALM2, viewer.id(), "view-users");
        given().baseUri(server.baseUrl()).auth().oauth2(admin.userToken(REALM2, viewer.username(), viewer.password()))
                .delete(USERS + "throttle", REALM2, user.id()).then().statusCode(403);
        admin.request().delete(USERS + "throttle", REALM2, "no-such-user").then().statusCode(404);
    }

    // ------------------------------------------------ the per-user limit counts on every route that checks a secret

    enum Route { BROWSER_CODE, RECOVERY_CODE, ONE_TIME_PASS, RESET_ACTION_PASS, DIRECT_GRANT }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Route.class)
    void tenWrongSecretsOnOneRouteFillTheLimitAcrossLogins(Route route) {
        String realm = route == Route.RESET_ACTION_PASS ? stockFlowRealm() : REALM2;
        // Keycloak's stock flow enrols nobody: that user gets an authenticator as an admin would import one.
        TestUser user = route == Route.RESET_ACTION_PASS
                ? newUserWithCredentials(realm, List.of(Admin.otpCredential(org.keycloak.models.utils.HmacOTP.generateSecret(20))), "/staff")
                : newUserIn(realm, "/staff");
        Enrolment enrolment = route == Route.RESET_ACTION_PASS ? null : enrolIn(new Browser(), user);
        String pass = route == Route.ONE_TIME_PASS || route == Route.RESET_ACTION_PASS
                ? resetUser(user, Map.of("reason", "limit test")).getString("oneTimePass") : null;

        int wrong = 0;
        while (wrong < 10) {
            if (route == Route.DIRECT_GRANT) {
                passwordGrant(user, user.password(), enrolment.app().wrongCode());
                wrong++;
                continue;
            }
            Browser browser = new Browser();
            Page page = secretPage(browser, user, route);
            for (int inLogin = 0; inLogin < 4 && wrong < 10; inLogin++, wrong++) {
                page = submitSecret(browser, page, route, wrongSecret(route, enrolment));
                assertTrue(page.body().contains("not correct") || page.body().contains("not valid"), route + ", wrong " + (wrong + 1) + ": " + page);
            }
        }

        Browser browser = new Browser();
        Page page = secretPage(browser, user, route);
        String right = route == Route.RECOVERY_CODE ? enrolment.recoveryCodes().get(0) : pass != null ? pass : enrolment.app().freshCode();
        Page refused = submitSecret(browser, page, route == Route.DIRECT_GRANT ? Route.BROWSER_CODE : route, right);
        assertTrue(refused.body().contains("is accepted until"), "the right secret is refused at the limit: " + refused.body());
        // The control: the same right secret on a fresh page, once an admin cleared the limit, is accepted.
        admin.request().delete(USERS + "throttle", realm, user.id()).then().statusCode(200);
        Page accepted = submitSecret(browser, secretPage(browser, user, route), route == Route.DIRECT_GRANT ? Route.BROWSER_CODE : route, right);
        assertTrue(accepted.loggedIn() || accepted.has("#group-totp-enrol-form"), "accepted once the limit is cleared: " + accepted);
    }

    private String stockFlowRealm() {
        String name = "group-totp-attacks-2-stock-flow";
        if (admin.keycloak().realms().findAll().stream().noneMatch(r -> r.getRealm().equals(name))) {
            importDemoRealmCopy(name, Map.of(), rep -> {
                rep.setBruteForceProtected(false);
                rep.setBrowserFlow("browser");
            });
        }
        return name;
    }

    /** The page of a new login where the route's secret is typed. */
    private Page secretPage(Browser browser, TestUser user, Route route) {
        Page page = loginWithPassword(browser, user);
        return route == Route.RECOVERY_CODE ? browser.submit(page, "#group-totp-code-form", Map.of("recovery", "")) : page;
    }

    private Page submitSecret(Browser browser, Page page, Route route, String secret) {
        return switch (route) {
            case BROWSER_CODE, DIRECT_GRANT -> browser.submit(page, "#group-totp-code-form", Map.of("otp", secret));
            case RECOVERY_CODE -> browser.submit(page, "#group-totp-recovery-form", Map.of("recoveryCodeInput", secret));
            case ONE_TIME_PASS, RESET_ACTION_PASS -> browser.submit(page, "#group-totp-reset-pass-form", Map.of("oneTimePass", secret));
        };
    }

    private static String wrongSecret(Route route, Enrolment enrolment) {
        return switch (route) {
            case BROWSER_CODE, DIRECT_GRANT -> enrolment.app().wrongCode();
            case RECOVERY_CODE -> "AAAA-BBBB-CCCC";
            case ONE_TIME_PASS, RESET_ACTION_PASS -> "BBBBB-BBBBB";
        };
    }

    // ------------------------------------------------ 12: the user's own way to forget every remembered browser

    @Test
    void aUserForgetsEveryRememberedBrowserAtOnce() {
        TestUser user = newUserIn(REALM2, "/staff");
        Remembered home = rememberedBrowser(user);
        Browser office = new Browser();
        loginWithCode(office, user, home.enrolment().app());
        office.restart();
        assertTrue(loginWithPassword(office, user).loggedIn(), "the control: remembered in the office");
        office.restart();

        // Forgetting takes nothing away, so the remembered session at home may ask it without a code.
        assertTrue(loginWithPassword(home.browser(), user).loggedIn());
        Page done = home.browser().get(authUrl(REALM2) + "&kc_action=group-totp-forget-browsers");
        assertTrue(done.appRedirect() != null && done.appRedirect().toString().contains("kc_action_status=success"), done.toString());

        assertTrue(loginWithPassword(office, user).has("#group-totp-code-form"), "the office is asked again");
        home.browser().restart();
        assertTrue(loginWithPassword(home.browser(), user).has("#group-totp-code-form"), "and this browser too");
    }

    private JsonPath resetUser(TestUser user, Map<String, Object> body) {
        return admin.request().contentType(ContentType.JSON).body(body).post(USERS + "reset", user.realm(), user.id())
                .then().statusCode(200).extract().jsonPath();
    }
}
