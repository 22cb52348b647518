package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.ws.rs.core.Response;

import io.restassured.specification.RequestSpecification;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.util.JsonSerialization;

/**
 * The master realm's admin, through Keycloak's typed admin client, with the few set-ups the tests repeat; and
 * rest-assured requests for what the typed client does not know (the extension's own admin resource).
 */
public final class Admin {

    private final String baseUrl;
    private final Keycloak keycloak;

    Admin(String baseUrl, String username, String password) {
        this.baseUrl = baseUrl;
        this.keycloak = Keycloak.getInstance(baseUrl, "master", username, password, "admin-cli");
    }

    public Keycloak keycloak() {
        return keycloak;
    }

    public RealmResource realm(String realm) {
        return keycloak.realm(realm);
    }

    public UserResource user(String realm, String userId) {
        return realm(realm).users().get(userId);
    }

    /** The demo realm as exported, for tests to change before importing it. */
    public static RealmRepresentation demoRealm() {
        try {
            return JsonSerialization.readValue(Files.readString(Path.of(System.getProperty("realm.file"))), RealmRepresentation.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Imports a realm with the test application's client added. */
    public void importRealm(RealmRepresentation realm) {
        List<org.keycloak.representations.idm.ClientRepresentation> clients =
                realm.getClients() == null ? new ArrayList<>() : new ArrayList<>(realm.getClients());
        clients.add(TestApp.get().client());
        realm.setClients(clients);
        keycloak.realms().create(realm);
    }

    public void updateRealm(String realm, Consumer<RealmRepresentation> change) {
        RealmRepresentation rep = realm(realm).toRepresentation();
        change.accept(rep);
        realm(realm).update(rep);
    }

    /** Creates an enabled user with a complete profile, the password and the given group paths. */
    public String createUser(String realm, String username, String password, String... groupPaths) {
        return createUser(realm, username, password, List.of(), groupPaths);
    }

    /**
     * {@link #createUser(String, String, String, String...)} with more stored credentials, as an admin creating or
     * importing users stores them (e.g. {@link #graceRecord}, {@link #otpCredential}).
     */
    public String createUser(String realm, String username, String password, List<CredentialRepresentation> stored, String... groupPaths) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(username + "@example.org");
        user.setEmailVerified(true);
        user.setFirstName("Test");
        user.setLastName(username);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        List<CredentialRepresentation> credentials = new ArrayList<>(List.of(credential));
        credentials.addAll(stored);
        user.setCredentials(credentials);
        user.setGroups(List.of(groupPaths));
        try (Response response = realm(realm).users().create(user)) {
            return CreatedResponseUtil.getCreatedId(response);
        }
    }

    /** The extension's grace record with this data, e.g. {@code {"start":"2020-01-01T00:00:00Z"}}. */
    public static CredentialRepresentation graceRecord(String json) {
        CredentialRepresentation grace = new CredentialRepresentation();
        grace.setType("group-totp-grace");
        grace.setCredentialData(json);
        return grace;
    }

    /** Keycloak's OTP credential for a secret (TOTP, HmacSHA1, 6 digits, 30 s, as the demo realm's policy). */
    public static CredentialRepresentation otpCredential(String secret) {
        CredentialRepresentation otp = new CredentialRepresentation();
        otp.setType("otp");
        otp.setUserLabel("imported");
        otp.setSecretData("{\"value\":\"" + secret + "\"}");
        otp.setCredentialData("{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}");
        return otp;
    }

    /**
     * A stored WebAuthn credential ({@code webauthn}: a security key, {@code webauthn-passwordless}: a passkey) as an
     * import writes it; its key is made up, so only routes that never check a signature can use it.
     */
    public static CredentialRepresentation webAuthnCredential(String type) {
        CredentialRepresentation key = new CredentialRepresentation();
        key.setType(type);
        key.setUserLabel("imported key");
        key.setSecretData("{}");
        key.setCredentialData("{\"aaguid\":\"00000000-0000-0000-0000-000000000000\",\"credentialId\":\"AQIDBA==\","
                + "\"counter\":0,\"credentialPublicKey\":\"AQIDBA==\",\"attestationStatementFormat\":\"none\",\"transports\":[]}");
        return key;
    }

    public void joinGroup(String realm, String userId, String groupPath) {
        user(realm, userId).joinGroup(realm(realm).getGroupByPath(groupPath).getId());
    }

    public void leaveGroup(String realm, String userId, String groupPath) {
        user(realm, userId).leaveGroup(realm(realm).getGroupByPath(groupPath).getId());
    }

    /** The user's stored credentials of one type (e.g. "otp"). */
    public List<CredentialRepresentation> credentials(String realm, String userId, String type) {
        return user(realm, userId).credentials().stream().filter(c -> type.equals(c.getType())).toList();
    }

    /** Stored user events of one type for the user, newest first. */
    public List<EventRepresentation> events(String realm, String userId, String type) {
        return realm(realm).getEvents(List.of(type), null, userId, null, null, null, 0, 100);
    }

    /** The detail of the user's newest event of this type. */
    public String lastEventDetail(String realm, String userId, String type, String detail) {
        List<EventRepresentation> events = events(realm, userId, type);
        if (events.isEmpty()) {
            throw new AssertionError("no " + type + " event for user " + userId);
        }
        Map<String, String> details = events.get(0).getDetails();
        return details == null ? null : details.get(detail);
    }

    /** Sets (or with null, removes) one attribute of a user, as an admin does in the console. */
    public void setUserAttribute(String realm, String userId, String name, String value) {
        UserRepresentation user = user(realm, userId).toRepresentation();
        Map<String, List<String>> attributes = user.getAttributes() == null ? new java.util.HashMap<>() : new java.util.HashMap<>(user.getAttributes());
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, List.of(value));
        }
        user.setAttributes(attributes);
        user(realm, userId).update(user);
    }

    public String userAttribute(String realm, String userId, String name) {
        return user(realm, userId).toRepresentation().firstAttribute(name);
    }

    public List<String> requiredActions(String realm, String userId) {
        return user(realm, userId).toRepresentation().getRequiredActions();
    }

    /** Assigns a required action, as in the console's "Required user actions". */
    public void assignRequiredAction(String realm, String userId, String action) {
        UserRepresentation user = user(realm, userId).toRepresentation();
        user.setRequiredActions(List.of(action));
        user(realm, userId).update(user);
    }

    /** Grants the user a role of the realm's realm-management client, e.g. view-users. */
    public void grantRealmManagementRole(String realm, String userId, String role) {
        String clientUuid = realm(realm).clients().findByClientId("realm-management").get(0).getId();
        RoleRepresentation roleRep = realm(realm).clients().get(clientUuid).roles().get(role).toRepresentation();
        user(realm, userId).roles().clientLevel(clientUuid).add(List.of(roleRep));
    }

    /** The master admin's user id, as admin events record it. */
    public String adminUserId() {
        return keycloak.realm("master").users().search("admin", true).get(0).getId();
    }

    /** Sets config values of the flow's "Group TOTP policy" step, keeping the others. */
    public void updateStepConfig(String realm, String flowAlias, Map<String, String> changes) {
        String configId = realm(realm).flows().getExecutions(flowAlias).stream()
                .filter(e -> "group-totp".equals(e.getProviderId()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no group-totp step in flow " + flowAlias))
                .getAuthenticationConfig();
        AuthenticatorConfigRepresentation config = realm(realm).flows().getAuthenticatorConfig(configId);
        config.getConfig().putAll(changes);
        realm(realm).flows().updateAuthenticatorConfig(configId, config);
    }

    /** Keycloak's brute-force status of the user (numFailures, disabled, ...). */
    public Map<String, Object> bruteForceStatus(String realm, String userId) {
        return realm(realm).attackDetection().bruteForceUserStatus(userId);
    }

    /** A rest-assured request as the master admin, for the extension's admin resource. */
    public RequestSpecification request() {
        return given().baseUri(baseUrl).auth().oauth2(keycloak.tokenManager().getAccessTokenString());
    }

    /** An access token of a user of {@code realm}, from its admin-cli client's password grant. */
    public String userToken(String realm, String username, String password) {
        return given().baseUri(baseUrl)
                .formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", username).formParam("password", password)
                .post("/realms/{realm}/protocol/openid-connect/token", realm)
                .then().statusCode(200)
                .extract().path("access_token");
    }
}
