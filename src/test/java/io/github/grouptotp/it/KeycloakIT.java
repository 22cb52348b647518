package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.restassured.path.json.JsonPath;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * Base of the integration tests: one real Keycloak for the whole run (see {@link KeycloakServer}), the demo realm
 * imported, and helpers that log in to the test application ({@link TestApp}) like a browser would.
 * Every test makes its own users, so tests never share credentials or brute-force counters.
 */
abstract class KeycloakIT {

    static final String REALM = "group-totp-demo";
    static final String FLOW = "browser-group-totp";
    static final String GRACE_CREDENTIAL = "group-totp-grace";
    static final String RECOVERY_CODES_FORM = "#group-totp-recovery-codes-form";
    /** PKCE verifier; the test application's client requires S256. */
    private static final String CODE_VERIFIER = "group-totp-integration-test-code-verifier-0123456789";
    private static final AtomicInteger USER_COUNTER = new AtomicInteger();

    final KeycloakServer server = KeycloakServer.get();
    final Admin admin = server.admin();

    /**
     * Imports a copy of the demo realm, without its users, under another name and with the step's config changed,
     * for tests that change settings other tests rely on. Returns the realm name.
     */
    static String importDemoRealmCopy(String name, Map<String, String> stepConfig) {
        return importDemoRealmCopy(name, stepConfig, realm -> { });
    }

    static String importDemoRealmCopy(String name, Map<String, String> stepConfig, Consumer<RealmRepresentation> change) {
        RealmRepresentation realm = Admin.demoRealm();
        realm.setRealm(name);
        realm.setUsers(null);
        realm.getAuthenticatorConfig().get(0).getConfig().putAll(stepConfig);
        change.accept(realm);
        KeycloakServer.get().admin().importRealm(realm);
        return name;
    }

    record TestUser(String realm, String id, String username, String password) {
    }

    TestUser newUser(String... groupPaths) {
        return newUserIn(REALM, groupPaths);
    }

    TestUser newUserIn(String realm, String... groupPaths) {
        return newUserWithGrace(realm, null, groupPaths);
    }

    /**
     * A user created by the admin API with a stored grace record ({@code {"start": ...}} or with {@code "until"}),
     * as a realm import or an admin creating users would store one: how tests put a user at a known point of the
     * grace period without moving the server's clock.
     */
    TestUser newUserWithGrace(String realm, String graceRecordJson, String... groupPaths) {
        return newUserWithCredentials(realm, graceRecordJson == null ? List.of() : List.of(Admin.graceRecord(graceRecordJson)), groupPaths);
    }

    /** A user created by the admin API with these stored credentials besides the password. */
    TestUser newUserWithCredentials(String realm, List<CredentialRepresentation> stored, String... groupPaths) {
        String username = "user" + USER_COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String id = admin.createUser(realm, username, password, stored, groupPaths);
        return new TestUser(realm, id, username, password);
    }

    /** Logs in with the password and a fresh code of the app; fails unless that ends at the application. */
    Page loginWithCode(Browser browser, TestUser user, AuthenticatorApp app) {
        Page codePage = loginWithPassword(browser, user);
        assertTrue(codePage.has("#group-totp-code-form"), "code page expected: " + codePage);
        Page done = browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode()));
        assertTrue(done.loggedIn(), "logged in with a code: " + done);
        return done;
    }

    /** A grace record whose start lies {@code ago} in the past. */
    static String graceStartedAgo(Duration ago) {
        return "{\"start\":\"" + Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS) + "\"}";
    }

    /** The stored grace record's start, as the admin API shows the credential. */
    Instant graceStart(TestUser user) {
        List<CredentialRepresentation> records = admin.credentials(user.realm(), user.id(), GRACE_CREDENTIAL);
        assertEquals(1, records.size(), "one grace record: " + records);
        return Instant.parse(JsonPath.from(records.get(0).getCredentialData()).getString("start"));
    }

    /** The application's authorization request (test application client, PKCE). */
    String authUrl(String realm) {
        return authUrl(server.baseUrl(), realm);
    }

    static String authUrl(String baseUrl, String realm) {
        return baseUrl + "/realms/" + realm + "/protocol/openid-connect/auth"
                + "?client_id=" + TestApp.CLIENT_ID
                + "&redirect_uri=" + Browser.encode(TestApp.get().redirectUri())
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
        return enrolIn(new Browser(), user).app();
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
     * Submits the app's fresh code on an enrolment page; if the recovery codes page follows, reads the codes and
     * confirms they were saved, as a user would.
     */
    Enrolment submitEnrolment(Browser browser, Page enrolPage, AuthenticatorApp app) {
        Page page = browser.submit(enrolPage, "#group-totp-enrol-form", Map.of("otp", app.freshCode()));
        List<String> codes = List.of();
        if (page.has(RECOVERY_CODES_FORM)) {
            codes = page.document().select("#group-totp-recovery-codes-list li").eachText();
            page = browser.submit(page, RECOVERY_CODES_FORM, Map.of("saved", "on"));
        }
        return new Enrolment(app, codes, page);
    }

    /** Redeems the authorization code at the token endpoint, as the application would. */
    JsonPath exchange(String realm, String code) {
        return given().baseUri(server.baseUrl())
                .formParam("grant_type", "authorization_code")
                .formParam("client_id", TestApp.CLIENT_ID)
                .formParam("code", code)
                .formParam("redirect_uri", TestApp.get().redirectUri())
                .formParam("code_verifier", CODE_VERIFIER)
                .post("/realms/{realm}/protocol/openid-connect/token", realm)
                .then().statusCode(200)
                .extract().jsonPath();
    }

    /** Logs the browser's SSO session out through the OIDC logout endpoint and its confirmation page. */
    void logout(Browser browser, String realm) {
        Page confirm = browser.get(server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/logout?client_id=" + TestApp.CLIENT_ID);
        Page done = browser.submit(confirm, "#kc-logout-confirm form", Map.of("confirmLogout", "Logout"));
        assertEquals(200, done.status(), done.body());
    }

    /** A request's answer with when it was sent and when its answer came, for tests of requests at the same moment. */
    record Timed<T>(T value, long sentNanos, long answeredNanos) {

        static <T> Timed<T> of(java.util.concurrent.Callable<T> request) throws Exception {
            long sent = System.nanoTime();
            T value = request.call();
            return new Timed<>(value, sent, System.nanoTime());
        }
    }

    /**
     * Releases requests at one moment: each thread waits at the gate until every thread is waiting there, so that no
     * thread the pool started late sends its request after the first answer came back.
     */
    static final class StartingGate {

        private final java.util.concurrent.CountDownLatch waiting;
        private final java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);

        StartingGate(int threads) {
            waiting = new java.util.concurrent.CountDownLatch(threads);
        }

        /** In each thread: wait until the gate opens. */
        void pass() throws InterruptedException {
            waiting.countDown();
            open.await();
        }

        /** Opens the gate once every thread waits at it. */
        void open() throws InterruptedException {
            assertTrue(waiting.await(30, java.util.concurrent.TimeUnit.SECONDS), "every thread reached the gate");
            open.countDown();
        }
    }

    /**
     * The requests were in flight together: each was sent before any answer came back, so the server had all of them
     * at once (a test of "at the same moment" that ran them one after the other would prove nothing).
     */
    static void assertInFlightTogether(List<? extends Timed<?>> requests) {
        long lastSent = requests.stream().mapToLong(Timed::sentNanos).max().orElseThrow();
        long firstAnswer = requests.stream().mapToLong(Timed::answeredNanos).min().orElseThrow();
        assertTrue(lastSent < firstAnswer, "the requests did not overlap: the last was sent " + (lastSent - firstAnswer) / 1_000_000
                + " ms after the first answer");
    }

    /** Waits until the server log, which the server writes asynchronously, contains {@code text} (bounded). */
    void awaitLog(String text) {
        await("server log contains: " + text).atMost(Duration.ofSeconds(10)).until(() -> server.log().contains(text));
    }

    /** The {@code group_totp} detail of the user's newest LOGIN event. */
    String lastLoginOutcome(TestUser user) {
        return admin.lastEventDetail(user.realm(), user.id(), "LOGIN", "group_totp");
    }

    /** The number of failures Keycloak's brute-force protector counts for the user, once it has recorded them. */
    void awaitBruteForceFailures(TestUser user, int failures) {
        await("brute-force failures of " + user.username()).atMost(Duration.ofSeconds(10))
                .until(() -> bruteForceFailures(user) == failures);
    }

    /**
     * The user's brute-force failures are {@code failures} (within 10 s) and then stay so for {@code hold}: for claims
     * that something is not counted. The count only grows, so a failure recorded late fails the hold.
     */
    void awaitBruteForceFailuresStay(TestUser user, int failures, Duration hold) {
        holds("brute-force failures of " + user.username() + " stay " + failures, hold, () -> bruteForceFailures(user) == failures);
    }

    int bruteForceFailures(TestUser user) {
        return ((Number) admin.bruteForceStatus(user.realm(), user.id()).get("numFailures")).intValue();
    }

    /**
     * {@code condition} becomes true within 10 s and then stays true for {@code hold} without a break (Awaitility's
     * {@code during}). For "exactly n" and "none" of something that can only grow (mails, log lines, failures): a
     * late one arriving during the hold fails it; a hold ends as soon as it has lasted, nothing sleeps past it.
     */
    static void holds(String description, Duration hold, Callable<Boolean> condition) {
        await(description).during(hold).atMost(hold.plus(Duration.ofSeconds(10))).until(condition);
    }

    /** How often {@code text} occurs in the server log. */
    int logOccurrences(String text) throws java.io.IOException {
        return server.log().split(java.util.regex.Pattern.quote(text), -1).length - 1;
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
