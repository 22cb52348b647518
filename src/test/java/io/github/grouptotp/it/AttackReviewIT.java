package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.admin.client.resource.UserProfileResource;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;

/**
 * The attack review (issue 18), each attack against a realm set up as real deployments run: brute-force detection
 * off (Keycloak's default) and unmanaged attributes enabled (what realms upgraded from Keycloak 23 or older get).
 */
class AttackReviewIT extends KeycloakIT {

    static final String ATTACK_REALM = "group-totp-attacks";
    /** The same, with Keycloak's stock browser flow: the reset required action runs without the step before it. */
    static final String STOCK_FLOW_REALM = "group-totp-attacks-stock-flow";
    /** The same, with the reset required action switched off. */
    static final String NO_RESET_REALM = "group-totp-attacks-no-reset";
    static final String USERS = "/admin/realms/{realm}/group-totp/users/{id}/";

    @BeforeAll
    static void realmsAsRealDeploymentsRunThem() {
        for (String realm : List.of(ATTACK_REALM, STOCK_FLOW_REALM, NO_RESET_REALM)) {
            importDemoRealmCopy(realm, Map.of(), rep -> {
                rep.setBruteForceProtected(false);
                if (realm.equals(STOCK_FLOW_REALM)) {
                    rep.setBrowserFlow("browser");
                }
                if (realm.equals(NO_RESET_REALM)) {
                    rep.getRequiredActions().stream().filter(a -> a.getAlias().equals("group-totp-reset")).forEach(a -> a.setEnabled(false));
                }
            });
            UserProfileResource profile = KeycloakServer.get().admin().realm(realm).users().userProfile();
            UPConfig config = profile.getConfiguration();
            config.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ENABLED);
            profile.update(config);
        }
    }

    private String accessToken(Page loggedIn) {
        return exchange(ATTACK_REALM, loggedIn.authorizationCode().orElseThrow()).getString("access_token");
    }

    // ---------------------------------------------------------------- 1: nothing the user writes decides the grace period

    @Test
    void aUserCannotGiveThemselvesGraceThroughAttributesOrRemoveTheGraceRecord() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        Browser browser = new Browser();
        Page grace = loginWithPassword(browser, user);
        String deadline = grace.attr("#group-totp-deadline", "datetime");
        String token = accessToken(browser.submit(grace, "#group-totp-grace-form", Map.of("skip", "")));

        // The account REST API accepts any undeclared attribute in such a realm: the old attribute, the record's name.
        given().baseUri(server.baseUrl()).auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("username", user.username(), "email", user.username() + "@example.org", "firstName", "Test",
                        "lastName", user.username(), "attributes", Map.of(
                                "group-totp-grace-start", List.of("2099-01-01T00:00:00Z"),
                                "group-totp-grace", List.of("{\"start\":\"2099-01-01T00:00:00Z\",\"until\":\"2099-01-15T00:00:00Z\"}"))))
                .post("/realms/{realm}/account", ATTACK_REALM)
                .then().statusCode(204);
        assertEquals("2099-01-01T00:00:00Z", admin.userAttribute(ATTACK_REALM, user.id(), "group-totp-grace-start"),
                "the realm stored what the user wrote");

        assertEquals(deadline, loginWithPassword(new Browser(), user).attr("#group-totp-deadline", "datetime"), "the same deadline");

        // Nor can the user remove the record, to start a fresh period: not through the account REST API ...
        String record = admin.credentials(ATTACK_REALM, user.id(), GRACE_CREDENTIAL).get(0).getId();
        int status = given().baseUri(server.baseUrl()).auth().oauth2(token).accept(ContentType.JSON)
                .delete("/realms/{realm}/account/credentials/{id}", ATTACK_REALM, record).statusCode();
        assertTrue(status == 400 || status == 404, "refused: " + status);
        // ... nor through Keycloak's delete_credential action.
        Browser aia = new Browser();
        Page page = aia.submit(aia.get(authUrl(ATTACK_REALM) + "&kc_action=delete_credential:" + record), "#kc-form-login",
                Map.of("username", user.username(), "password", user.password()));
        page = aia.submit(page, "#group-totp-grace-form", Map.of("skip", ""));
        assertTrue(page.has("#kc-accept"), "Keycloak's delete confirmation: " + page);
        Page deleted = aia.submit(page, "form", Map.of("accept", ""));
        assertFalse(deleted.loggedIn(), "refused: " + deleted);
        assertEquals(1, admin.credentials(ATTACK_REALM, user.id(), GRACE_CREDENTIAL).size(), "the record is still there");
        assertEquals(deadline, loginWithPassword(new Browser(), user).attr("#group-totp-deadline", "datetime"));
    }

    @Test
    void anUnusableGraceRecordMeansGraceOverAndIsLoggedOnceWithoutItsContent() throws Exception {
        TestUser future = newUserWithGrace(ATTACK_REALM, "{\"start\":\"2099-01-01T00:00:00Z\"}", "/staff");
        TestUser garbage = newUserWithGrace(ATTACK_REALM, "next tuesday <evil>\nFAKE LOG LINE", "/staff");

        for (TestUser user : List.of(future, garbage)) {
            for (int login = 0; login < 2; login++) {
                Page page = loginWithPassword(new Browser(), user);
                assertTrue(page.has("#group-totp-enrol-form") && !page.has("[name=skip]"), "grace over: " + page);
            }
        }

        awaitLog("User " + future.id() + " of realm '" + ATTACK_REALM + "': the grace record starts in the future");
        awaitLog("User " + garbage.id() + " of realm '" + ATTACK_REALM + "': the grace record is not readable");
        String log = server.log();
        assertEquals(1, occurrences(log, "User " + future.id() + " of realm"), "logged once for two logins");
        assertEquals(1, occurrences(log, "User " + garbage.id() + " of realm"), "logged once for two logins");
        assertFalse(log.contains("FAKE LOG LINE"), "never the stored text");
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void adminsGrantAFreshOrALongerGraceThatIsRecordedAndShown() {
        TestUser user = newUserWithGrace(ATTACK_REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff");
        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-enrol-form"), "overdue");

        JsonPath fresh = admin.request().contentType(ContentType.JSON).body(Map.of("reason", "Back from leave, ticket 17"))
                .post(USERS + "grace", ATTACK_REALM, user.id()).then().statusCode(200).extract().jsonPath();
        assertEquals(Instant.parse(fresh.getString("graceStart")).plus(Duration.ofDays(14)).toString(), fresh.getString("deadline"));
        assertEquals("14 days left to set it up.", loginWithPassword(new Browser(), user).text("#group-totp-days-left"));

        LocalDate until = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "Phone on order", "until", until.toString()))
                .post(USERS + "grace", ATTACK_REALM, user.id()).then().statusCode(200);
        assertEquals(until.toString(), loginWithPassword(new Browser(), user).attr("#group-totp-deadline", "datetime"));

        AdminEventRepresentation event = admin.realm(ATTACK_REALM)
                .getAdminEvents(List.of("ACTION"), null, null, null, null, "users/" + user.id() + "/group-totp-grace", null, null, 0, 10)
                .get(0);
        assertEquals("Phone on order", event.getDetails().get("reason"));
        assertEquals(until + "T00:00:00Z", event.getDetails().get("deadline"));
        assertEquals(admin.adminUserId(), event.getAuthDetails().getUserId());
        Map<String, Object> row = admin.request().accept(ContentType.JSON).queryParam("max", 1000)
                .get("/admin/realms/{realm}/group-totp/report", ATTACK_REALM).then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("users").stream()
                .filter(r -> user.id().equals(r.get("id"))).findFirst().orElseThrow();
        assertEquals(true, row.get("graceGranted"));
        assertEquals(until + "T00:00:00Z", row.get("deadline"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "{\"reason\":\" \"}", "{\"reason\":\"x\",\"until\":\"31-12-2099\"}",
            "{\"reason\":\"x\",\"until\":\"2020-01-01\"}", "{\"reason\":\"x\",\"until\":\"2099-01-01\"}"})
    void aGraceGrantNeedsAReasonAndAPlausibleDate(String body) {
        TestUser user = newUserWithGrace(ATTACK_REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff");

        admin.request().contentType(ContentType.JSON).body(body).post(USERS + "grace", ATTACK_REALM, user.id()).then().statusCode(400);

        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-enrol-form"), "still overdue");
    }

    @Test
    void onlyManageUsersGrantsGrace() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        TestUser viewer = newUserIn(ATTACK_REALM);
        admin.grantRealmManagementRole(ATTACK_REALM, viewer.id(), "view-users");

        given().baseUri(server.baseUrl()).auth().oauth2(admin.userToken(ATTACK_REALM, viewer.username(), viewer.password()))
                .contentType(ContentType.JSON).body(Map.of("reason", "x")).post(USERS + "grace", ATTACK_REALM, user.id())
                .then().statusCode(403);
        given().baseUri(server.baseUrl()).contentType(ContentType.JSON).body(Map.of("reason", "x"))
                .post(USERS + "grace", ATTACK_REALM, user.id()).then().statusCode(401);
        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "x")).post(USERS + "grace", ATTACK_REALM, "no-such-user")
                .then().statusCode(404);
    }

    // ---------------------------------------------------------------- 2: a stale reset page never finishes a login

    @Test
    void aStaleResetPageAsksForTheAuthenticatorTheOwnerSetUpMeanwhile() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        enrol(user);
        // The worst case: the thief has the password and the reset's one-time pass too.
        String pass = admin.request().contentType(ContentType.JSON).body(Map.of("reason", "phone lost"))
                .post(USERS + "reset", ATTACK_REALM, user.id()).then().statusCode(200).extract().jsonPath().getString("oneTimePass");
        Browser thief = new Browser();
        Page thiefsQrPage = thief.submit(loginWithPassword(thief, user), "#group-totp-reset-pass-form", Map.of("oneTimePass", pass));
        assertTrue(thiefsQrPage.has("#group-totp-enrol-form"), thiefsQrPage.toString());
        AuthenticatorApp thiefsApp = AuthenticatorApp.fromKey(thiefsQrPage.text("#kc-totp-secret-key"));

        Browser owner = new Browser();
        Page ownersQrPage = owner.submit(loginWithPassword(owner, user), "#group-totp-reset-pass-form", Map.of("oneTimePass", pass));
        AuthenticatorApp ownersApp = AuthenticatorApp.fromKey(ownersQrPage.text("#kc-totp-secret-key"));
        assertTrue(submitEnrolment(owner, ownersQrPage, ownersApp).result().loggedIn());

        Page anyCode = thief.submit(thiefsQrPage, "#group-totp-enrol-form", Map.of("otp", "000000"));
        assertFalse(anyCode.loggedIn(), anyCode.toString());
        assertTrue(anyCode.has("#group-totp-code-form"), "the owner's new app's code is asked: " + anyCode);
        // A valid code of the thief's own QR code, posted to the page the server just served: not the owner's app's.
        Page ownQr = thief.submit(anyCode, "#group-totp-code-form", Map.of("otp", thiefsApp.freshCode()));
        assertFalse(ownQr.loggedIn(), ownQr.toString());
        assertTrue(ownQr.text("#input-error-otp").startsWith("That code is not correct."), ownQr.toString());
        assertEquals(1, admin.credentials(ATTACK_REALM, user.id(), "otp").size(), "only the owner's authenticator");
        loginWithCode(new Browser(), user, ownersApp);
    }

    @Test
    void aStaleResetActionPageAsksForTheAuthenticatorTheOwnerSetUpMeanwhile() {
        TestUser user = newUserIn(STOCK_FLOW_REALM, "/staff");
        admin.assignRequiredAction(STOCK_FLOW_REALM, user.id(), "group-totp-reset");
        Browser thief = new Browser();
        Page thiefsQrPage = loginWithPassword(thief, user);
        assertTrue(thiefsQrPage.has("#group-totp-enrol-form"), "the reset action's QR page: " + thiefsQrPage);

        Browser owner = new Browser();
        Page ownersQrPage = loginWithPassword(owner, user);
        AuthenticatorApp ownersApp = AuthenticatorApp.fromKey(ownersQrPage.text("#kc-totp-secret-key"));
        assertTrue(submitEnrolment(owner, ownersQrPage, ownersApp).result().loggedIn());

        Page anyCode = thief.submit(thiefsQrPage, "#group-totp-enrol-form", Map.of("otp", "000000"));
        assertFalse(anyCode.loggedIn(), anyCode.toString());
        assertTrue(anyCode.has("#group-totp-code-form"), anyCode.toString());
        // The second step of #59: a valid code of the thief's own QR code, on the page the server just served.
        Page ownQr = thief.submit(anyCode, "#group-totp-code-form",
                Map.of("otp", AuthenticatorApp.fromKey(thiefsQrPage.text("#kc-totp-secret-key")).freshCode()));
        assertFalse(ownQr.loggedIn(), ownQr.toString());
        assertTrue(ownQr.text("#input-error-otp").startsWith("That code is not correct."), ownQr.toString());
        assertEquals(1, admin.credentials(STOCK_FLOW_REALM, user.id(), "otp").size(), "only the owner's authenticator");
        // The control: the owner's app logs in (Keycloak's own OTP form in this flow).
        Browser control = new Browser();
        Page otpForm = loginWithPassword(control, user);
        assertTrue(control.submit(otpForm, "#kc-otp-login-form", Map.of("otp", ownersApp.freshCode())).loggedIn());
    }

    // ---------------------------------------------------------------- 3: the reset's current-code page is capped

    @Test
    void theResetsCurrentCodePageEndsAfterFiveWrongCodes() {
        String secret = HmacOTP.generateSecret(20);
        TestUser user = newUserWithCredentials(STOCK_FLOW_REALM, List.of(Admin.otpCredential(secret)), "/staff");
        AuthenticatorApp app = AuthenticatorApp.fromSecret(secret);
        Browser browser = new Browser();
        Page page = browser.submit(browser.get(authUrl(STOCK_FLOW_REALM) + "&kc_action=group-totp-reset"), "#kc-form-login",
                Map.of("username", user.username(), "password", user.password()));
        // Keycloak's own OTP form first (the stock flow), then the reset's own current-code page.
        page = browser.submit(page, "#kc-otp-login-form", Map.of("otp", app.freshCode()));
        assertTrue(page.has("#group-totp-code-form"), "current code page: " + page);

        for (int wrong = 1; wrong <= 4; wrong++) {
            page = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
            assertTrue(page.has("#group-totp-code-form"), "wrong code " + wrong + ": the page again");
        }
        Page fifth = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));

        assertTrue(fifth.body().contains("Too many wrong codes for this login"), fifth.body());
        assertFalse(fifth.has("form"), "no form to post a code to: the login is spent");
        // Reloading what the login shows (a fresh request for its current page) does not bring a code page back.
        Page reloaded = browser.get(fifth.uri().toString());
        assertFalse(reloaded.has("#group-totp-code-form") || reloaded.has("#group-totp-enrol-form"), reloaded.toString());
        assertEquals(1, admin.credentials(STOCK_FLOW_REALM, user.id(), "otp").size(), "nothing removed");
    }

    // ---------------------------------------------------------------- 4: a per-user limit on wrong codes

    @Test
    void tenWrongCodesAcrossLoginsThenNoCodeIsCheckedEvenTheRightOneNorAnywhereElse() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        Enrolment enrolment = enrolIn(new Browser(), user);
        AuthenticatorApp app = enrolment.app();
        int wrong = 0;
        while (wrong < 10) {
            Browser browser = new Browser();
            Page page = loginWithPassword(browser, user);
            for (int i = 0; i < 4 && wrong < 10; i++, wrong++) {
                page = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
                assertTrue(page.text("#input-error-otp").startsWith("That code is not correct."), "wrong code " + (wrong + 1));
            }
        }

        // The right code from now on is refused unchecked, so the same one serves every attempt below.
        String rightCode = app.freshCode();
        Browser browser = new Browser();
        Page refused = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("otp", rightCode));
        assertFalse(refused.loggedIn());
        String message = refused.text("#input-error-otp");
        Matcher until = Pattern.compile("No code is accepted until (\\d\\d:\\d\\d) UTC \\(in (\\d+) min\\.\\)").matcher(message);
        assertTrue(until.find(), message);
        assertTrue(Integer.parseInt(until.group(2)) <= 15, message);
        assertEquals("group_totp_throttled", admin.events(ATTACK_REALM, user.id(), "LOGIN_ERROR").get(0).getError());
        Browser dutchBrowser = new Browser();
        Page dutchRefused = dutchBrowser.submit(loginWithPassword(dutchBrowser, user, "nl"), "#group-totp-code-form", Map.of("otp", rightCode));
        assertTrue(dutchRefused.text("#input-error-otp").contains("wordt geen enkele code aangenomen"), dutchRefused.body());

        // Nor through the direct grant, nor with a recovery code.
        given().baseUri(server.baseUrl()).formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", user.username()).formParam("password", user.password()).formParam("totp", rightCode)
                .post("/realms/{realm}/protocol/openid-connect/token", ATTACK_REALM)
                .then().body("error", org.hamcrest.Matchers.equalTo("invalid_grant"))
                .body("error_description", org.hamcrest.Matchers.equalTo("Invalid user credentials"));
        assertEquals("throttled", admin.events(ATTACK_REALM, user.id(), "LOGIN_ERROR").get(0).getDetails().get("group_totp_refused"),
                "refused like a wrong password; the reason in the event");
        Browser recovery = new Browser();
        Page recoveryPage = recovery.submit(loginWithPassword(recovery, user), "#group-totp-code-form", Map.of("recovery", ""));
        Page recoveryRefused = recovery.submit(recoveryPage, "#group-totp-recovery-form",
                Map.of("recoveryCodeInput", enrolment.recoveryCodes().get(0)));
        assertFalse(recoveryRefused.loggedIn());
        assertTrue(recoveryRefused.text("#input-error-recoveryCodeInput").contains("No code is accepted until"));
    }

    @Test
    void aRightCodeDoesNotCountTowardsTheLimit() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        for (int login = 0; login < 2; login++) {
            Browser browser = new Browser();
            Page page = loginWithPassword(browser, user);
            for (int i = 0; i < 4; i++) {
                page = browser.submit(page, "#group-totp-code-form", Map.of("otp", app.wrongCode()));
            }
        }
        Browser browser = new Browser();
        Page page = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("otp", app.wrongCode()));
        assertTrue(browser.submit(page, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());

        // Nine wrong codes and a right one: one more wrong code is still checked.
        Browser next = new Browser();
        Page checked = next.submit(loginWithPassword(next, user), "#group-totp-code-form", Map.of("otp", app.wrongCode()));
        assertTrue(checked.text("#input-error-otp").startsWith("That code is not correct."), checked.text("#input-error-otp"));
    }

    @Test
    void parallelGuessesDoNotGetPastTheLimit() throws Exception {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        List<Browser> browsers = new ArrayList<>();
        List<Page> codePages = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Browser browser = new Browser();
            browsers.add(browser);
            codePages.add(loginWithPassword(browser, user));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        StartingGate start = new StartingGate(16);
        List<Future<Timed<Page>>> answers = new ArrayList<>();
        String wrongCode = app.wrongCode();
        try {
            for (int i = 0; i < 16; i++) {
                Browser browser = browsers.get(i);
                Page codePage = codePages.get(i);
                answers.add(pool.submit(() -> {
                    start.pass();
                    return Timed.of(() -> browser.submit(codePage, "#group-totp-code-form", Map.of("otp", wrongCode)));
                }));
            }
            start.open();
            List<Timed<Page>> pages = new ArrayList<>();
            for (Future<Timed<Page>> answer : answers) {
                pages.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertInFlightTogether(pages);
            int checked = 0;
            int throttled = 0;
            for (Timed<Page> answer : pages) {
                String message = answer.value().text("#input-error-otp");
                if (message.startsWith("That code is not correct.")) {
                    checked++;
                } else if (message.contains("No code is accepted until")) {
                    throttled++;
                }
            }
            assertEquals(10, checked, "exactly the limit was checked");
            assertEquals(6, throttled);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- 5: credential changes need a fresh code

    @ParameterizedTest(name = "kc_action={0}")
    @ValueSource(strings = {"CONFIGURE_TOTP", "delete_credential", "webauthn-register", "UPDATE_PASSWORD", "group-totp-reset"})
    void aRememberedBrowserNeverSatisfiesAnApplicationInitiatedAction(String action) {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        browser.restart();
        assertTrue(loginWithPassword(browser, user).loggedIn(), "the browser is remembered");
        browser.restart();
        String kcAction = action.equals("delete_credential")
                ? action + ":" + admin.credentials(ATTACK_REALM, user.id(), "otp").get(0).getId() : action;

        Page page = browser.submit(browser.get(authUrl(ATTACK_REALM) + "&kc_action=" + kcAction), "#kc-form-login",
                Map.of("username", user.username(), "password", user.password()));

        assertTrue(page.has("#group-totp-code-form"), "a code before " + action + ": " + page);
        assertEquals(1, admin.credentials(ATTACK_REALM, user.id(), "otp").size());
    }

    @Test
    void aRememberedLoginReportsTheTimeTheCodeWasEnteredAsItsAuthenticationTime() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        String cookie = browser.cookies("GROUP_TOTP_REMEMBER_").get(0).getValue();
        long codeEntered = JsonPath.from(new String(Base64.getUrlDecoder().decode(cookie.split("\\.")[1]), StandardCharsets.UTF_8)).getLong("iat");
        long loginSecond = Instant.now().getEpochSecond();
        await("the next second").atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > loginSecond + 1);
        browser.restart();

        Page remembered = loginWithPassword(browser, user);

        String idToken = exchange(ATTACK_REALM, remembered.authorizationCode().orElseThrow()).getString("id_token");
        long authTime = JsonPath.from(new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8)).getLong("auth_time");
        assertEquals(codeEntered, authTime, "auth_time is when the code was entered, not this login");
    }

    // ---------------------------------------------------------------- 6: any unused recovery code, once

    @Test
    void anyUnusedRecoveryCodeWorksOnce() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        List<String> codes = enrolIn(new Browser(), user).recoveryCodes();
        Browser browser = new Browser();

        Page third = useRecoveryCode(browser, user, codes.get(2));

        assertTrue(third.has("#group-totp-enrol-form"), "the third code of the list works: " + third);
        assertTrue(submitEnrolment(browser, third, AuthenticatorApp.fromKey(third.text("#kc-totp-secret-key"))).result().loggedIn());
        Page again = useRecoveryCode(new Browser(), user, codes.get(2));
        assertFalse(again.loggedIn());
        assertTrue(again.text("#input-error-recoveryCodeInput").contains("not valid or was already used"), again.body());
    }

    @Test
    void theLastRecoveryCodeWorksOnAPageLeftOpenWhileTheUserLoggedInElsewhere() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        Enrolment enrolment = enrolIn(new Browser(), user);
        Browser browser = new Browser();
        Page recovery = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("recovery", ""));
        // The page is left open; the user logs in elsewhere with the app meanwhile.
        loginWithCode(new Browser(), user, enrolment.app());

        Page first = browser.submit(recovery, "#group-totp-recovery-form", Map.of("recoveryCodeInput", enrolment.recoveryCodes().get(11)));

        assertTrue(first.has("#group-totp-enrol-form"), "the last code of the list works too: " + first);
    }

    @Test
    void theSameRecoveryCodeInThreeWindowsAtOnceWorksOnce() throws Exception {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        List<String> codes = enrolIn(new Browser(), user).recoveryCodes();
        List<Browser> windows = List.of(new Browser(), new Browser(), new Browser());
        List<Page> pages = new ArrayList<>();
        for (Browser window : windows) {
            pages.add(window.submit(loginWithPassword(window, user), "#group-totp-code-form", Map.of("recovery", "")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(windows.size());
        StartingGate start = new StartingGate(windows.size());
        List<Future<Timed<Page>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < windows.size(); i++) {
                Browser window = windows.get(i);
                Page page = pages.get(i);
                answers.add(pool.submit(() -> {
                    start.pass();
                    return Timed.of(() -> window.submit(page, "#group-totp-recovery-form", Map.of("recoveryCodeInput", codes.get(5))));
                }));
            }
            start.open();
            List<Timed<Page>> timed = new ArrayList<>();
            for (Future<Timed<Page>> answer : answers) {
                timed.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertInFlightTogether(timed);
            int accepted = 0;
            for (Timed<Page> answer : timed) {
                Page page = answer.value();
                assertTrue(page.status() < 500, page.toString());
                if (page.has("#group-totp-enrol-form")) {
                    accepted++;
                }
            }
            assertEquals(1, accepted);
        } finally {
            pool.shutdownNow();
        }
    }

    private Page useRecoveryCode(Browser browser, TestUser user, String code) {
        Page recovery = browser.submit(loginWithPassword(browser, user), "#group-totp-code-form", Map.of("recovery", ""));
        return browser.submit(recovery, "#group-totp-recovery-form", Map.of("recoveryCodeInput", code));
    }

    // ---------------------------------------------------------------- 7: a reset signs the thief out

    @Test
    void aResetEndsEverySessionAndOfflineTokenOfTheUser() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        String offlineToken = offlineToken(user, app);
        String client = admin.realm(ATTACK_REALM).clients().findByClientId(TestApp.CLIENT_ID).get(0).getId();
        assertFalse(admin.user(ATTACK_REALM, user.id()).getUserSessions().isEmpty());
        assertEquals(1, admin.user(ATTACK_REALM, user.id()).getOfflineSessions(client).size());
        refresh(offlineToken).then().statusCode(200);

        JsonPath reset = admin.request().contentType(ContentType.JSON).body(Map.of("reason", "phone stolen"))
                .post(USERS + "reset", ATTACK_REALM, user.id()).then().statusCode(200).extract().jsonPath();

        assertEquals(true, reset.getBoolean("signedOut"));
        assertEquals(List.of(), admin.user(ATTACK_REALM, user.id()).getUserSessions());
        assertEquals(List.of(), admin.user(ATTACK_REALM, user.id()).getOfflineSessions(client));
        refresh(offlineToken).then().statusCode(400);
    }

    @Test
    void aResetWithSignOutFalseKeepsTheSessions() {
        TestUser user = newUserIn(ATTACK_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        loginWithCode(new Browser(), user, app);
        int before = admin.user(ATTACK_REALM, user.id()).getUserSessions().size();

        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "new phone", "signOut", false))
                .post(USERS + "reset", ATTACK_REALM, user.id()).then().statusCode(200);

        assertEquals(before, admin.user(ATTACK_REALM, user.id()).getUserSessions().size());
    }

    @Test
    void aResetIsRefusedWhenTheRequiredActionIsNotEnabledAndChangesNothing() {
        TestUser user = newUserIn(NO_RESET_REALM, "/staff");
        enrol(user);

        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "phone lost"))
                .post(USERS + "reset", NO_RESET_REALM, user.id())
                .then().statusCode(409).body("error_description", containsString("not enabled"));

        assertEquals(1, admin.credentials(NO_RESET_REALM, user.id(), "otp").size());
        assertEquals(List.of(), admin.requiredActions(NO_RESET_REALM, user.id()));
    }

    private String offlineToken(TestUser user, AuthenticatorApp app) {
        Browser browser = new Browser();
        Page codePage = browser.submit(browser.get(authUrl(ATTACK_REALM).replace("scope=openid", "scope=openid%20offline_access")),
                "#kc-form-login", Map.of("username", user.username(), "password", user.password()));
        Page done = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        return exchange(ATTACK_REALM, done.authorizationCode().orElseThrow()).getString("refresh_token");
    }

    private io.restassured.response.Response refresh(String refreshToken) {
        return given().baseUri(server.baseUrl()).formParam("grant_type", "refresh_token").formParam("client_id", TestApp.CLIENT_ID)
                .formParam("refresh_token", refreshToken).post("/realms/{realm}/protocol/openid-connect/token", ATTACK_REALM);
    }
}
