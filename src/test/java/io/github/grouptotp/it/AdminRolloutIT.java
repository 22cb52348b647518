package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The admin REST resource /admin/realms/{realm}/group-totp: rollout report and reasoned reset. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminRolloutIT extends KeycloakIT {

    static final String ADMIN_REALM = "group-totp-admin";
    static final ObjectMapper JSON = new ObjectMapper();

    TestUser enrolled;
    TestUser inGrace;
    TestUser overdue;
    TestUser notSeenYet;

    /** Four required users in four rollout states, and three users the policy does not require. */
    @BeforeAll
    void realmWithAKnownRollout() {
        importDemoRealmCopy(ADMIN_REALM, Map.of());
        enrolled = newUserIn(ADMIN_REALM, "/staff");
        enrol(enrolled);
        inGrace = newUserIn(ADMIN_REALM, "/staff/doctors");
        admin.setUserAttribute(ADMIN_REALM, inGrace.id(), "group-totp-grace-start",
                Instant.now().minus(3, ChronoUnit.DAYS).minus(12, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        overdue = newUserIn(ADMIN_REALM, "/staff");
        admin.setUserAttribute(ADMIN_REALM, overdue.id(), "group-totp-grace-start", "2020-01-01T00:00:00Z");
        notSeenYet = newUserIn(ADMIN_REALM, "/staff", "/extranet");
        newUserIn(ADMIN_REALM, "/extranet");
        newUserIn(ADMIN_REALM, "/staff", "/no-smartphone");
        newUserIn(ADMIN_REALM);
    }

    private static String report(String query) {
        return "/admin/realms/" + ADMIN_REALM + "/group-totp/report" + query;
    }

    private Map<String, JsonNode> byUsername(JsonNode users) {
        Map<String, JsonNode> rows = new HashMap<>();
        users.forEach(u -> rows.put(u.get("username").asText(), u));
        return rows;
    }

    @Test
    void theReportListsEveryRequiredUserWithTheirRolloutState() throws Exception {
        HttpResponse<String> response = admin.call("GET", report("?max=1000"), "application/json", null);

        assertEquals(200, response.statusCode(), response.body());
        Map<String, JsonNode> rows = byUsername(JSON.readTree(response.body()).get("users"));
        assertEquals(4, rows.size(), "only the required users: " + rows.keySet());
        JsonNode e = rows.get(enrolled.username());
        assertTrue(e.get("enrolled").asBoolean());
        assertFalse(e.get("overdue").asBoolean());
        JsonNode g = rows.get(inGrace.username());
        assertFalse(g.get("enrolled").asBoolean());
        assertEquals(11, g.get("daysLeft").asLong());
        assertFalse(g.get("overdue").asBoolean());
        assertEquals(Instant.parse(g.get("graceStart").asText()).plus(14, ChronoUnit.DAYS).toString(), g.get("deadline").asText());
        JsonNode o = rows.get(overdue.username());
        assertTrue(o.get("overdue").asBoolean());
        assertEquals("2020-01-15T00:00:00Z", o.get("deadline").asText());
        JsonNode n = rows.get(notSeenYet.username());
        assertTrue(n.path("graceStart").isMissingNode() || n.path("graceStart").isNull(), "the report stamps nothing");
        assertTrue(n.path("deadline").isMissingNode() || n.path("deadline").isNull(), "no deadline before the first login");
        assertEquals(14, n.get("daysLeft").asLong());
        assertEquals(null, admin.userAttribute(ADMIN_REALM, notSeenYet.id(), "group-totp-grace-start"));
    }

    @Test
    void theReportIsPaged() throws Exception {
        JsonNode all = JSON.readTree(admin.call("GET", report("?max=1000"), "application/json", null).body()).get("users");
        JsonNode second = JSON.readTree(admin.call("GET", report("?first=1&max=2"), "application/json", null).body()).get("users");

        assertEquals(2, second.size());
        assertEquals(all.get(1).get("id"), second.get(0).get("id"));
        assertEquals(all.get(2).get("id"), second.get(1).get("id"));
        assertEquals(400, admin.call("GET", report("?max=0"), "application/json", null).statusCode());
    }

    @Test
    void theReportAsCsv() {
        HttpResponse<String> response = admin.call("GET", report("?max=1000"), "text/csv", null);

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        List<String> lines = List.of(response.body().split("\r\n"));
        assertEquals("username,id,enrolled,graceStart,deadline,daysLeft,overdue", lines.get(0));
        assertEquals(5, lines.size(), response.body());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(overdue.username() + "," + overdue.id() + ",false,2020-01-01T00:00:00Z,2020-01-15T00:00:00Z,0,true")), response.body());
    }

    @Test
    void unauthenticatedAndUnderPrivilegedCallsAreRefused() {
        assertEquals(401, admin.call("GET", report(""), "application/json", null, null).statusCode());
        TestUser nobody = newUserIn(ADMIN_REALM);
        String nobodyToken = admin.userToken(ADMIN_REALM, nobody.username(), nobody.password());
        assertEquals(403, admin.call("GET", report(""), "application/json", null, nobodyToken).statusCode());

        TestUser viewer = newUserIn(ADMIN_REALM);
        admin.grantRealmManagementRole(ADMIN_REALM, viewer.id(), "view-users");
        String viewerToken = admin.userToken(ADMIN_REALM, viewer.username(), viewer.password());
        assertEquals(200, admin.call("GET", report(""), "application/json", null, viewerToken).statusCode());
        assertEquals(403, admin.call("POST", "/admin/realms/" + ADMIN_REALM + "/group-totp/users/" + enrolled.id() + "/reset",
                "application/json", "{\"reason\":\"lost phone\"}", viewerToken).statusCode(), "view-users cannot reset");
    }

    @Test
    void aResetNeedsAReasonAndAnExistingUser() {
        String path = "/admin/realms/" + ADMIN_REALM + "/group-totp/users/";
        assertEquals(400, admin.call("POST", path + enrolled.id() + "/reset", "application/json", "{}").statusCode());
        assertEquals(400, admin.call("POST", path + enrolled.id() + "/reset", "application/json", "{\"reason\":\"  \"}").statusCode());
        assertEquals(404, admin.call("POST", path + "no-such-user/reset", "application/json", "{\"reason\":\"lost phone\"}").statusCode());
        assertEquals(1, admin.credentials(ADMIN_REALM, enrolled.id(), "otp").size(), "nothing removed by refused calls");
    }

    @Test
    void aResetRemovesTheAuthenticatorAssignsTheActionAndRecordsWhoAndWhy() throws Exception {
        TestUser user = newUserIn(ADMIN_REALM, "/staff");
        enrol(user);

        HttpResponse<String> response = admin.call("POST", "/admin/realms/" + ADMIN_REALM + "/group-totp/users/" + user.id() + "/reset",
                "application/json", "{\"reason\":\"Phone stolen, ticket #4711\"}");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of(), admin.credentials(ADMIN_REALM, user.id(), "otp"));
        assertEquals(List.of("group-totp-reset"), admin.requiredActions(ADMIN_REALM, user.id()));
        JsonNode event = admin.json("GET", "/admin/realms/" + ADMIN_REALM + "/admin-events?operationTypes=ACTION&resourceTypes=USER&max=50")
                .findParents("resourcePath").stream()
                .filter(e -> e.path("resourcePath").asText().equals("users/" + user.id() + "/group-totp-reset"))
                .findFirst().orElseThrow(() -> new AssertionError("no admin event for the reset"));
        assertEquals("Phone stolen, ticket #4711", event.path("details").path("reason").asText());
        assertEquals(admin.adminUserId(), event.path("authDetails").path("userId").asText());
        // The user sets up a new phone at the next login.
        assertTrue(loginWithPassword(newBrowser(ADMIN_REALM), user).has("#group-totp-enrol-form"));
    }
}
