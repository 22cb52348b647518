package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys and security keys count as the second factor: one that Keycloak checked earlier in the login stands in for
 * the step's code, and the step itself asks a user who has one for it, on Keycloak's own WebAuthn page. Real Chromium
 * with its virtual authenticator (a passkey on the "device", or a USB security key), through Keycloak's own WebAuthn
 * registration and login pages. In each test the same user's password login shows that the step does ask this user.
 */
class PasskeyIT extends KeycloakIT {

    /** The demo realm with the passwordless route: username, then a passkey or the password, then the step. */
    static final String PASSWORDLESS_REALM = "group-totp-passkey-step";
    /** The demo realm with Keycloak 26.4+'s passkeys in its username and password form. */
    static final String PASSKEYS_FORM_REALM = "group-totp-passkey-form";
    /** The passwordless route, with /staff a phishing-resistant group and no grace: a key or passkey at once. */
    static final String KEYS_NOW_REALM = "group-totp-keys-now";
    /** The same with the demo's grace period. */
    static final String KEYS_GRACE_REALM = "group-totp-keys-grace";

    private final List<WebDriver> drivers = new ArrayList<>();

    @BeforeAll
    static void importRealms() {
        importDemoRealmCopy(PASSWORDLESS_REALM, Map.of(), PasskeyIT::passwordlessBrowserFlow);
        importDemoRealmCopy(KEYS_NOW_REALM, Map.of("phishingResistantGroups", "/staff", "graceDays", "0"), PasskeyIT::passwordlessBrowserFlow);
        importDemoRealmCopy(KEYS_GRACE_REALM, Map.of("phishingResistantGroups", "/staff"), PasskeyIT::passwordlessBrowserFlow);
        if (KeycloakServer.atLeast("26.4")) {
            importDemoRealmCopy(PASSKEYS_FORM_REALM, Map.of());
            // Not in the 26.0 representation the tests compile against: set as the admin console does, on the whole realm.
            Admin admin = KeycloakServer.get().admin();
            Map<String, Object> realm = new java.util.HashMap<>(admin.request().get("/admin/realms/" + PASSKEYS_FORM_REALM)
                    .then().statusCode(200).extract().jsonPath().getMap(""));
            realm.put("webAuthnPolicyPasswordlessPasskeysEnabled", true);
            admin.request().contentType(io.restassured.http.ContentType.JSON).body(realm)
                    .put("/admin/realms/" + PASSKEYS_FORM_REALM).then().statusCode(204);
            assertEquals(true, admin.request().get("/admin/realms/" + PASSKEYS_FORM_REALM).then().extract().jsonPath()
                    .getBoolean("webAuthnPolicyPasswordlessPasskeysEnabled"), "passkeys enabled in the login form");
        }
    }

    @AfterEach
    void quitBrowsers() {
        drivers.forEach(WebDriver::quit);
        drivers.clear();
    }

    /** Every Keycloak 26: Keycloak's passwordless WebAuthn step before ours. */
    @Test
    void aPasskeyFromKeycloaksPasswordlessStepIsNotAskedForACode() throws Exception {
        TestUser user = newUserIn(PASSWORDLESS_REALM, "/staff");
        admin.assignRequiredAction(user.realm(), user.id(), "webauthn-register-passwordless");
        WebDriver browser = browserWithPasskeyDevice();

        // Control: with the password, the step asks this /staff member (the grace page), who sets up a passkey.
        signInWithPassword(browser, user);
        skipOnTheGracePage(browser);
        registerPasskey(browser, user);
        logout(browser, user.realm());
        // Control: a password login is asked for the passkey, by the step, on Keycloak's WebAuthn page.
        signInWithPassword(browser, user);
        useKeyOnKeycloaksPage(browser);
        assertLoggedIn(browser);
        assertEquals("passkey", lastLoginOutcome(user));
        assertEquals(2, admin.events(user.realm(), user.id(), "LOGIN").size(), "the registration's login, then this one");
        logout(browser, user.realm());

        signInWithPasskey(browser, user);

        assertLoggedIn(browser);
        assertEquals("passkey", lastLoginOutcome(user));
        assertEquals(List.of(), admin.credentials(user.realm(), user.id(), "otp"), "no authenticator app was set up");
    }

    /**
     * Whoever removed the authenticator app without proof (here: the deprecated account REST endpoint, from a session
     * that may rest on a remembered browser) must not register a passkey in its place from that session: the help
     * desk, and no passkey stored. Control: the same session could start an account change before the removal.
     */
    @Test
    void noPasskeyCanBeRegisteredInPlaceOfAnAppRemovedWithoutProof() throws Exception {
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        TestUser user = newUserWithCredentials(PASSWORDLESS_REALM, List.of(Admin.otpCredential(secret)), "/staff");
        WebDriver browser = browserWithPasskeyDevice();
        signInWithPassword(browser, user);
        Chromium.await(browser, "#otp").sendKeys(AuthenticatorApp.fromSecret(secret).freshCode());
        Chromium.clickAndLeave(browser, By.id("kc-login"));
        assertLoggedIn(browser);
        String code = browser.getCurrentUrl().replaceAll(".*[?&]code=([^&]+).*", "$1");
        String token = exchange(user.realm(), code).getString("access_token");
        // Control: from this SSO session an account change is asked for the app's code first.
        browser.get(authUrl(user.realm()) + "&kc_action=webauthn-register-passwordless");
        Chromium.await(browser, "#otp");
        String otpId = admin.credentials(user.realm(), user.id(), "otp").get(0).getId();
        given().baseUri(server.baseUrl()).auth().oauth2(token).accept(ContentType.JSON)
                .delete("/realms/{realm}/account/credentials/{id}", user.realm(), otpId).then().statusCode(204);

        browser.get(authUrl(user.realm()) + "&kc_action=webauthn-register-passwordless");

        assertTrue(Chromium.await(browser, "body").getText().contains(AttackReviewTwoIT.HELP_DESK), browser.getPageSource());
        assertTrue(browser.findElements(By.id("registerWebAuthn")).isEmpty(), "no passkey registration offered");
        assertEquals(List.of(), admin.credentials(user.realm(), user.id(), "webauthn-passwordless"), "no passkey stored");
    }

    /** A security key (WebAuthn as a second factor) answers the step on Keycloak's own WebAuthn page. */
    @Test
    void aSecurityKeyAnswersTheStepInsteadOfACode() throws Exception {
        TestUser user = newUserIn(PASSWORDLESS_REALM, "/staff");
        admin.assignRequiredAction(user.realm(), user.id(), "webauthn-register");
        WebDriver browser = browserWithSecurityKey();
        // Control: without a factor, the step asks this /staff member to set one up (the grace page).
        signInWithPassword(browser, user);
        skipOnTheGracePage(browser);
        register(browser, user, "webauthn");
        logout(browser, user.realm());

        signInWithPassword(browser, user);
        assertTrue(browser.findElements(By.id("otp")).isEmpty(), "no code asked");
        useKeyOnKeycloaksPage(browser);

        assertLoggedIn(browser);
        assertEquals("webauthn", lastLoginOutcome(user));
        assertEquals(List.of(), admin.credentials(user.realm(), user.id(), "otp"), "no authenticator app was set up");
    }

    /**
     * A member of a phishing-resistant group who has only an app is asked for it, and then must set up a security key
     * or passkey (no grace left): the app alone does not sign in. Afterwards the key is asked, not the app.
     */
    @Test
    void aPhishingResistantMemberCannotGetByWithAnApp() throws Exception {
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        TestUser user = newUserWithCredentials(KEYS_NOW_REALM, List.of(Admin.otpCredential(secret)), "/staff");
        WebDriver browser = browserWithSecurityKey();
        signInWithPassword(browser, user);
        Chromium.await(browser, "#otp").sendKeys(AuthenticatorApp.fromSecret(secret).freshCode());
        Chromium.clickAndLeave(browser, By.id("kc-login"));

        // The right code, and still not signed in: the choice of a key or a passkey.
        Chromium.await(browser, "#group-totp-choose-form");
        assertTrue(browser.findElements(By.id(TestApp.SIGNED_IN_ID)).isEmpty(), "the app alone does not sign in");
        assertEquals(List.of("webauthn", "passkey"), browser.findElements(By.name("factor")).stream()
                .map(button -> button.getAttribute("value")).toList());
        assertTrue(browser.findElements(By.id("group-totp-enrol")).isEmpty(), "no authenticator app offered");
        Chromium.clickAndLeave(browser, By.id("group-totp-enrol-webauthn"));
        register(browser, user, "webauthn");
        assertEquals("enrolled", lastLoginOutcome(user));
        assertEquals("webauthn", admin.events(user.realm(), user.id(), "LOGIN").get(0).getDetails().get("group_totp_factor"));
        logout(browser, user.realm());
        // The browser was remembered after the key, which counts for this group.
        signInWithPassword(browser, user);
        assertLoggedIn(browser);
        assertEquals("remembered", lastLoginOutcome(user));
        logout(browser, user.realm());
        browser.manage().deleteAllCookies();

        signInWithPassword(browser, user);
        assertTrue(browser.findElements(By.id("otp")).isEmpty(), "the key is asked, not the app");
        useKeyOnKeycloaksPage(browser);
        assertLoggedIn(browser);
        assertEquals("webauthn", lastLoginOutcome(user));
    }

    /** During the grace period the page says a key or passkey is needed, and sets up a passkey through Keycloak. */
    @Test
    void theGracePageOfAPhishingResistantMemberSetsUpAPasskey() throws Exception {
        TestUser user = newUserIn(KEYS_GRACE_REALM, "/staff");
        WebDriver browser = browserWithPasskeyDevice();
        signInWithPassword(browser, user);

        Chromium.await(browser, "#group-totp-grace-form");
        assertTrue(browser.findElement(By.id("group-totp-grace-intro")).getText().contains("security key or a passkey"),
                browser.findElement(By.id("group-totp-grace-intro")).getText());
        assertTrue(browser.findElements(By.id("group-totp-enrol")).isEmpty(), "no authenticator app offered");
        Chromium.clickAndLeave(browser, By.id("group-totp-enrol-passkey"));
        registerPasskey(browser, user);

        assertEquals("enrolled", lastLoginOutcome(user));
        assertEquals("passkey", admin.events(user.realm(), user.id(), "LOGIN").get(0).getDetails().get("group_totp_factor"));
        assertEquals(List.of(), admin.credentials(user.realm(), user.id(), "otp"));
    }

    /** In a realm that accepts every factor, the QR page offers a security key instead, set up by Keycloak in the login. */
    @Test
    void theQrPageOffersASecurityKeyInstead() throws Exception {
        TestUser user = newUserIn(PASSWORDLESS_REALM, "/staff");
        WebDriver browser = browserWithSecurityKey();
        signInWithPassword(browser, user);
        Chromium.await(browser, "#group-totp-grace-form");
        Chromium.clickAndLeave(browser, By.id("group-totp-enrol"));
        Chromium.await(browser, "#kc-totp-secret-key");

        Chromium.clickAndLeave(browser, By.id("group-totp-enrol-webauthn"));
        register(browser, user, "webauthn");

        assertEquals("enrolled", lastLoginOutcome(user));
        assertEquals("webauthn", admin.events(user.realm(), user.id(), "LOGIN").get(0).getDetails().get("group_totp_factor"));
        assertEquals(List.of(), admin.credentials(user.realm(), user.id(), "otp"), "the QR code shown was not stored");
    }

    /** A user with an app and a security key gets the code page (the older factor) and may pick the key instead. */
    @Test
    void aUserWithAnAppAndASecurityKeyMayPickTheKeyOnTheCodePage() throws Exception {
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        TestUser user = newUserWithCredentials(PASSWORDLESS_REALM, List.of(Admin.otpCredential(secret)), "/staff");
        admin.assignRequiredAction(user.realm(), user.id(), "webauthn-register");
        WebDriver browser = browserWithSecurityKey();
        signInWithPassword(browser, user);
        Chromium.await(browser, "#otp").sendKeys(AuthenticatorApp.fromSecret(secret).freshCode());
        Chromium.clickAndLeave(browser, By.id("kc-login"));
        register(browser, user, "webauthn");
        logout(browser, user.realm());

        signInWithPassword(browser, user);
        Chromium.await(browser, "#otp");
        Chromium.clickAndLeave(browser, By.id("group-totp-use-webauthn"));
        useKeyOnKeycloaksPage(browser);

        assertLoggedIn(browser);
        assertEquals("webauthn", lastLoginOutcome(user));
    }

    /** Keycloak 26.4+: "Sign in with a passkey" on the username and password form, before the step. */
    @Test
    void aPasskeyFromTheLoginFormIsNotAskedForACode() throws Exception {
        Assumptions.assumeTrue(KeycloakServer.atLeast("26.4"), "passkeys in the login form came with Keycloak 26.4");
        TestUser user = newUserIn(PASSKEYS_FORM_REALM, "/staff");
        admin.assignRequiredAction(user.realm(), user.id(), "webauthn-register-passwordless");
        WebDriver browser = browserWithPasskeyDevice();

        openLogin(browser, user);
        Chromium.await(browser, "#password").sendKeys(user.password());
        Chromium.clickAndLeave(browser, By.id("kc-login"));
        skipOnTheGracePage(browser);
        registerPasskey(browser, user);
        logout(browser, user.realm());

        // Keycloak's login form asks the browser for a passkey as soon as it loads (conditional mediation, the
        // username field's suggestions); Chromium's virtual authenticator answers it at once, as a user picking it would.
        browser.get(authUrl(user.realm()));

        assertLoggedIn(browser);
        assertEquals("passkey", lastLoginOutcome(user));
    }

    private String passwordlessExecutionId() {
        return admin.realm(PASSWORDLESS_REALM).flows().getExecutions("browser-passkey first factor").stream()
                .filter(execution -> "webauthn-authenticator-passwordless".equals(execution.getProviderId()))
                .findFirst().orElseThrow().getId();
    }

    /** On the passwordless realm: the username, then the password (the user's first credential). */
    private void signInWithPassword(WebDriver browser, TestUser user) {
        openLogin(browser, user);
        Chromium.clickAndLeave(browser, By.id("kc-login"));
        Chromium.await(browser, "#password").sendKeys(user.password());
        Chromium.clickAndLeave(browser, By.id("kc-login"));
    }

    /** The username, then "try another way" past the password (the user's older credential) to the passkey. */
    private void signInWithPasskey(WebDriver browser, TestUser user) {
        openLogin(browser, user);
        Chromium.clickAndLeave(browser, By.id("kc-login"));
        Chromium.await(browser, "#try-another-way");
        Chromium.clickAndLeave(browser, By.id("try-another-way"));
        Chromium.await(browser, "input[name=authenticationExecution]");
        Chromium.clickAndLeave(browser, By.xpath("//form[input[@value='" + passwordlessExecutionId()
                + "']]/following-sibling::div[@onclick]"));
        Chromium.await(browser, "#authenticateWebAuthnButton");
        Chromium.clickAndLeave(browser, By.id("authenticateWebAuthnButton"));
    }

    /** The step asked this user: the grace page, where the user logs in without an app for now. */
    private static void skipOnTheGracePage(WebDriver browser) {
        Chromium.await(browser, "#group-totp-grace-form");
        Chromium.clickAndLeave(browser, By.id("group-totp-skip"));
    }

    /** Chromium with a virtual platform authenticator that keeps passkeys and verifies its user. */
    private WebDriver browserWithPasskeyDevice() throws Exception {
        return browserWith(VirtualAuthenticatorOptions.Transport.INTERNAL, true);
    }

    /** Chromium with a virtual USB security key: no passkeys kept on it, touched by the user when asked. */
    private WebDriver browserWithSecurityKey() throws Exception {
        return browserWith(VirtualAuthenticatorOptions.Transport.USB, false);
    }

    private WebDriver browserWith(VirtualAuthenticatorOptions.Transport transport, boolean keepsPasskeys) throws Exception {
        ChromeDriver driver = Chromium.start(1280, 1000, new ChromeOptions());
        drivers.add(driver);
        driver.addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(transport)
                .setHasResidentKey(keepsPasskeys)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
        return driver;
    }

    /** Opens the application's login and types the username (the realm's first page asks for it). */
    private void openLogin(WebDriver browser, TestUser user) {
        browser.get(authUrl(user.realm()));
        Chromium.await(browser, "#username").sendKeys(user.username());
    }

    /** Keycloak's own passkey registration (a required action), ending at the application. */
    private void registerPasskey(WebDriver browser, TestUser user) {
        register(browser, user, "webauthn-passwordless");
    }

    /** Keycloak's own WebAuthn registration of this credential type (a required action), ending at the application. */
    private void register(WebDriver browser, TestUser user, String credentialType) {
        Chromium.await(browser, "#registerWebAuthn");
        // Keycloak's script asks for a label with window.prompt, which headless Chromium cannot answer.
        ((JavascriptExecutor) browser).executeScript("window.prompt = () => 'Test key';");
        Chromium.clickAndLeave(browser, By.id("registerWebAuthn"));
        assertLoggedIn(browser);
        assertEquals(1, admin.credentials(user.realm(), user.id(), credentialType).size(), "one " + credentialType + " stored");
    }

    /** Keycloak's WebAuthn login page, as the step shows it: the user's key answers (the virtual authenticator). */
    private static void useKeyOnKeycloaksPage(WebDriver browser) {
        Chromium.await(browser, "#authenticateWebAuthnButton");
        assertTrue(browser.findElements(By.id("clientDataJSON")).size() == 1, "Keycloak's WebAuthn form");
        Chromium.clickAndLeave(browser, By.id("authenticateWebAuthnButton"));
    }

    private void logout(WebDriver browser, String realm) {
        browser.get(server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/logout");
        Chromium.clickAndLeave(browser, By.id("kc-logout"));
    }

    private static void assertLoggedIn(WebDriver browser) {
        Chromium.await(browser, "#" + TestApp.SIGNED_IN_ID);
        String url = browser.getCurrentUrl();
        assertTrue(TestApp.get().isAppUrl(url) && url.contains("code="), "back at the application with a code: " + url);
    }

    /**
     * The demo flow with its username and password form split, as Keycloak's passwordless set-up does: the username,
     * then a passkey (for users who have one) or the password, then the step with the demo settings.
     */
    private static void passwordlessBrowserFlow(RealmRepresentation realm) {
        String top = "browser-passkey";
        String forms = top + " forms";
        String firstFactor = top + " first factor";
        realm.getAuthenticationFlows().add(flow(top, List.of(
                step("auth-cookie", "ALTERNATIVE", 10), subflow(forms, "ALTERNATIVE", 20))));
        AuthenticationExecutionExportRepresentation groupTotp = step("group-totp", "REQUIRED", 30);
        groupTotp.setAuthenticatorConfig(realm.getAuthenticatorConfig().get(0).getAlias());
        realm.getAuthenticationFlows().add(flow(forms, List.of(
                step("auth-username-form", "REQUIRED", 10), subflow(firstFactor, "REQUIRED", 20), groupTotp)));
        realm.getAuthenticationFlows().add(flow(firstFactor, List.of(
                step("webauthn-authenticator-passwordless", "ALTERNATIVE", 10), step("auth-password-form", "ALTERNATIVE", 20))));
        realm.setBrowserFlow(top);
    }

    private static AuthenticationFlowRepresentation flow(String alias, List<AuthenticationExecutionExportRepresentation> steps) {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias(alias);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(alias.equals("browser-passkey"));
        flow.setBuiltIn(false);
        flow.setAuthenticationExecutions(steps);
        return flow;
    }

    private static AuthenticationExecutionExportRepresentation step(String authenticator, String requirement, int priority) {
        return execution(authenticator, false, requirement, priority);
    }

    private static AuthenticationExecutionExportRepresentation subflow(String alias, String requirement, int priority) {
        return execution(alias, true, requirement, priority);
    }

    private static AuthenticationExecutionExportRepresentation execution(String name, boolean isFlow, String requirement, int priority) {
        AuthenticationExecutionExportRepresentation execution = new AuthenticationExecutionExportRepresentation();
        if (isFlow) {
            execution.setFlowAlias(name);
        } else {
            execution.setAuthenticator(name);
        }
        execution.setAuthenticatorFlow(isFlow);
        execution.setRequirement(requirement);
        execution.setPriority(priority);
        execution.setUserSetupAllowed(false);
        return execution;
    }
}
