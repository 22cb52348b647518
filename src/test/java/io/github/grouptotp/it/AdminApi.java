package io.github.grouptotp.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The few Keycloak admin REST calls the tests need, as the master realm's admin. */
public final class AdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String username;
    private final String password;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    AdminApi(String baseUrl, String username, String password) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
    }

    public void importRealm(String realmJson) {
        send("POST", "/admin/realms", realmJson, 201);
    }

    /** Creates an enabled user with password {@code password}, a complete profile, and the given group paths. */
    public String createUser(String realm, String username, String password, String... groupPaths) {
        ObjectNode user = JSON.createObjectNode()
                .put("username", username)
                .put("enabled", true)
                .put("email", username + "@example.org")
                .put("emailVerified", true)
                .put("firstName", "Test")
                .put("lastName", username);
        user.putArray("credentials").addObject()
                .put("type", "password").put("value", password).put("temporary", false);
        send("POST", "/admin/realms/" + realm + "/users", user.toString(), 201);
        String id = json("GET", "/admin/realms/" + realm + "/users?exact=true&username=" + encode(username)).get(0).get("id").asText();
        for (String path : groupPaths) {
            joinGroup(realm, id, path);
        }
        return id;
    }

    public void joinGroup(String realm, String userId, String groupPath) {
        send("PUT", "/admin/realms/" + realm + "/users/" + userId + "/groups/" + groupId(realm, groupPath), null, 204);
    }

    public void leaveGroup(String realm, String userId, String groupPath) {
        send("DELETE", "/admin/realms/" + realm + "/users/" + userId + "/groups/" + groupId(realm, groupPath), null, 204);
    }

    private String groupId(String realm, String path) {
        return json("GET", "/admin/realms/" + realm + "/group-by-path" + path).get("id").asText();
    }

    /** The user's stored credentials of the given type (e.g. "otp"). */
    public List<JsonNode> credentials(String realm, String userId, String type) {
        List<JsonNode> result = new ArrayList<>();
        json("GET", "/admin/realms/" + realm + "/users/" + userId + "/credentials").forEach(c -> {
            if (type.equals(c.get("type").asText())) {
                result.add(c);
            }
        });
        return result;
    }

    /** Stored user events of one type, newest first. */
    public List<JsonNode> events(String realm, String userId, String type) {
        List<JsonNode> result = new ArrayList<>();
        json("GET", "/admin/realms/" + realm + "/events?max=100&type=" + type + "&user=" + userId).forEach(result::add);
        return result;
    }

    /** Sets (or with null, removes) one attribute of a user, as an admin does in the console. */
    public void setUserAttribute(String realm, String userId, String name, String value) {
        ObjectNode user = (ObjectNode) json("GET", "/admin/realms/" + realm + "/users/" + userId);
        ObjectNode attributes = user.has("attributes") ? (ObjectNode) user.get("attributes") : user.putObject("attributes");
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.putArray(name).add(value);
        }
        send("PUT", "/admin/realms/" + realm + "/users/" + userId, user.toString(), 204);
    }

    public String userAttribute(String realm, String userId, String name) {
        JsonNode values = json("GET", "/admin/realms/" + realm + "/users/" + userId).path("attributes").path(name);
        return values.isArray() && values.size() > 0 ? values.get(0).asText() : null;
    }

    /** Assigns a required action to the user, as in the console's "Required user actions". */
    public void assignRequiredAction(String realm, String userId, String action) {
        ObjectNode user = (ObjectNode) json("GET", "/admin/realms/" + realm + "/users/" + userId);
        user.putArray("requiredActions").add(action);
        send("PUT", "/admin/realms/" + realm + "/users/" + userId, user.toString(), 204);
    }

    public List<String> requiredActions(String realm, String userId) {
        List<String> actions = new ArrayList<>();
        json("GET", "/admin/realms/" + realm + "/users/" + userId).path("requiredActions").forEach(a -> actions.add(a.asText()));
        return actions;
    }

    /** Grants the user a role of the realm's realm-management client, e.g. view-users. */
    public void grantRealmManagementRole(String realm, String userId, String role) {
        String clientUuid = json("GET", "/admin/realms/" + realm + "/clients?clientId=realm-management").get(0).get("id").asText();
        JsonNode roleRep = json("GET", "/admin/realms/" + realm + "/clients/" + clientUuid + "/roles/" + role);
        send("POST", "/admin/realms/" + realm + "/users/" + userId + "/role-mappings/clients/" + clientUuid,
                "[" + roleRep + "]", 204);
    }

    /** The master admin's user id, as admin events record it. */
    public String adminUserId() {
        return json("GET", "/admin/realms/master/users?exact=true&username=" + encode(username)).get(0).get("id").asText();
    }

    /** Any call as the master admin, with the raw response. */
    public HttpResponse<String> call(String method, String path, String accept, String jsonBody) {
        return call(method, path, accept, jsonBody, token());
    }

    /** Any call with the given bearer token (null: none), with the raw response. */
    public HttpResponse<String> call(String method, String path, String accept, String jsonBody, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An access token for a user of {@code realm}, from its admin-cli client's password grant. */
    public String userToken(String realm, String username, String password) {
        String form = "grant_type=password&client_id=admin-cli&username=" + encode(username) + "&password=" + encode(password);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            return JSON.readTree(expect(http.send(request, HttpResponse.BodyHandlers.ofString()), 200)).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void deleteCredential(String realm, String userId, String credentialId) {
        send("DELETE", "/admin/realms/" + realm + "/users/" + userId + "/credentials/" + credentialId, null, 204);
    }

    /** The admin console's "Sign out" of a user: ends their sessions and sets their not-before time. */
    public void signOut(String realm, String userId) {
        send("POST", "/admin/realms/" + realm + "/users/" + userId + "/logout", null, 204);
    }

    /** Sets config values of the flow's "Group TOTP policy" step, keeping the others. */
    public void updateStepConfig(String realm, String flowAlias, Map<String, String> changes) {
        String configId = null;
        for (JsonNode execution : json("GET", "/admin/realms/" + realm + "/authentication/flows/" + encode(flowAlias).replace("+", "%20") + "/executions")) {
            if ("group-totp".equals(execution.path("providerId").asText())) {
                configId = execution.path("authenticationConfig").asText();
            }
        }
        if (configId == null) {
            throw new IllegalStateException("no group-totp step in flow " + flowAlias);
        }
        ObjectNode config = (ObjectNode) json("GET", "/admin/realms/" + realm + "/authentication/config/" + configId);
        changes.forEach(((ObjectNode) config.get("config"))::put);
        send("PUT", "/admin/realms/" + realm + "/authentication/config/" + configId, config.toString(), 204);
    }

    public JsonNode bruteForceStatus(String realm, String userId) {
        return json("GET", "/admin/realms/" + realm + "/attack-detection/brute-force/users/" + userId);
    }

    public JsonNode realm(String realm) {
        return json("GET", "/admin/realms/" + realm);
    }

    /** Updates only the realm attributes present in {@code changes}. */
    public void updateRealm(String realm, Map<String, Object> changes) {
        send("PUT", "/admin/realms/" + realm, JSON.valueToTree(changes).toString(), 204);
    }

    public JsonNode json(String method, String path) {
        try {
            return JSON.readTree(send(method, path, null, 200));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized String token() {
        if (Instant.now().isAfter(tokenExpires)) {
            String form = "grant_type=password&client_id=admin-cli&username=" + encode(username) + "&password=" + encode(password);
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build();
            try {
                JsonNode body = JSON.readTree(expect(http.send(request, HttpResponse.BodyHandlers.ofString()), 200));
                token = body.get("access_token").asText();
                // Renew well before expiry so a slow call never carries an expired token.
                tokenExpires = Instant.now().plusSeconds(body.get("expires_in").asLong() / 2);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return token;
    }

    private String send(String method, String path, String jsonBody, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token())
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return expect(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), expectedStatus);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
