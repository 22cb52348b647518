package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.representations.idm.CredentialRepresentation;

/**
 * The admin side of security keys and passkeys (issue 28): the report's {@code factors} and phishing-resistant
 * columns, the summary's counts by factor and phishing-resistant gap per group, and a help-desk reset of some factors.
 * The realm makes {@code /staff/doctors} phishing-resistant, so an app alone does not enrol a doctor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FactorRolloutIT extends KeycloakIT {

    static final String FACTOR_REALM = "group-totp-factor-rollout";
    static final String RESET_REALM = "group-totp-factor-reset";
    private static final String BASE = "/admin/realms/" + FACTOR_REALM + "/group-totp/";
    private static final String RESET_USERS = "/admin/realms/" + RESET_REALM + "/group-totp/users/";
    private static final String SECURITY_KEY = "webauthn";
    private static final String PASSKEY = "webauthn-passwordless";

    TestUser staffWithApp;
    TestUser staffWithKey;
    TestUser doctorWithApp;
    TestUser doctorWithPasskey;
    TestUser doctorWithNothing;

    /** Five required users: two staff (app, key), three doctors (app in grace, app and passkey, nothing and overdue). */
    @BeforeAll
    void realmWithKnownFactors() {
        importDemoRealmCopy(FACTOR_REALM, Map.of("phishingResistantGroups", "/staff/doctors"));
        importDemoRealmCopy(RESET_REALM, Map.of());
        staffWithApp = newUserWithCredentials(FACTOR_REALM, List.of(app()), "/staff");
        staffWithKey = newUserWithCredentials(FACTOR_REALM, List.of(Admin.webAuthnCredential(SECURITY_KEY)), "/staff");
        doctorWithApp = newUserWithCredentials(FACTOR_REALM, List.of(app(),
                Admin.graceRecord(graceStartedAgo(Duration.ofDays(2)))), "/staff/doctors");
        doctorWithPasskey = newUserWithCredentials(FACTOR_REALM, List.of(app(), Admin.webAuthnCredential(PASSKEY)), "/staff/doctors");
        doctorWithNothing = newUserWithGrace(FACTOR_REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff/doctors");
        newUserWithCredentials(FACTOR_REALM, List.of(Admin.webAuthnCredential(PASSKEY)), "/extranet");
    }

    private static CredentialRepresentation app() {
        return Admin.otpCredential(HmacOTP.generateSecret(20));
    }

    private Map<String, Map<String, Object>> reportRows(Map<String, String> filters) {
        List<Map<String, Object>> users = admin.request().accept(ContentType.JSON).queryParams(filters).get(BASE + "report")
                .then().statusCode(200).extract().jsonPath().getList("users");
        Map<String, Map<String, Object>> rows = new HashMap<>();
        users.forEach(u -> rows.put((String) u.get("username"), u));
        return rows;
    }

    @Test
    void theReportSaysWhichFactorsEachUserHoldsAndWhetherTheyMeetAPhishingResistantRequirement() {
        Map<String, Map<String, Object>> rows = reportRows(Map.of());

        assertEquals(5, rows.size(), "only the required users: " + rows.keySet());
        assertRow(rows.get(staffWithApp.username()), "otp", true, false, false);
        assertRow(rows.get(staffWithKey.username()), "webauthn", true, false, true);
        assertRow(rows.get(doctorWithApp.username()), "otp", false, true, false);
        assertRow(rows.get(doctorWithPasskey.username()), "otp;passkey", true, true, true);
        assertRow(rows.get(doctorWithNothing.username()), "", false, true, false);
        assertEquals(12, rows.get(doctorWithApp.username()).get("daysLeft"), "a doctor with only an app is in grace");
        assertEquals(true, rows.get(doctorWithNothing.username()).get("overdue"));
    }

    private static void assertRow(Map<String, Object> row, String factors, boolean enrolled, boolean phishingResistantRequired,
                                  boolean phishingResistant) {
        assertEquals(factors, row.get("factors"), "factors of " + row);
        assertEquals(enrolled, row.get("enrolled"), "enrolled of " + row);
        assertEquals(phishingResistantRequired, row.get("phishingResistantRequired"), "phishingResistantRequired of " + row);
        assertEquals(phishingResistant, row.get("phishingResistant"), "phishingResistant of " + row);
    }

    @ParameterizedTest(name = "status={0}")
    @CsvSource({"enrolled, 3", "not_enrolled, 2", "grace, 1", "overdue, 1"})
    void theStatusFiltersCountAnAppAloneAsNotEnrolledForAPhishingResistantMember(String status, int rows) {
        Map<String, Map<String, Object>> filtered = reportRows(Map.of("status", status));

        assertEquals(rows, filtered.size(), status + ": " + filtered.keySet());
        if (status.equals("grace")) {
            assertEquals("otp", filtered.get(doctorWithApp.username()).get("factors"), "the grace rows carry the factors too");
        }
    }

    @Test
    void theCsvReportEndsWithTheFactorColumns() {
        String csv = admin.request().queryParam("format", "csv").get(BASE + "report").then().statusCode(200).extract().asString();

        List<String> lines = List.of(csv.split("\r\n"));
        assertTrue(lines.get(0).endsWith(",graceGranted,factors,phishingResistantRequired,phishingResistant"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(doctorWithPasskey.username() + ",") && l.endsWith(",otp;passkey,true,true")), csv);
    }

    @Test
    void theSummaryCountsUsersByFactorAndThePhishingResistantGapPerGroup() {
        JsonPath summary = admin.request().get(BASE + "summary").then().statusCode(200).extract().jsonPath();

        assertEquals(5, summary.getInt("required"));
        assertEquals(3, summary.getInt("enrolled"));
        assertEquals(1, summary.getInt("inGrace"));
        assertEquals(1, summary.getInt("overdue"));
        assertEquals(Map.of("otp", 3, "webauthn", 1, "passkey", 1), summary.getMap("factors"), "required users only");
        assertEquals(List.of(
                        Map.of("path", "/staff", "exists", true, "phishingResistant", false, "required", 5, "enrolled", 3,
                                "phishingResistantGap", 3),
                        Map.of("path", "/staff/doctors", "exists", true, "phishingResistant", true, "required", 3, "enrolled", 1,
                                "phishingResistantGap", 2)),
                summary.getList("groups"));
    }

    @Test
    void aResetOfTheLostSecurityKeyKeepsTheAppAndAssignsNoReset() {
        String secret = HmacOTP.generateSecret(20);
        TestUser user = newUserWithCredentials(RESET_REALM, List.of(Admin.otpCredential(secret), Admin.webAuthnCredential(SECURITY_KEY)), "/staff");

        JsonPath answer = admin.request().contentType(ContentType.JSON)
                .body(Map.of("reason", "Security key lost, ticket #17", "factors", List.of("webauthn")))
                .post(RESET_USERS + user.id() + "/reset").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(), admin.credentials(RESET_REALM, user.id(), SECURITY_KEY));
        assertEquals(1, admin.credentials(RESET_REALM, user.id(), "otp").size(), "the app stays");
        assertNull(answer.get("requiredAction"));
        assertNull(answer.get("oneTimePass"), "no pass: nothing to set up");
        assertEquals(List.of("otp"), answer.getList("remainingFactors"));
        assertFalse(admin.requiredActions(RESET_REALM, user.id()).contains("group-totp-reset"));
        // The user signs in with the app as before.
        loginWithCode(new Browser(), user, AuthenticatorApp.fromSecret(secret));
    }

    @Test
    void aResetNamingEveryFactorIsAWholeReset() {
        TestUser user = newUserWithCredentials(RESET_REALM, List.of(app(), Admin.webAuthnCredential(PASSKEY)), "/staff");

        JsonPath answer = admin.request().contentType(ContentType.JSON)
                .body(Map.of("reason", "New phone and new laptop", "factors", List.of("otp", "passkey")))
                .post(RESET_USERS + user.id() + "/reset").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(), admin.credentials(RESET_REALM, user.id(), "otp"));
        assertEquals(List.of(), admin.credentials(RESET_REALM, user.id(), PASSKEY));
        assertEquals("group-totp-reset", answer.getString("requiredAction"));
        assertEquals(List.of(), answer.getList("remainingFactors"));
        assertEquals(List.of("group-totp-reset"), admin.requiredActions(RESET_REALM, user.id()));
        assertTrue(loginWithPassword(new Browser(), user).has("#group-totp-reset-pass-form"), "the one-time pass comes first");
    }

    @ParameterizedTest(name = "factors={0}")
    @CsvSource(delimiter = ';', value = {"sms", "otp,sms", "''"})
    void aResetNamingAnUnknownFactorChangesNothing(String factors) {
        TestUser user = newUserWithCredentials(RESET_REALM, List.of(app(), Admin.webAuthnCredential(SECURITY_KEY)), "/staff");
        List<String> named = factors.isEmpty() ? List.of() : List.of(factors.split(","));

        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "typo", "factors", named))
                .post(RESET_USERS + user.id() + "/reset").then().statusCode(400);

        assertEquals(1, admin.credentials(RESET_REALM, user.id(), "otp").size());
        assertEquals(1, admin.credentials(RESET_REALM, user.id(), SECURITY_KEY).size());
        assertEquals(List.of(), admin.requiredActions(RESET_REALM, user.id()));
    }
}
