package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.parser.ParseError;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every page of the step, in English and Dutch, as the Keycloak under test renders it: valid HTML (no parse error,
 * no duplicate attribute or id), every text translated, the code inputs as phones need them. The suite runs on the
 * newest and the oldest supported Keycloak, so this holds for both.
 */
class PagesIT extends KeycloakIT {

    static final String PAGES_REALM = "group-totp-pages";
    static final int LOGIN_WRONG_CODE_LIMIT = 5;

    @BeforeAll
    static void importRealm() {
        importDemoRealmCopy(PAGES_REALM, Map.of(), realm -> realm.setBruteForceProtected(false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"en", "nl"})
    void everyPageIsValidTranslatedHtml(String locale) {
        TestUser user = newUserIn(PAGES_REALM, "/staff");
        Browser browser = new Browser();

        Page grace = checked(loginWithPassword(browser, user, locale), "#group-totp-grace-form");
        Page enrol = checked(browser.submit(grace, "#group-totp-grace-form", Map.of("enrol", "")), "#group-totp-enrol-form");
        AuthenticatorApp app = AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key"));
        Page wrongEnrolCode = checked(browser.submit(enrol, "#group-totp-enrol-form", Map.of("otp", app.wrongCode())), "#input-error-otp");
        Page codes = checked(browser.submit(wrongEnrolCode, "#group-totp-enrol-form", Map.of("otp", app.freshCode())), RECOVERY_CODES_FORM);
        List<String> recoveryCodes = codes.document().select("#group-totp-recovery-codes-list li").eachText();
        Page notSaved = checked(browser.submit(codes, RECOVERY_CODES_FORM, Map.of()), "#input-error-saved");
        assertTrue(browser.submit(notSaved, RECOVERY_CODES_FORM, Map.of("saved", "on")).loggedIn());

        Browser second = new Browser();
        Page code = checked(loginWithPassword(second, user, locale), "#group-totp-code-form");
        Page wrongCode = checked(second.submit(code, "#group-totp-code-form", Map.of("otp", app.wrongCode())), "#input-error-otp");
        Page recovery = checked(second.submit(wrongCode, "#group-totp-code-form", Map.of("recovery", "")), "#group-totp-recovery-form");
        Page wrongRecovery = checked(second.submit(recovery, "#group-totp-recovery-form", Map.of("recoveryCodeInput", "AAAA-BBBB-CCCC")),
                "#input-error-recoveryCodeInput");
        // Two wrong so far in this login (an app code, a recovery code); the limit's last one shows the error page.
        Page page = wrongRecovery;
        for (int wrong = 2; wrong < LOGIN_WRONG_CODE_LIMIT - 1; wrong++) {
            page = second.submit(page, "#group-totp-recovery-form", Map.of("recoveryCodeInput", "AAAA-BBBB-CCCC"));
        }
        Page tooMany = checked(second.submit(page, "#group-totp-recovery-form", Map.of("recoveryCodeInput", "AAAA-BBBB-CCCC")),
                "#group-totp-restart");

        Browser third = new Browser();
        Page afterRecovery = checked(third.submit(third.submit(loginWithPassword(third, user, locale), "#group-totp-code-form",
                Map.of("recovery", "")), "#group-totp-recovery-form", Map.of("recoveryCodeInput", recoveryCodes.get(0))), "#group-totp-enrol-form");
        assertFalse(afterRecovery.has("[name=skip]"));
        assertEquals(200, tooMany.status());
    }

    private static final String BEGIN = "<!-- group-totp: begin -->";
    private static final String END = "<!-- group-totp: end -->";
    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*?(/?)>");
    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr");

    /**
     * The page has the element; the step's part of it (between its begin and end markers; the rest is the login
     * theme's template.ftl, whose HTML is Keycloak's) raises no parse error and closes every element it opens; ids
     * are unique; every text is translated; the code inputs are as phones need them.
     */
    private static Page checked(Page page, String expectedElement) {
        assertTrue(page.has(expectedElement), expectedElement + " expected: " + page);
        String html = page.body();
        int begin = html.indexOf(BEGIN);
        int end = html.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "the step's markers on " + page);
        Parser parser = Parser.htmlParser().setTrackErrors(100);
        Jsoup.parse(html, page.uri().toString(), parser);
        List<String> ours = parser.getErrors().stream()
                .filter(error -> error.getPosition() > begin && error.getPosition() < end)
                .map(ParseError::toString).toList();
        assertEquals(List.of(), ours, "HTML parse errors in the step's part of " + page + ":\n" + html.substring(begin, end));
        Deque<String> open = new ArrayDeque<>();
        Matcher tag = TAG.matcher(html.substring(begin, end));
        while (tag.find()) {
            String name = tag.group(2).toLowerCase(Locale.ROOT);
            if (VOID.contains(name) || !tag.group(3).isEmpty()) {
                continue;
            }
            if (tag.group(1).isEmpty()) {
                open.push(name);
            } else {
                assertEquals(open.isEmpty() ? "(nothing open)" : open.peek(), name, "closing tag order in " + page);
                open.pop();
            }
        }
        assertEquals(List.of(), List.copyOf(open), "elements left open in the step's part of " + page);
        Set<String> ids = new HashSet<>();
        for (Element element : page.document().select("[id]")) {
            assertTrue(ids.add(element.id()), "duplicate id " + element.id() + " on " + page);
        }
        assertFalse(html.contains("groupTotp."), "untranslated message key on " + page);
        for (Element input : page.document().select("input[name=otp]")) {
            assertEquals("one-time-code", input.attr("autocomplete"));
            assertEquals("numeric", input.attr("inputmode"));
            assertTrue(page.has("label[for=otp]"));
        }
        return page;
    }
}
