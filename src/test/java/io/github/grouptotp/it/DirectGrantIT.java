package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The direct grant flow (password grant) with group-totp-direct-grant: no way around the policy there either. */
class DirectGrantIT extends KeycloakIT {

    /** The realm's own admin-cli client: public, with direct access grants. */
    private HttpResponse<String> passwordGrant(TestUser user, String totp, String cookie) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=admin-cli&scope=openid"
                + "&username=" + AdminApi.encode(user.username())
                + "&password=" + AdminApi.encode(user.password())
                + (totp == null ? "" : "&totp=" + AdminApi.encode(totp));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return new ObjectMapper().readTree(response.body());
    }

    private static void assertInvalidGrant(HttpResponse<String> response, String descriptionPart) throws IOException {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("invalid_grant", json(response).path("error").asText());
        assertTrue(json(response).path("error_description").asText().contains(descriptionPart), response.body());
    }

    @Test
    void enrolledStaffUserNeedsAValidCodeInTheTotpParameter() throws Exception {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);

        assertInvalidGrant(passwordGrant(user, null, null), "parameter 'totp'");
        assertInvalidGrant(passwordGrant(user, app.wrongCode(), null), "Invalid user credentials");
        HttpResponse<String> ok = passwordGrant(user, app.freshCode(), null);

        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(json(ok).hasNonNull("access_token"));
    }

    @Test
    void aWrongCodeCountsForBruteForce() throws Exception {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);

        passwordGrant(user, app.wrongCode(), null);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (admin.bruteForceStatus(REALM, user.id()).path("numFailures").asInt() != 1) {
            assertTrue(Instant.now().isBefore(deadline), "failure never counted");
            Thread.sleep(100);
        }
    }

    @Test
    void requiredUserWithoutTotpIsRefusedEvenInTheGracePeriod() throws Exception {
        TestUser user = newUser("/staff");

        assertInvalidGrant(passwordGrant(user, null, null), "Log in once through the browser");
        assertInvalidGrant(passwordGrant(user, "123456", null), "Log in once through the browser");
    }

    @Test
    void optionalAndExemptUsersWithoutTotpGetTokens() throws Exception {
        assertEquals(200, passwordGrant(newUser("/extranet"), null, null).statusCode());
        assertEquals(200, passwordGrant(newUser("/staff", "/no-smartphone"), null, null).statusCode());
    }

    @Test
    void anEnrolledExtranetUserNeedsTheCode() throws Exception {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        admin.leaveGroup(REALM, user.id(), "/staff");
        admin.joinGroup(REALM, user.id(), "/extranet");

        assertInvalidGrant(passwordGrant(user, null, null), "parameter 'totp'");
        assertEquals(200, passwordGrant(user, app.freshCode(), null).statusCode());
    }

    @Test
    void aRememberedBrowserCookieDoesNotApply() throws Exception {
        TestUser user = newUser("/staff");
        Browser browser = newBrowser(REALM);
        enrolIn(browser, user);
        String cookie = browser.cookies("GROUP_TOTP_REMEMBER_").get(0).toString();

        assertInvalidGrant(passwordGrant(user, null, cookie), "parameter 'totp'");
    }
}
