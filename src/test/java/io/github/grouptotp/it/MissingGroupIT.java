package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
    void userOutsideTheOptionalAndExemptGroupsIsTreatedAsRequiredAndTheErrorIsLoggedOnce() throws Exception {
        TestUser user = newUserIn(GHOST_REALM, "/staff");
        String expected = "Group TOTP policy in flow 'browser-group-totp' of realm '" + GHOST_REALM
                + "' names groups that do not exist: [/ghost]";

        assertMustEnrol(loginWithPassword(new Browser(), user));
        // Logged by this login, or by an earlier test's login in this realm: either way there before the logins below.
        awaitLog(expected);
        for (int login = 0; login < 3; login++) {
            assertMustEnrol(loginWithPassword(new Browser(), user));
        }

        // Each of these logins would have logged a second line by now: the count holds at 1 for a while after them.
        holds("logged once in 10 minutes, not at every login", LOG_HOLD, () -> logOccurrences(expected) == 1);
        assertFalse(server.log().contains(user.username()), "no user data");
    }

    /** Keycloak writes its log as it goes (a line is in the file well within a second); a second line would show. */
    private static final Duration LOG_HOLD = Duration.ofSeconds(3);

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
