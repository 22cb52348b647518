package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A config naming a required group that does not exist (renamed or deleted after the config was saved) fails closed.
 * Runs in its own realm: the demo realm with {@code requiredGroups=/ghost}.
 */
class MissingGroupIT extends KeycloakIT {

    static final String GHOST_REALM = "group-totp-missing-group";

    @BeforeAll
    static void importRealmWithAMissingRequiredGroup() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode realm = (ObjectNode) json.readTree(Files.readString(Path.of(System.getProperty("realm.file"))));
        realm.put("realm", GHOST_REALM);
        realm.remove("users");
        ((ObjectNode) realm.get("authenticatorConfig").get(0).get("config")).put("requiredGroups", "/ghost");
        KeycloakServer.get().admin().importRealm(realm.toString());
    }

    @Test
    void userOutsideTheOptionalAndExemptGroupsIsTreatedAsRequiredAndTheErrorIsLogged() throws Exception {
        TestUser user = newUserIn(GHOST_REALM, "/staff");

        Page page = loginWithPassword(newBrowser(GHOST_REALM), user);

        assertTrue(page.has("#group-totp-enrol-form"), "fail closed: enrolment is required " + page);
        String expected = "Group TOTP policy in flow 'browser-group-totp' of realm '" + GHOST_REALM
                + "' names groups that do not exist: [/ghost]";
        awaitLog(expected);
        assertTrue(server.log().contains("User " + user.id() + " was treated as REQUIRED"));
        assertFalse(server.log().contains(user.username()), "no user data beyond the id");
    }

    @Test
    void userWithoutGroupsIsAlsoRequired() {
        Page page = loginWithPassword(newBrowser(GHOST_REALM), newUserIn(GHOST_REALM));

        assertTrue(page.has("#group-totp-enrol-form"), page.toString());
    }

    @Test
    void membersOfAResolvableOptionalOrExemptGroupKeepTheirMode() {
        TestUser extranet = newUserIn(GHOST_REALM, "/extranet");
        TestUser exempt = newUserIn(GHOST_REALM, "/no-smartphone");

        assertTrue(loginWithPassword(newBrowser(GHOST_REALM), extranet).loggedIn());
        assertEquals("optional", lastLoginOutcome(extranet));
        assertTrue(loginWithPassword(newBrowser(GHOST_REALM), exempt).loggedIn());
        assertEquals("not_required", lastLoginOutcome(exempt));
    }

    /** The server writes its log asynchronously: poll the file, bounded. */
    private void awaitLog(String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!server.log().contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("log never contained: " + text);
            }
            Thread.sleep(100);
        }
    }
}
