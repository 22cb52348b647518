package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Who is asked what, by group membership, with the demo realm's config (/staff, /extranet, /no-smartphone). */
class GroupPolicyIT extends KeycloakIT {

    @Test
    void memberOfAStaffSubgroupMustEnrol() {
        Page page = loginWithPassword(new Browser(), newUser("/staff/doctors"));

        assertMustEnrol(page);
    }

    @Test
    void userInStaffAndExtranetMustEnrol() {
        Page page = loginWithPassword(new Browser(), newUser("/staff", "/extranet"));

        assertMustEnrol(page);
    }

    @Test
    void extranetUserWithoutTotpPassesWithoutAPrompt() {
        TestUser user = newUser("/extranet");

        Page page = loginWithPassword(new Browser(), user);

        assertTrue(page.loggedIn(), page.toString());
        assertEquals("optional", lastLoginOutcome(user));
    }

    @Test
    void extranetUserWithTotpIsAskedForTheCode() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        // The admin moves the user to the extranet; the authenticator they set up stays.
        admin.leaveGroup(REALM, user.id(), "/staff");
        admin.joinGroup(REALM, user.id(), "/extranet");
        Browser browser = new Browser();

        Page codePage = loginWithPassword(browser, user);

        assertTrue(codePage.has("#group-totp-code-form"), codePage.toString());
        assertTrue(browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());
        assertEquals("verified", lastLoginOutcome(user));
    }

    @Test
    void userInNoListedGroupIsTreatedAsOptional() {
        TestUser user = newUser();

        Page page = loginWithPassword(new Browser(), user);

        assertTrue(page.loggedIn(), page.toString());
        assertEquals("optional", lastLoginOutcome(user));
    }

    @Test
    void exemptStaffUserWithoutTotpIsNotForced() {
        TestUser user = newUser("/staff", "/no-smartphone");

        Page page = loginWithPassword(new Browser(), user);

        assertTrue(page.loggedIn(), page.toString());
        assertEquals("not_required", lastLoginOutcome(user));
        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));
    }

    @Test
    void exemptUserWithTotpIsStillAskedForTheCode() {
        TestUser user = newUser("/staff");
        AuthenticatorApp app = enrol(user);
        admin.joinGroup(REALM, user.id(), "/no-smartphone");
        Browser browser = new Browser();

        Page codePage = loginWithPassword(browser, user);

        assertTrue(codePage.has("#group-totp-code-form"), codePage.toString());
        assertTrue(browser.submit(codePage, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());
    }
}
