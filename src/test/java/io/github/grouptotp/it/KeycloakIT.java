package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Base of the integration tests: one real Keycloak for the whole run (see {@link KeycloakServer}), the demo realm
 * imported, and helpers that log in through the account console client like a browser would.
 * Every test makes its own users, so tests never share credentials or brute-force counters.
 */
abstract class KeycloakIT {

    static final String REALM = "group-totp-demo";
    static final String CLIENT_ID = "account-console";
    /** PKCE verifier; the account console client requires S256. */
    private static final String CODE_VERIFIER = "group-totp-integration-test-code-verifier-0123456789";
    private static final AtomicInteger USER_COUNTER = new AtomicInteger();

    final KeycloakServer server = KeycloakServer.get();
    final AdminApi admin = server.admin();

    /**
     * Imports a copy of the demo realm, without its users, under another name and with the step's config changed,
     * for tests that change settings other tests rely on. Returns the realm name.
     */
    static String importDemoRealmCopy(String name, Map<String, String> stepConfig) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode realm = (ObjectNode) json.readTree(Files.readString(Path.of(System.getProperty("realm.file"))));
            realm.put("realm", name);
            realm.remove("users");
            ObjectNode config = (ObjectNode) realm.get("authenticatorConfig").get(0).get("config");
            stepConfig.forEach(config::put);
            KeycloakServer.get().admin().importRealm(realm.toString());
            return name;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record TestUser(String realm, String id, String username, String password) {
    }

    TestUser newUser(String... groupPaths) {
        return newUserIn(REALM, groupPaths);
    }

    TestUser newUserIn(String realm, String... groupPaths) {
        String username = "user" + USER_COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String id = admin.createUser(realm, username, password, groupPaths);
        return new TestUser(realm, id, username, password);
    }

    String redirectUri(String realm) {
        return redirectUri(server.baseUrl(), realm);
    }

    static String redirectUri(String baseUrl, String realm) {
        return baseUrl + "/realms/" + realm + "/account/";
    }

    Browser newBrowser(String realm) {
        return new Browser(redirectUri(realm));
    }

    /** The application's authorization request (account console client, PKCE). */
    String authUrl(String realm) {
        return authUrl(server.baseUrl(), realm);
    }

    static String authUrl(String baseUrl, String realm) {
        return baseUrl + "/realms/" + realm + "/protocol/openid-connect/auth"
                + "?client_id=" + CLIENT_ID
                + "&redirect_uri=" + AdminApi.encode(redirectUri(baseUrl, realm))
                + "&response_type=code&scope=openid"
                + "&code_challenge=" + codeChallenge() + "&code_challenge_method=S256";
    }

    Page openLogin(Browser browser, String realm, String uiLocale) {
        Page page = browser.get(authUrl(realm) + (uiLocale == null ? "" : "&ui_locales=" + uiLocale));
        assertTrue(page.has("#kc-form-login"), "login form expected: " + page);
        return page;
    }

    /** Opens a fresh login in {@code browser} and passes the username/password form. */
    Page loginWithPassword(Browser browser, TestUser user) {
        return loginWithPassword(browser, user, null);
    }

    Page loginWithPassword(Browser browser, TestUser user, String uiLocale) {
        Page login = openLogin(browser, user.realm(), uiLocale);
        return browser.submit(login, "#kc-form-login", Map.of("username", user.username(), "password", user.password()));
    }

    /** Logs a required user in up to the enrolment page, choosing "set it up now" if the grace page comes first. */
    Page loginToEnrolPage(Browser browser, TestUser user) {
        return loginToEnrolPage(browser, user, null);
    }

    Page loginToEnrolPage(Browser browser, TestUser user, String uiLocale) {
        Page page = loginWithPassword(browser, user, uiLocale);
        if (page.has("#group-totp-grace-form")) {
            page = browser.submit(page, "#group-totp-grace-form", Map.of("enrol", ""));
        }
        assertTrue(page.has("#group-totp-enrol-form"), "enrolment page expected: " + page);
        return page;
    }

    /** The user is made to set up an app: the grace page or the enrolment page, and no login. */
    static void assertMustEnrol(Page page) {
        assertTrue(!page.loggedIn() && (page.has("#group-totp-grace-form") || page.has("#group-totp-enrol-form")),
                "grace or enrolment page expected: " + page);
    }

    /** What a user has after setting up: the app, and the recovery codes Keycloak showed (if any). */
    record Enrolment(AuthenticatorApp app, List<String> recoveryCodes, Page result) {
    }

    /** Enrols {@code user} through the enrolment page of a new browser and returns their authenticator app. */
    AuthenticatorApp enrol(TestUser user) {
        return enrolIn(newBrowser(user.realm()), user).app();
    }

    /** Enrols {@code user} in {@code browser}, saving the recovery codes if Keycloak shows them; ends logged in. */
    Enrolment enrolIn(Browser browser, TestUser user) {
        Page enrolPage = loginToEnrolPage(browser, user);
        AuthenticatorApp app = AuthenticatorApp.fromKey(enrolPage.text("#kc-totp-secret-key"));
        Enrolment enrolment = submitEnrolment(browser, enrolPage, app);
        assertTrue(enrolment.result().loggedIn(), "enrolment should log in: " + enrolment.result());
        return enrolment;
    }

    /**
     * Submits the app's fresh code on an enrolment page; if Keycloak then shows recovery codes, reads them and
     * confirms they were saved, as a user would.
     */
    Enrolment submitEnrolment(Browser browser, Page enrolPage, AuthenticatorApp app) {
        Page page = browser.submit(enrolPage, "#group-totp-enrol-form", Map.of("otp", app.freshCode()));
        List<String> codes = List.of();
        if (page.has("#kc-recovery-codes-settings-form")) {
            codes = page.document().select("#kc-recovery-codes-list li").eachText();
            page = browser.submit(page, "#kc-recovery-codes-settings-form", Map.of());
        }
        return new Enrolment(app, codes, page);
    }

    /** Redeems the authorization code at the token endpoint, as the application would. */
    JsonNode exchange(String realm, String code) throws IOException, InterruptedException {
        String form = "grant_type=authorization_code&client_id=" + CLIENT_ID
                + "&code=" + AdminApi.encode(code)
                + "&redirect_uri=" + AdminApi.encode(redirectUri(realm))
                + "&code_verifier=" + CODE_VERIFIER;
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }

    /** Logs the browser's SSO session out through the OIDC logout endpoint and its confirmation page. */
    void logout(Browser browser, String realm) {
        Page confirm = browser.get(server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/logout?client_id=" + CLIENT_ID);
        Page done = browser.submit(confirm, "#kc-logout-confirm form", Map.of("confirmLogout", "Logout"));
        assertEquals(200, done.status(), done.body());
    }

    /** Polls the server log, which the server writes asynchronously, until it contains {@code text} (bounded). */
    void awaitLog(String text) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!server.log().contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("log never contained: " + text);
            }
            Thread.sleep(100);
        }
    }

    /** The {@code group_totp} detail of the user's newest LOGIN event. */
    String lastLoginOutcome(TestUser user) {
        JsonNode login = admin.events(user.realm(), user.id(), "LOGIN").get(0);
        return login.path("details").path("group_totp").asText(null);
    }

    private static String codeChallenge() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(CODE_VERIFIER.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
