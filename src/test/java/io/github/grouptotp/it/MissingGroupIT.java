package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A config naming a required group that does not exist (renamed or deleted after the config was saved) fails closed.
 * Runs in its own realm: the demo realm with {@code requiredGroups=/ghost}.
 */
class MissingGroupIT extends KeycloakIT {

    static final String GHOST_REALM = "group-totp-missing-group";

    @BeforeAll
    static void importRealmWithAMissingRequiredGroup() {
        importDemoRealmCopy(GHOST_REALM, Map.of("requiredGroups", "/ghost"));
    }

    @Test
    void userOutsideTheOptionalAndExemptGroupsIsTreatedAsRequiredAndTheErrorIsLogged() throws Exception {
        TestUser user = newUserIn(GHOST_REALM, "/staff");

        Page page = loginWithPassword(new Browser(), user);

        assertMustEnrol(page);
        String expected = "Group TOTP policy in flow 'browser-group-totp' of realm '" + GHOST_REALM
                + "' names groups that do not exist: [/ghost]";
        awaitLog(expected);
        assertTrue(server.log().contains("User " + user.id() + " was treated as REQUIRED"));
        assertFalse(server.log().contains(user.username()), "no user data beyond the id");
    }

    @Test
    void userWithoutGroupsIsAlsoRequired() {
        Page page = loginWithPassword(new Browser(), newUserIn(GHOST_REALM));

        assertMustEnrol(page);
    }

    @Test
    void membersOfAResolvableOptionalOrExemptGroupKeepTheirMode() {
        TestUser extranet = newUserIn(GHOST_REALM, "/extranet");
        TestUser exempt = newUserIn(GHOST_REALM, "/no-smartphone");

        assertTrue(loginWithPassword(new Browser(), extranet).loggedIn());
        assertEquals("optional", lastLoginOutcome(extranet));
        assertTrue(loginWithPassword(new Browser(), exempt).loggedIn());
        assertEquals("not_required", lastLoginOutcome(exempt));
    }
}
