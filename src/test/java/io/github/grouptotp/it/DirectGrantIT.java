package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        return request.post("/realms/{realm}/protocol/openid-connect/token", user.realm());
    }

    /**
     * The answer is Keycloak's own to wrong credentials (the control: a password grant for a user that does not exist,
     * which the step never sees and which counts for no one's brute-force detection), so it confirms no password and
     * tells no reason.
     */
    private void assertAnsweredLikeAWrongPassword(Response response, TestUser user) {
        Response wrongPassword = passwordGrant(new TestUser(user.realm(), "none", "no-such-user-" + user.username(), "x"), null, null);
        assertEquals(wrongPassword.statusCode(), response.statusCode(), response.asString());
        assertEquals(wrongPassword.jsonPath().getMap(""), response.jsonPath().getMap(""));
        response.then().body("error", equalTo("invalid_grant")).body("error_description", equalTo("Invalid user credentials"));
    }

    @Test
    void enrolledStaffUserNeedsAValidCodeInTheTotpParameter() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);

        assertAnsweredLikeAWrongPassword(passwordGrant(user, null, null), user);
        assertAnsweredLikeAWrongPassword(passwordGrant(user, app.wrongCode(), null), user);
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

        assertAnsweredLikeAWrongPassword(passwordGrant(user, null, null), user);
        assertAnsweredLikeAWrongPassword(passwordGrant(user, "123456", null), user);
        assertEquals(2, admin.events(REALM, user.id(), "LOGIN_ERROR").stream()
                .filter(e -> e.getDetails() != null && "enrolment_required".equals(e.getDetails().get("group_totp_refused"))).count(),
                "the reason is in the events only");
    }

    /** WebAuthn needs a browser: a user whose only factor is a security key or passkey has nothing to send here. */
    @Test
    void aUserWithOnlyASecurityKeyOrPasskeyIsRefused() {
        for (String type : java.util.List.of("webauthn", "webauthn-passwordless")) {
            TestUser user = newUserWithCredentials(REALM, java.util.List.of(Admin.webAuthnCredential(type)), "/extranet");
            assertEquals(1, admin.credentials(REALM, user.id(), type).size(), "the " + type + " credential is stored");

            assertAnsweredLikeAWrongPassword(passwordGrant(user, null, null), user);
            assertAnsweredLikeAWrongPassword(passwordGrant(user, "123456", null), user);
            assertEquals(2, admin.events(REALM, user.id(), "LOGIN_ERROR").stream()
                    .filter(e -> e.getDetails() != null && "webauthn_only".equals(e.getDetails().get("group_totp_refused"))).count(),
                    "the reason is in the events only");
        }
        // Control: the same extranet group without a factor gets a token.
        passwordGrant(newUser("/extranet"), null, null).then().statusCode(200);
    }

    /** A phishing-resistant group's member with only an app cannot get a token with it here (no WebAuthn possible). */
    @Test
    void aPhishingResistantMemberCannotGetByWithAnApp() {
        String keysRealm = importDemoRealmCopy("group-totp-direct-grant-keys", java.util.Map.of(), realm -> realm.getAuthenticatorConfig()
                .stream().filter(config -> config.getAlias().equals("group-totp-direct-grant-demo")).findFirst().orElseThrow()
                .getConfig().put("phishingResistantGroups", "/staff"));
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        TestUser user = newUserWithCredentials(keysRealm, java.util.List.of(Admin.otpCredential(secret)), "/staff");
        // Control: the same user with the same app in the demo realm gets a token with its code.
        TestUser control = newUserWithCredentials(REALM, java.util.List.of(Admin.otpCredential(secret)), "/staff");
        passwordGrant(control, AuthenticatorApp.fromSecret(secret).freshCode(), null).then().statusCode(200);

        assertAnsweredLikeAWrongPassword(passwordGrant(user, AuthenticatorApp.fromSecret(secret).freshCode(), null), user);
        assertEquals("enrolment_required", admin.events(keysRealm, user.id(), "LOGIN_ERROR").get(0).getDetails().get("group_totp_refused"));
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

        assertAnsweredLikeAWrongPassword(passwordGrant(user, null, null), user);
        passwordGrant(user, app.freshCode(), null).then().statusCode(200);
    }

    @Test
    void aRememberedBrowserCookieDoesNotApply() {
        TestUser user = newUser("/staff");
        Browser browser = new Browser();
        enrolIn(browser, user);
        String cookie = browser.cookies("GROUP_TOTP_REMEMBER_").get(0).toString();

        assertAnsweredLikeAWrongPassword(passwordGrant(user, null, cookie), user);
    }
}
