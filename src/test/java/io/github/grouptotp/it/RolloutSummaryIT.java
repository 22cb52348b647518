package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.models.utils.HmacOTP;

/**
 * The rollout summary, the report's filters and formats, and the metrics (issue 15), on a realm whose population
 * the test knows exactly. Nothing here changes that population.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutSummaryIT extends KeycloakIT {

    static final String ROLLOUT_REALM = "group-totp-rollout";
    static final String OTHER_REALM = "group-totp-rollout-other";
    static final String BASE = "/admin/realms/" + ROLLOUT_REALM + "/group-totp/";

    TestUser enrolled;
    TestUser enrolledDoctor;
    TestUser inGrace;
    TestUser inGraceDoctor;
    TestUser granted;
    TestUser overdue;
    TestUser notSeenYet;
    TestUser extranet;
    Instant graceDeadline;
    LocalDate grantedUntil;

    /** 7 required users (2 enrolled, 4 in grace, 1 overdue), 2 exempt, 2 optional. */
    @BeforeAll
    void realmWithAKnownPopulation() {
        importDemoRealmCopy(ROLLOUT_REALM, Map.of());
        importDemoRealmCopy(OTHER_REALM, Map.of());
        enrolled = newUserWithCredentials(ROLLOUT_REALM, List.of(Admin.otpCredential(HmacOTP.generateSecret(20))), "/staff");
        enrolledDoctor = newUserWithCredentials(ROLLOUT_REALM, List.of(Admin.otpCredential(HmacOTP.generateSecret(20))), "/staff/doctors");
        String start = graceStartedAgo(Duration.ofDays(3).plusHours(12));
        graceDeadline = Instant.parse(JsonPath.from(start).getString("start")).plus(Duration.ofDays(14));
        inGrace = newUserWithGrace(ROLLOUT_REALM, start, "/staff");
        inGraceDoctor = newUserWithGrace(ROLLOUT_REALM, start, "/staff/doctors");
        grantedUntil = LocalDate.now(ZoneOffset.UTC).plusDays(20);
        granted = newUserWithGrace(ROLLOUT_REALM, "{\"start\":\"" + Instant.now().minusSeconds(60).toString()
                + "\",\"until\":\"" + grantedUntil + "T00:00:00Z\"}", "/staff");
        overdue = newUserWithGrace(ROLLOUT_REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff");
        notSeenYet = newUserIn(ROLLOUT_REALM, "/staff", "/extranet");
        newUserIn(ROLLOUT_REALM, "/staff", "/no-smartphone");
        newUserIn(ROLLOUT_REALM, "/no-smartphone");
        extranet = newUserIn(ROLLOUT_REALM, "/extranet");
        newUserIn(ROLLOUT_REALM);
    }

    @Test
    void theSummaryCountsEveryoneExactly() {
        JsonPath summary = admin.request().get(BASE + "summary").then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath();

        assertEquals(7, summary.getInt("required"));
        assertEquals(2, summary.getInt("enrolled"));
        assertEquals(4, summary.getInt("inGrace"));
        assertEquals(1, summary.getInt("overdue"));
        assertEquals(2, summary.getInt("exempt"));
        assertEquals(2, summary.getInt("optional"));
        assertEquals(List.of(Map.of("date", LocalDate.ofInstant(graceDeadline, ZoneOffset.UTC).toString(), "users", 2),
                Map.of("date", grantedUntil.toString(), "users", 1)), summary.getList("nearestDeadlines"));
        assertEquals(Map.of("otp", 2, "webauthn", 0, "passkey", 0), summary.getMap("factors"));
        assertEquals(List.of(Map.of("path", "/staff", "exists", true, "phishingResistant", false, "required", 7, "enrolled", 2,
                "phishingResistantGap", 7)), summary.getList("groups"));
        assertEquals(List.of(), summary.getList("problems"));
    }

    @Test
    void aClientThatAcceptsAnythingGetsJsonAndCsvOnlyWhenAskedFor() {
        given().baseUri(server.baseUrl()).auth().oauth2(admin.keycloak().tokenManager().getAccessTokenString())
                .get(BASE + "report").then().statusCode(200).contentType(ContentType.JSON);
        admin.request().accept("*/*").get(BASE + "report").then().statusCode(200).contentType(ContentType.JSON);
        admin.request().accept("text/csv").get(BASE + "report").then().statusCode(200).contentType("text/csv");
        String csv = admin.request().queryParam("format", "csv").get(BASE + "report").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertEquals(8, csv.split("\r\n").length, "a header and the 7 required users: " + csv);
    }

    @Test
    void theReportIsInUsernameOrder() {
        List<String> usernames = report(Map.of()).getList("users.username");

        assertEquals(7, usernames.size());
        assertEquals(usernames.stream().sorted().toList(), usernames);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"status, enrolled, 2", "status, not_enrolled, 5", "status, grace, 4", "status, overdue, 1",
            "group, /staff/doctors, 2", "group, /staff, 7"})
    void theReportFilters(String filter, String value, int rows) {
        assertEquals(rows, report(Map.of(filter, value)).getList("users").size());
    }

    @Test
    void filtersCombineAndPage() {
        List<String> doctorsInGrace = report(Map.of("status", "grace", "group", "/staff/doctors")).getList("users.id");
        assertEquals(List.of(inGraceDoctor.id()), doctorsInGrace);

        List<String> all = report(Map.of("status", "grace")).getList("users.id");
        List<String> second = report(Map.of("status", "grace", "first", "1", "max", "2")).getList("users.id");
        assertEquals(all.subList(1, 3), second);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"status=bogus", "group=/no-such-group", "format=xml", "max=0", "max=10001", "first=-1"})
    void badParametersAre400(String parameter) {
        String[] pair = parameter.split("=", 2);
        admin.request().queryParam(pair[0], pair[1]).get(BASE + "report").then().statusCode(400);
    }

    @Test
    void theSummaryNeedsViewUsers() {
        given().baseUri(server.baseUrl()).get(BASE + "summary").then().statusCode(401);
        TestUser viewer = newUserIn(OTHER_REALM);
        admin.grantRealmManagementRole(OTHER_REALM, viewer.id(), "view-users");
        String othersToken = admin.userToken(OTHER_REALM, viewer.username(), viewer.password());
        // A viewer of another realm sees nothing of this one.
        given().baseUri(server.baseUrl()).auth().oauth2(othersToken).get(BASE + "summary").then().statusCode(403);
    }

    @Test
    void theMetricsAreOnTheManagementPort() {
        Browser browser = new Browser();
        assertTrue(loginWithPassword(browser, extranet).loggedIn());
        admin.request().get(BASE + "summary").then().statusCode(200);

        String metrics = given().get(server.managementUrl() + "/metrics").then().statusCode(200).extract().asString();

        assertTrue(value(metrics, "group_totp_logins_total", "outcome=\"optional\"") >= 1, metrics);
        assertEquals(7, value(metrics, "group_totp_required_users", null));
        assertEquals(2, value(metrics, "group_totp_enrolled_users", null));
        assertEquals(4, value(metrics, "group_totp_in_grace_users", null));
        assertEquals(1, value(metrics, "group_totp_overdue_users", null));
        assertEquals(2, value(metrics, "group_totp_exempt_users", null));
        assertEquals(2, value(metrics, "group_totp_optional_users", null));
    }

    /** The value of a metric of this realm, from Prometheus' text format. */
    private static double value(String metrics, String name, String label) {
        Matcher line = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        while (line.find()) {
            String labels = line.group(1);
            if (labels.contains("realm=\"" + ROLLOUT_REALM + "\"") && (label == null || labels.contains(label))) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("no " + name + " for realm " + ROLLOUT_REALM);
    }

    private JsonPath report(Map<String, String> query) {
        Response response = admin.request().queryParams(query).get(BASE + "report");
        return response.then().statusCode(200).extract().jsonPath();
    }
}
