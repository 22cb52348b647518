package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** The direct grant flow (password grant) with group-totp-direct-grant: no way around the policy there either. */
class DirectGrantIT extends KeycloakIT {

    /** The realm's own admin-cli client: public, with direct access grants. */
    private Response passwordGrant(TestUser user, String totp, String cookie) {
        RequestSpecification request = given().baseUri(server.baseUrl())
                .formParam("grant_type", "password").formParam("client_id", "admin-cli").formParam("scope", "openid")
                .formParam("username", user.username()).formParam("password", user.password());
        if (totp != null) {
            request.formParam("totp", totp);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request.post("/realms/{realm}/protocol/openid-connect/token", REALM);
    }

    private static void assertInvalidGrant(Response response, String descriptionPart) {
        response.then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString(descriptionPart));
    }

    @Test
    void enrolledStaffUserNeedsAValidCodeInTheTotpParameter() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);

        assertInvalidGrant(passwordGrant(user, null, null), "parameter 'totp'");
        assertInvalidGrant(passwordGrant(user, app.wrongCode(), null), "Invalid user credentials");
        passwordGrant(user, app.freshCode(), null).then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void aWrongCodeCountsForBruteForce() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);

        passwordGrant(user, app.wrongCode(), null);

        awaitBruteForceFailures(user, 1);
    }

    @Test
    void requiredUserWithoutTotpIsRefusedEvenInTheGracePeriod() {
        TestUser user = newUser("/staff");

        assertInvalidGrant(passwordGrant(user, null, null), "Log in once through the browser");
        assertInvalidGrant(passwordGrant(user, "123456", null), "Log in once through the browser");
    }

    @Test
    void optionalAndExemptUsersWithoutTotpGetTokens() {
        passwordGrant(newUser("/extranet"), null, null).then().statusCode(200);
        passwordGrant(newUser("/staff", "/no-smartphone"), null, null).then().statusCode(200);
    }

    @Test
    void anEnrolledExtranetUserNeedsTheCode() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        admin.leaveGroup(REALM, user.id(), "/staff");
        admin.joinGroup(REALM, user.id(), "/extranet");

        assertInvalidGrant(passwordGrant(user, null, null), "parameter 'totp'");
        passwordGrant(user, app.freshCode(), null).then().statusCode(200);
    }

    @Test
    void aRememberedBrowserCookieDoesNotApply() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        String cookie = browser.cookies("GROUP_TOTP_REMEMBER_").get(0).toString();

        assertInvalidGrant(passwordGrant(user, null, cookie), "parameter 'totp'");
    }
}
