package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The grace period ("log in without 2FA for now"). The demo realm gives 14 days per user; copies of it hold a fixed
 * enforcement date and a config the tests change. A user is put at a known point of the period by creating them
 * with a stored grace record through the admin API, as an admin's import would.
 */
class GracePeriodIT extends KeycloakIT {

    static final String FIXED_DATE_REALM = "group-totp-grace-fixed";
    static final String CONFIG_REALM = "group-totp-grace-config";

    @BeforeAll
    static void importRealms() {
        importDemoRealmCopy(FIXED_DATE_REALM, Map.of("enforcementDate", "2099-12-06"));
        importDemoRealmCopy(CONFIG_REALM, Map.of());
    }

    @AfterEach
    void restoreConfig() {
        admin.updateStepConfig(CONFIG_REALM, FLOW, Map.of("graceDays", "14", "enforcementDate", ""));
    }

    /** A staff user whose grace started {@code ago}, so the deadline is known to the test. */
    private TestUser staffUserInGraceSince(Duration ago) {
        return newUserWithGrace(REALM, graceStartedAgo(ago), "/staff");
    }

    private static long daysLeft(Instant deadline) {
        long seconds = Duration.between(Instant.now(), deadline).toSeconds();
        return (seconds + 86_399) / 86_400;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "en|Two-step verification is becoming mandatory|{0} days left to set it up.",
            "nl|Verificatie in twee stappen wordt verplicht|Nog {0} dagen om het in te stellen."})
    void inGraceThePageShowsTheDeadlineDateAndDaysLeft(String locale, String title, String daysLeftText) {
        TestUser user = staffUserInGraceSince(Duration.ofDays(3).plusHours(12));
        Instant deadline = graceStart(user).plus(Duration.ofDays(14));
        LocalDate deadlineDate = LocalDate.ofInstant(deadline, ZoneOffset.UTC);

        Page grace = loginWithPassword(new Browser(), user, locale);

        assertEquals(title, grace.text("#kc-page-title"));
        assertEquals(deadlineDate.toString(), grace.attr("#group-totp-deadline", "datetime"));
        assertEquals(DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Locale.forLanguageTag(locale)).format(deadlineDate),
                grace.text("#group-totp-deadline"));
        assertEquals(11, daysLeft(deadline), "the test's own arithmetic");
        assertEquals(daysLeftText.replace("{0}", "11"), grace.text("#group-totp-days-left"));
        assertTrue(grace.has("#group-totp-grace-form button[name=enrol]"));
        assertTrue(grace.has("#group-totp-grace-form button[name=skip]"));
        assertFalse(grace.body().contains("groupTotp."), "no untranslated message keys");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"en|December 6, 2099", "nl|6 december 2099"})
    void aFixedEnforcementDateIsTheDeadlineForEveryone(String locale, String shownDate) {
        TestUser user = newUserIn(FIXED_DATE_REALM, "/staff");

        Page grace = loginWithPassword(new Browser(), user, locale);

        assertEquals("2099-12-06", grace.attr("#group-totp-deadline", "datetime"));
        assertEquals(shownDate, grace.text("#group-totp-deadline"));
        String left = NumberFormat.getInstance(Locale.forLanguageTag(locale)).format(daysLeft(Instant.parse("2099-12-06T00:00:00Z")));
        assertTrue(grace.text("#group-totp-days-left").contains(left), grace.text("#group-totp-days-left"));
    }

    @Test
    void theGraceStartIsStampedAtTheFirstLoginAndNeverMoved() {
        TestUser user = newUser("/staff");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Page grace = loginWithPassword(new Browser(), user);

        Instant start = graceStart(user);
        assertFalse(start.isBefore(before) || start.isAfter(Instant.now()), start.toString());
        assertEquals("14 days left to set it up.", grace.text("#group-totp-days-left"));
        assertEquals(LocalDate.ofInstant(start.plus(Duration.ofDays(14)), ZoneOffset.UTC).toString(),
                grace.attr("#group-totp-deadline", "datetime"));
        loginWithPassword(new Browser(), user);
        assertEquals(start, graceStart(user), "a later login does not move it");
    }

    @Test
    void skipLogsInWithTheDeadlineInTheEventAndIsNotRemembered() {
        TestUser user = staffUserInGraceSince(Duration.ofDays(1));
        Instant deadline = graceStart(user).plus(Duration.ofDays(14));
        Browser browser = new Browser();

        Page done = browser.submit(loginWithPassword(browser, user), "#group-totp-grace-form", Map.of("skip", ""));

        assertTrue(done.loggedIn(), done.toString());
        Map<String, String> login = admin.events(REALM, user.id(), "LOGIN").get(0).getDetails();
        assertEquals("grace_skipped", login.get("group_totp"));
        assertEquals(deadline.toString(), login.get("group_totp_deadline"));
        assertEquals(List.of(), browser.cookies("GROUP_TOTP_REMEMBER_"), "skipping is not remembered");
        browser.restart();
        assertTrue(loginWithPassword(browser, user).has("#group-totp-grace-form"), "the grace page comes back");
        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));
    }

    @Test
    void setItUpNowLeadsToTheQrPageAndEnrols() {
        TestUser user = staffUserInGraceSince(Duration.ofDays(1));
        Browser browser = new Browser();

        Page enrol = browser.submit(loginWithPassword(browser, user), "#group-totp-grace-form", Map.of("enrol", ""));

        assertTrue(enrol.has("#kc-totp-secret-qr-code"), enrol.toString());
        AuthenticatorApp app = AuthenticatorApp.fromKey(enrol.text("#kc-totp-secret-key"));
        assertTrue(submitEnrolment(browser, enrol, app).result().loggedIn());
        assertEquals("enrolled", lastLoginOutcome(user));
    }

    @Test
    void afterTheDeadlineThereIsNoSkipAndAPostedSkipIsRefused() {
        TestUser user = staffUserInGraceSince(Duration.ofDays(14).plusSeconds(1));
        Browser browser = new Browser();

        Page forced = loginWithPassword(browser, user);

        assertTrue(forced.has("#group-totp-enrol-form"), "enrolment forced: " + forced);
        assertFalse(forced.has("[name=skip]"), "no skip button");
        String action = forced.document().selectFirst("#group-totp-enrol-form").absUrl("action");
        Page refused = browser.post(action, Map.of("skip", ""));
        assertFalse(refused.loggedIn(), refused.toString());
        assertTrue(refused.has("#group-totp-enrol-form"));
        assertEquals(List.of(), admin.credentials(REALM, user.id(), "otp"));
    }

    @Test
    void skipPostedAfterTheDeadlinePassedWhileThePageWasOpenIsRefused() {
        TestUser user = newUserIn(CONFIG_REALM, "/staff");
        Browser browser = new Browser();
        Page grace = loginWithPassword(browser, user);
        // The deadline passes while the page is open (here: the admin sets an enforcement date in the past).
        admin.updateStepConfig(CONFIG_REALM, FLOW, Map.of("enforcementDate", "2020-01-01"));

        Page refused = browser.submit(grace, "#group-totp-grace-form", Map.of("skip", ""));

        assertFalse(refused.loggedIn(), refused.toString());
        assertTrue(refused.has("#group-totp-enrol-form"));
        assertTrue(refused.body().contains("The period to log in without two-step verification has ended."));
        assertEquals("group_totp_grace_over", admin.events(CONFIG_REALM, user.id(), "LOGIN_ERROR").get(0).getError());
    }

    @Test
    void skipPostedToALoginThatNeverShowedTheGracePageIsRefused() {
        TestUser user = staffUserInGraceSince(Duration.ofDays(1));
        AuthenticatorApp app = enrol(user);
        Browser browser = new Browser();
        Page codePage = loginWithPassword(browser, user);
        String action = codePage.document().selectFirst("#group-totp-code-form").absUrl("action");

        Page refused = browser.post(action, Map.of("skip", ""));

        assertFalse(refused.loggedIn(), refused.toString());
        assertTrue(refused.has("#group-totp-code-form"));
        assertTrue(browser.submit(refused, "#group-totp-code-form", Map.of("otp", app.freshCode())).loggedIn());
    }

    @Test
    void usersWhoEnrolledNeverSeeTheGracePage() {
        TestUser user = staffUserInGraceSince(Duration.ofDays(1));
        enrol(user);

        Page page = loginWithPassword(new Browser(), user);

        assertTrue(page.has("#group-totp-code-form"), page.toString());
    }

    @Test
    void graceDaysZeroForcesEnrolmentAtOnce() {
        admin.updateStepConfig(CONFIG_REALM, FLOW, Map.of("graceDays", "0"));

        Page page = loginWithPassword(new Browser(), newUserIn(CONFIG_REALM, "/staff"));

        assertTrue(page.has("#group-totp-enrol-form"), page.toString());
        assertFalse(page.has("[name=skip]"));
    }

    @Test
    void usersFirstSeenAfterAPastEnforcementDateGetNoGrace() {
        admin.updateStepConfig(CONFIG_REALM, FLOW, Map.of("enforcementDate", "2020-01-01"));

        Page page = loginWithPassword(new Browser(), newUserIn(CONFIG_REALM, "/staff"));

        assertTrue(page.has("#group-totp-enrol-form"), page.toString());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "graceDays, fourteen, graceDays 'fourteen' is not a whole number from 0 to 365; using 0",
            "graceDays, -3, graceDays '-3' is not a whole number from 0 to 365; using 0",
            "enforcementDate, 01-12-2099, enforcementDate '01-12-2099' is not a date like 2026-12-31; no grace period is given"})
    void unusableGraceSettingsMeanNoGraceAndAreLogged(String key, String value, String logged) {
        admin.updateStepConfig(CONFIG_REALM, FLOW, Map.of(key, value));

        Page page = loginWithPassword(new Browser(), newUserIn(CONFIG_REALM, "/staff"));

        assertTrue(page.has("#group-totp-enrol-form"), page.toString());
        awaitLog(logged);
    }
}
