package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Reminder e-mails before the deadline (issue 16), sent through {@code POST .../group-totp/reminders} to a real SMTP
 * server (GreenMail) by Keycloak's own e-mail sender. Each test has a realm of its own, so the counts it asserts are
 * its users' alone. The scheduled task, on two nodes at once, is in {@link ClusterIT}; here it mails nobody (it runs
 * hourly, and this server has no hostname option and the realms no frontend URL).
 *
 * <p>GreenMail answers "250 OK" to a mail before it stores it, so a mail can show up a moment after the call that sent
 * it has answered: counts of mails are read with {@link #awaitMails} (the count reached, then held) and "none" with a
 * hold, never read once.
 */
class ReminderIT extends KeycloakIT {

    private static final AtomicInteger REALMS = new AtomicInteger();
    static GreenMail mail;

    @BeforeAll
    static void startMailServer() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
    }

    @AfterAll
    static void stopMailServer() {
        mail.stop();
    }

    /** A copy of the demo realm with reminders 7 and 1 days before the deadline, mailing to the test's SMTP server. */
    static String mailingRealm() {
        return importDemoRealmCopy("group-totp-reminders-" + REALMS.incrementAndGet(), Map.of("reminderDays", "7,1"),
                realm -> realm.setSmtpServer(Map.of("host", "127.0.0.1", "port", String.valueOf(mail.getSmtp().getPort()),
                        "from", "keycloak@example.org")));
    }

    /** A required user whose admin-granted deadline is {@code days} days ahead (00:00 UTC that day). */
    TestUser dueIn(String realm, int days) {
        return newUserWithGrace(realm, "{\"start\":\"2026-01-01T00:00:00Z\",\"until\":\"" + deadline(days) + "T00:00:00Z\"}", "/staff");
    }

    static LocalDate deadline(int days) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(days);
    }

    JsonPath remind(String realm, boolean dryRun) {
        return admin.request().queryParam("dryRun", dryRun).post("/admin/realms/" + realm + "/group-totp/reminders")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    static List<MimeMessage> mailsTo(TestUser user) {
        return Arrays.stream(mail.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                        .anyMatch(address -> address.toString().equals(user.username() + "@example.org"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** How long a count of mails must hold: a mail stored just after its "250 OK" is there well within it. */
    static final Duration MAIL_HOLD = Duration.ofSeconds(1);

    /** The user's mails, once there are {@code count} and no more arrive for {@link #MAIL_HOLD}. */
    static List<MimeMessage> awaitMails(TestUser user, int count) {
        holds(count + " mail(s) to " + user.username(), MAIL_HOLD, () -> mailsTo(user).size() == count);
        return mailsTo(user);
    }

    /** No mail to any of these users, held for {@link #MAIL_HOLD}. */
    static void assertNoMailsTo(List<TestUser> users) {
        holds("no mail to " + users.stream().map(TestUser::username).toList(), MAIL_HOLD,
                () -> users.stream().allMatch(user -> mailsTo(user).isEmpty()));
    }

    /** The reminder days recorded on the user for its current deadline, as the admin API shows the record. */
    List<Integer> recordedDays(TestUser user) {
        var records = admin.credentials(user.realm(), user.id(), "group-totp-reminded");
        return records.isEmpty() ? List.of() : JsonPath.from(records.get(0).getCredentialData()).getList("days", Integer.class);
    }

    @Test
    void aDueUserGetsOneReminderAndOthersNone() throws Exception {
        String realm = mailingRealm();
        TestUser dueToday = dueIn(realm, 7);
        TestUser notDueYet = dueIn(realm, 10);
        TestUser noAddress = dueIn(realm, 7);
        admin.user(realm, noAddress.id()).update(withoutEmail(admin.user(realm, noAddress.id()).toRepresentation()));
        TestUser enrolled = newUserWithCredentials(realm, List.of(Admin.otpCredential("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
                Admin.graceRecord("{\"start\":\"2026-01-01T00:00:00Z\",\"until\":\"" + deadline(7) + "T00:00:00Z\"}")), "/staff");
        TestUser extranet = newUserWithGrace(realm, "{\"start\":\"2026-01-01T00:00:00Z\",\"until\":\"" + deadline(7) + "T00:00:00Z\"}", "/extranet");

        JsonPath first = remind(realm, false);
        assertEquals(1, first.getInt("sent"));
        assertEquals(1, first.getInt("skipped"), "the user without an e-mail address");

        MimeMessage reminder = awaitMails(dueToday, 1).get(0);
        String dateText = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Locale.ENGLISH).format(deadline(7));
        assertEquals("Two-step verification is mandatory from " + dateText + ": set it up now", reminder.getSubject());
        String body = GreenMailUtil.getBody(reminder).replace("=\r\n", "").replace("=3D", "=");
        assertTrue(body.contains("7 days left to set it up."), body);
        assertTrue(body.contains(server.baseUrl() + "/realms/" + realm + "/account"), "a link to the account console: " + body);
        assertFalse(body.contains("otpauth") || body.contains("secret") || body.contains("action-token"), body);
        assertNoMailsTo(List.of(notDueYet, noAddress, enrolled, extranet));
        assertEquals(List.of(7), recordedDays(dueToday));

        JsonPath second = remind(realm, false);
        assertEquals(0, second.getInt("sent"), "sent once: the second run finds it recorded");
        assertEquals(1, second.getInt("skipped"));
        awaitMails(dueToday, 1); // still the one mail
        assertEquals(1, admin.request().get("/admin/realms/" + realm + "/group-totp/summary").then().statusCode(200)
                .extract().jsonPath().getInt("reminded"));
    }

    @Test
    void aDryRunListsWhoWouldGetOneAndSendsNothing() {
        String realm = mailingRealm();
        TestUser due = dueIn(realm, 1);
        TestUser dueLate = dueIn(realm, 3);

        JsonPath dry = remind(realm, true);

        assertEquals(0, dry.getInt("sent"));
        assertEquals(true, dry.getBoolean("dryRun"));
        assertEquals(2, dry.getList("users").size());
        assertTrue(dry.getList("users.id").contains(due.id()));
        assertEquals(List.of(1, 7), dry.getList("users.reminderDay", Integer.class).stream().sorted().toList(),
                "1 day left: the 1-day reminder; 3 days left: the 7-day one, late");
        assertNoMailsTo(List.of(due, dueLate)); // nothing sent
        assertEquals(List.of(), recordedDays(due), "nothing recorded");
    }

    @Test
    void aDutchUserGetsItInDutch() throws Exception {
        String realm = mailingRealm();
        TestUser dutch = dueIn(realm, 1);
        admin.setUserAttribute(realm, dutch.id(), "locale", "nl");

        assertEquals(1, remind(realm, false).getInt("sent"));

        MimeMessage reminder = awaitMails(dutch, 1).get(0);
        String dateText = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Locale.forLanguageTag("nl")).format(deadline(1));
        assertEquals("Verificatie in twee stappen is verplicht vanaf " + dateText + ": stel het nu in", reminder.getSubject());
        String body = GreenMailUtil.getBody(reminder).replace("=\r\n", "");
        assertTrue(body.contains("Nog 1 dag om het in te stellen."), body);
        assertEquals(List.of(1), recordedDays(dutch));
    }

    @Test
    void aUserWhoEnrolledInTheMeantimeGetsNone() {
        String realm = mailingRealm();
        TestUser user = dueIn(realm, 7);
        assertEquals(1, remind(realm, true).getList("users").size(), "due before enrolling");

        enrol(user);

        JsonPath result = remind(realm, false);
        assertEquals(0, result.getInt("sent"));
        assertEquals(0, result.getInt("skipped"));
        assertNoMailsTo(List.of(user));
    }

    @Test
    void aNewDeadlineOrAResetStartsAfresh() throws Exception {
        String realm = mailingRealm();
        TestUser user = dueIn(realm, 7);
        assertEquals(1, remind(realm, false).getInt("sent"));

        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "on leave", "until", deadline(6).toString()))
                .post("/admin/realms/" + realm + "/group-totp/users/" + user.id() + "/grace").then().statusCode(200);
        assertEquals(1, remind(realm, false).getInt("sent"), "the 7-day reminder of the new deadline");
        awaitMails(user, 2);
        assertEquals(0, remind(realm, false).getInt("sent"));

        admin.request().contentType(ContentType.JSON).body(Map.of("reason", "new phone"))
                .post("/admin/realms/" + realm + "/group-totp/users/" + user.id() + "/reset").then().statusCode(200);
        assertEquals(List.of(), recordedDays(user), "a reset forgets the reminders sent");
        assertEquals(1, remind(realm, false).getInt("sent"));
        awaitMails(user, 3);
    }

    @Test
    void remindersNeedManageUsersAMailServerAndAPlainFlag() {
        String realm = mailingRealm();
        String endpoint = "/admin/realms/" + realm + "/group-totp/reminders";
        TestUser viewer = newUserIn(realm);
        admin.grantRealmManagementRole(realm, viewer.id(), "view-users");
        given().baseUri(server.baseUrl()).auth().oauth2(admin.userToken(realm, viewer.username(), viewer.password()))
                .post(endpoint).then().statusCode(403);
        admin.request().queryParam("dryRun", "yes").post(endpoint).then().statusCode(400);

        String noMail = importDemoRealmCopy("group-totp-reminders-no-smtp", Map.of());
        dueIn(noMail, 7);
        admin.request().post("/admin/realms/" + noMail + "/group-totp/reminders").then().statusCode(409)
                .body("error", equalTo("smtp_not_configured"));
        assertEquals(1, remind(noMail, true).getList("users").size(), "a dry run still says who is due");
    }

    private static UserRepresentation withoutEmail(UserRepresentation user) {
        user.setEmail("");
        return user;
    }
}
