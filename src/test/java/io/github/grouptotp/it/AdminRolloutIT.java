package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.keycloak.representations.idm.AdminEventRepresentation;

/**
 * The admin REST resource /admin/realms/{realm}/group-totp: rollout report and reasoned reset.
 *
 * <p>The report tests assert exact counts of the population made in {@link #realmWithAKnownRollout}, so no test adds a
 * required user to {@link #ADMIN_REALM} (the users of the permission test are in no group: the policy does not require
 * them, the report does not list them). The reset test, which needs a required user of its own, makes it in a realm of
 * its own. Any method order passes (try {@code -Djunit.jupiter.testmethod.order.default=org.junit.jupiter.api.MethodOrderer$Random}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminRolloutIT extends KeycloakIT {

    static final String ADMIN_REALM = "group-totp-admin";
    /** For the reset test: its required user would change {@link #ADMIN_REALM}'s counts. */
    static final String RESET_REALM = "group-totp-admin-reset";

    TestUser enrolled;
    TestUser inGrace;
    TestUser overdue;
    TestUser notSeenYet;

    /** Four required users in four rollout states, and three users the policy does not require. */
    @BeforeAll
    void realmWithAKnownRollout() {
        importDemoRealmCopy(ADMIN_REALM, Map.of());
        importDemoRealmCopy(RESET_REALM, Map.of());
        enrolled = newUserIn(ADMIN_REALM, "/staff");
        enrol(enrolled);
        inGrace = newUserWithGrace(ADMIN_REALM, graceStartedAgo(Duration.ofDays(3).plusHours(12)), "/staff/doctors");
        overdue = newUserWithGrace(ADMIN_REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff");
        notSeenYet = newUserIn(ADMIN_REALM, "/staff", "/extranet");
        newUserIn(ADMIN_REALM, "/extranet");
        newUserIn(ADMIN_REALM, "/staff", "/no-smartphone");
        newUserIn(ADMIN_REALM);
    }

    private static final String REPORT = "/admin/realms/" + ADMIN_REALM + "/group-totp/report";
    private static final String USERS = "/admin/realms/" + ADMIN_REALM + "/group-totp/users/";
    private static final String RESET_USERS = "/admin/realms/" + RESET_REALM + "/group-totp/users/";

    /** The report's rows by username. */
    private Map<String, Map<String, Object>> reportRows() {
        List<Map<String, Object>> users = admin.request().accept(ContentType.JSON).queryParam("max", 1000).get(REPORT)
                .then().statusCode(200).extract().jsonPath().getList("users");
        Map<String, Map<String, Object>> rows = new HashMap<>();
        users.forEach(u -> rows.put((String) u.get("username"), u));
        return rows;
    }

    @Test
    void theReportListsEveryRequiredUserWithTheirRolloutState() {
        Map<String, Map<String, Object>> rows = reportRows();

        assertEquals(4, rows.size(), "only the required users: " + rows.keySet());
        Map<String, Object> e = rows.get(enrolled.username());
        assertEquals(true, e.get("enrolled"));
        assertEquals(false, e.get("overdue"));
        Map<String, Object> g = rows.get(inGrace.username());
        assertEquals(false, g.get("enrolled"));
        assertEquals(11, g.get("daysLeft"));
        assertEquals(false, g.get("overdue"));
        assertEquals(Instant.parse((String) g.get("graceStart")).plus(14, ChronoUnit.DAYS).toString(), g.get("deadline"));
        Map<String, Object> o = rows.get(overdue.username());
        assertEquals(true, o.get("overdue"));
        assertEquals("2020-01-15T00:00:00Z", o.get("deadline"));
        Map<String, Object> n = rows.get(notSeenYet.username());
        assertEquals(null, n.get("graceStart"), "the report stamps nothing");
        assertEquals(null, n.get("deadline"), "no deadline before the first login");
        assertEquals(14, n.get("daysLeft"));
        assertEquals(List.of(), admin.credentials(ADMIN_REALM, notSeenYet.id(), GRACE_CREDENTIAL));
    }

    @Test
    void theReportIsPaged() {
        List<String> all = admin.request().accept(ContentType.JSON).queryParam("max", 1000).get(REPORT)
                .then().statusCode(200).extract().jsonPath().getList("users.id");
        List<String> second = admin.request().accept(ContentType.JSON).queryParam("first", 1).queryParam("max", 2).get(REPORT)
                .then().statusCode(200).extract().jsonPath().getList("users.id");

        assertEquals(all.subList(1, 3), second);
        admin.request().accept(ContentType.JSON).queryParam("max", 0).get(REPORT).then().statusCode(400);
    }

    @Test
    void theReportAsCsv() {
        String csv = admin.request().accept("text/csv").queryParam("max", 1000).get(REPORT)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();

        List<String> lines = List.of(csv.split("\r\n"));
        assertEquals("username,id,enrolled,graceStart,deadline,daysLeft,overdue,graceGranted,factors,phishingResistantRequired,"
                + "phishingResistant", lines.get(0));
        assertEquals(5, lines.size(), csv);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(overdue.username() + "," + overdue.id() + ",false,2020-01-01T00:00:00Z,2020-01-15T00:00:00Z,0,true,false,,false,false")), csv);
    }

    @Test
    void unauthenticatedAndUnderPrivilegedCallsAreRefused() {
        given().baseUri(server.baseUrl()).accept(ContentType.JSON).get(REPORT).then().statusCode(401);
        TestUser nobody = newUserIn(ADMIN_REALM);
        given().baseUri(server.baseUrl()).auth().oauth2(admin.userToken(ADMIN_REALM, nobody.username(), nobody.password()))
                .accept(ContentType.JSON).get(REPORT).then().statusCode(403);

        TestUser viewer = newUserIn(ADMIN_REALM);
        admin.grantRealmManagementRole(ADMIN_REALM, viewer.id(), "view-users");
        RequestSpecification asViewer = given().baseUri(server.baseUrl())
                .auth().oauth2(admin.userToken(ADMIN_REALM, viewer.username(), viewer.password()));
        asViewer.accept(ContentType.JSON).get(REPORT).then().statusCode(200);
        asViewer.contentType(ContentType.JSON).body(Map.of("reason", "lost phone")).post(USERS + enrolled.id() + "/reset")
                .then().statusCode(403);
    }

    @Test
    void aResetNeedsAReasonAndAnExistingUser() {
        admin.request().contentType(ContentType.JSON).body("{}").post(USERS + enrolled.id() + "/reset").then().statusCode(400);
        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "  ")).post(USERS + enrolled.id() + "/reset").then().statusCode(400);
        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "lost phone")).post(USERS + "no-such-user/reset").then().statusCode(404);
        assertEquals(1, admin.credentials(ADMIN_REALM, enrolled.id(), "otp").size(), "nothing removed by refused calls");
    }

    @Test
    void aResetRemovesTheAuthenticatorAssignsTheActionAndRecordsWhoAndWhy() {
        TestUser user = newUserIn(RESET_REALM, "/staff");
        enrol(user);

        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "Phone stolen, ticket #4711"))
                .post(RESET_USERS + user.id() + "/reset").then().statusCode(200);

        assertEquals(List.of(), admin.credentials(RESET_REALM, user.id(), "otp"));
        assertEquals(List.of("group-totp-reset"), admin.requiredActions(RESET_REALM, user.id()));
        AdminEventRepresentation event = admin.realm(RESET_REALM)
                .getAdminEvents(List.of("ACTION"), null, null, null, null, null, null, null, 0, 50).stream()
                .filter(e -> e.getResourcePath().equals("users/" + user.id() + "/group-totp-reset"))
                .findFirst().orElseThrow(() -> new AssertionError("no admin event for the reset"));
        assertEquals("Phone stolen, ticket #4711", event.getDetails().get("reason"));
        assertEquals(admin.adminUserId(), event.getAuthDetails().getUserId());
        assertEquals("issued", event.getDetails().get("one_time_pass"));
        // At the next login the user gives the one-time pass, then sets up a new phone.
        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-reset-pass-form"));
    }
}
