package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The screens in a real browser: Debian's headless Chromium driven by Selenium through the real Keycloak. Each
 * screen is checked (not broken, translated, styled, no serious accessibility violation by axe-core) and saved
 * as a PNG under docs/screenshots/, which the README shows.
 */
class BrowserScreensIT extends KeycloakIT {

    /** A copy of the demo realm where two wrong codes lock the account, for the locked-out screen. */
    static final String LOCK_REALM = "group-totp-e2e-lock";
    /** A copy of the demo realm whose /staff needs a security key or passkey, without and with a grace period. */
    static final String KEYS_NOW_REALM = "group-totp-e2e-keys-now";
    static final String KEYS_GRACE_REALM = "group-totp-e2e-keys-grace";
    static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));

    private static final Duration WAIT = Chromium.WAIT;

    private final List<WebDriver> drivers = new java.util.ArrayList<>();

    @BeforeAll
    static void importRealm() {
        importDemoRealmCopy(LOCK_REALM, Map.of(), realm -> {
            realm.setFailureFactor(2);
            realm.setQuickLoginCheckMilliSeconds(1L);
        });
        importDemoRealmCopy(KEYS_NOW_REALM, Map.of("phishingResistantGroups", "/staff", "graceDays", "0"));
        importDemoRealmCopy(KEYS_GRACE_REALM, Map.of("phishingResistantGroups", "/staff"));
    }

    @AfterEach
    void quitBrowsers() {
        drivers.forEach(WebDriver::quit);
        drivers.clear();
    }

    private WebDriver chromium(int width, int height) throws Exception {
        return chromium(width, height, new ChromeOptions());
    }

    /** A phone: Chromium's device emulation, since a desktop window cannot be narrower than 500 px. */
    private WebDriver phone(int width, int height) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setExperimentalOption("mobileEmulation", Map.of(
                "deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 2.0, "mobile", true, "touch", true),
                "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"));
        return chromium(Math.max(width, 500), height, options);
    }

    private WebDriver chromium(int width, int height, ChromeOptions options) throws Exception {
        WebDriver driver = Chromium.start(width, height, options);
        drivers.add(driver);
        return driver;
    }

    private WebDriver desktop() throws Exception {
        return chromium(1280, 1100);
    }

    private void login(WebDriver driver, TestUser user, String locale) {
        driver.get(authUrl(user.realm()) + "&ui_locales=" + locale);
        driver.findElement(By.id("username")).sendKeys(user.username());
        driver.findElement(By.id("password")).sendKeys(user.password());
        submit(driver, "kc-login");
    }

    private static WebElement await(WebDriver driver, String cssSelector) {
        return Chromium.await(driver, cssSelector);
    }

    /** Clicks a submit button and waits until the browser has left the page, so no element of it is read again. */
    private static void submit(WebDriver driver, String buttonId) {
        Chromium.clickAndLeave(driver, By.id(buttonId));
    }

    /** Back at the test application with an authorization code: the login is complete. */
    private static void assertLoggedIn(WebDriver driver) {
        await(driver, "#" + TestApp.SIGNED_IN_ID);
        String url = driver.getCurrentUrl();
        assertTrue(TestApp.get().isAppUrl(url) && url.contains("code="), "back at the application with a code: " + url);
    }

    /** Fails if the screen is broken or inaccessible, then saves it as docs/screenshots/{name}.png. */
    private void checkAndSave(WebDriver driver, String name) throws Exception {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        String text = driver.findElement(By.tagName("body")).getText();
        assertFalse(text.contains("groupTotp."), name + ": untranslated message key on the page:\n" + text);
        Boolean styled = (Boolean) js.executeScript(
                "return Array.from(document.styleSheets).some(s => { try { return s.cssRules.length > 100 } catch (e) { return false } })"
                        + " && getComputedStyle(document.querySelector('#kc-page-title')).fontSize !== '16px';");
        assertTrue(styled, name + ": the page is not styled");
        // Keycloak's own template.ftl labels the attempted-username box for="username" while the input's id is
        // kc-attempted-username (Keycloak's own OTP page has the same): not ours to fix, so left out of the check.
        Results axe = new AxeBuilder().exclude("#kc-attempted-username").analyze(driver);
        List<Rule> serious = axe.getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .toList();
        assertEquals(List.of(), serious.stream().map(v -> v.getId() + ": " + v.getHelp()).collect(Collectors.toList()),
                name + ": serious or critical accessibility violations");
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * A member of a phishing-resistant group without a key: the grace page says what to set up and offers a key or
     * passkey, no app (grace-keys-{locale}.png); after the deadline the choice of the two (choose-factor-{locale}.png).
     */
    @ParameterizedTest
    @ValueSource(strings = {"en", "nl"})
    void securityKeyOrPasskeyChoices(String locale) throws Exception {
        WebDriver browser = desktop();
        login(browser, newUserIn(KEYS_GRACE_REALM, "/staff"), locale);
        await(browser, "#group-totp-deadline");
        assertEquals(1, browser.findElements(By.id("group-totp-enrol-passkey")).size(), "a passkey is offered");
        assertEquals(0, browser.findElements(By.id("group-totp-enrol")).size(), "no app is offered");
        checkAndSave(browser, "grace-keys-" + locale);

        WebDriver other = desktop();
        login(other, newUserIn(KEYS_NOW_REALM, "/staff"), locale);
        await(other, "#group-totp-choose-form");
        assertEquals(1, other.findElements(By.id("group-totp-enrol-webauthn")).size(), "a security key is offered");
        assertEquals(1, other.findElements(By.id("group-totp-enrol-passkey")).size(), "a passkey is offered");
        checkAndSave(other, "choose-factor-" + locale);
    }

    /** The one-time pass page after a help-desk reset: checked like every screen, saved as reset-pass-{locale}.png. */
    @ParameterizedTest
    @ValueSource(strings = {"en", "nl"})
    void resetPassPage(String locale) throws Exception {
        TestUser user = newUserWithCredentials(REALM, List.of(Admin.otpCredential("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")), "/staff");
        admin.request().contentType(io.restassured.http.ContentType.JSON).body(Map.of("reason", "Phone lost, identity checked"))
                .post("/admin/realms/" + REALM + "/group-totp/users/" + user.id() + "/reset").then().statusCode(200);
        WebDriver browser = desktop();

        login(browser, user, locale);

        await(browser, "#group-totp-reset-pass-form");
        assertEquals("oneTimePass", browser.switchTo().activeElement().getAttribute("id"), "the pass input is focused on load");
        checkAndSave(browser, "reset-pass-" + locale);
    }

    /**
     * The reminder e-mail as a mail program shows it: sent by Keycloak to a local SMTP server, its HTML part opened in
     * the browser. Saved as reminder-mail-{locale}.png.
     */
    @ParameterizedTest
    @ValueSource(strings = {"en", "nl"})
    void reminderMail(String locale) throws Exception {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try {
            String realm = importDemoRealmCopy("group-totp-e2e-reminder-" + locale, Map.of("reminderDays", "7,1"),
                    copy -> copy.setSmtpServer(Map.of("host", "127.0.0.1", "port", String.valueOf(mail.getSmtp().getPort()),
                            "from", "keycloak@example.org", "fromDisplayName", "Demo organisation")));
            TestUser user = newUserWithGrace(realm, "{\"start\":\"2026-01-01T00:00:00Z\",\"until\":\""
                    + java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(7) + "T00:00:00Z\"}", "/staff");
            admin.setUserAttribute(realm, user.id(), "locale", locale);
            admin.request().post("/admin/realms/" + realm + "/group-totp/reminders").then().statusCode(200);
            assertTrue(mail.waitForIncomingEmail(10_000, 1));
            MimeMessage message = mail.getReceivedMessages()[0];
            Path html = Files.createTempFile("reminder-" + locale, ".html");
            Files.writeString(html, "<p style=\"font:14px sans-serif;color:#555\">Subject: " + message.getSubject() + "</p><hr>"
                    + htmlPart(message));

            WebDriver browser = chromium(800, 600);
            browser.get(html.toUri().toString());
            String text = browser.findElement(By.tagName("body")).getText();
            assertFalse(text.contains("groupTotp"), "untranslated message key in the mail:\n" + text);
            assertTrue(text.contains("/realms/" + realm + "/account"), text);
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve("reminder-mail-" + locale + ".png"),
                    ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            mail.stop();
        }
    }

    private static String htmlPart(MimeMessage message) throws Exception {
        jakarta.mail.Multipart parts = (jakarta.mail.Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).isMimeType("text/html")) {
                return (String) parts.getBodyPart(i).getContent();
            }
        }
        throw new AssertionError("no HTML part in the reminder mail");
    }

    /** The code input: labelled, one-time-code, numeric keyboard, focused on load. */
    private static void assertCodeInputIsAccessible(WebDriver driver) {
        WebElement otp = driver.findElement(By.id("otp"));
        assertEquals("one-time-code", otp.getAttribute("autocomplete"));
        assertEquals("numeric", otp.getAttribute("inputmode"));
        assertFalse(driver.findElement(By.cssSelector("label[for=otp]")).getText().isBlank(), "the code input has a label");
        assertEquals("otp", driver.switchTo().activeElement().getAttribute("id"), "the code input is focused on load");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"en", "nl"})
    void graceEnrolmentCodeAndRememberedBrowser(String locale) throws Exception {
        TestUser user = newUser("/staff");
        WebDriver browser = desktop();

        login(browser, user, locale);
        WebElement deadline = await(browser, "#group-totp-deadline");
        assertFalse(deadline.getText().isBlank(), "the deadline is shown");
        checkAndSave(browser, "grace-" + locale);

        submit(browser, "group-totp-enrol");
        WebElement qr = await(browser, "#kc-totp-secret-qr-code");
        Long qrWidth = (Long) ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth;", qr);
        assertTrue(qrWidth > 0, "the QR image loads");
        assertFalse(qr.getAttribute("alt").isBlank(), "the QR image has a text alternative");
        String key = browser.findElement(By.id("kc-totp-secret-key")).getText();
        assertTrue(key.matches("([A-Z2-7]{4} )+[A-Z2-7]{1,4}"), "the key is readable text: " + key);
        assertCodeInputIsAccessible(browser);
        checkAndSave(browser, "enrol-" + locale);

        AuthenticatorApp app = AuthenticatorApp.fromKey(key);
        browser.findElement(By.id("otp")).sendKeys(app.wrongCode());
        submit(browser, "group-totp-confirm");
        await(browser, "#input-error-otp");
        checkAndSave(browser, "enrol-wrong-code-" + locale);
        browser.findElement(By.id("otp")).sendKeys(app.freshCode());
        submit(browser, "group-totp-confirm");
        // The new recovery codes follow once: the user confirms they saved them.
        await(browser, "#group-totp-codes-saved");
        // A taller window: the list of codes pushes the confirmation below a 1100 px fold.
        browser.manage().window().setSize(new Dimension(1280, 1450));
        checkAndSave(browser, "recovery-codes-" + locale);
        browser.findElement(By.id("group-totp-codes-saved")).click();
        submit(browser, "group-totp-recovery-codes-done");
        assertLoggedIn(browser);

        // Another browser: the code page.
        WebDriver other = desktop();
        login(other, user, locale);
        await(other, "#group-totp-code-form");
        assertCodeInputIsAccessible(other);
        checkAndSave(other, "code-" + locale);
        other.findElement(By.id("otp")).sendKeys(app.wrongCode());
        submit(other, "kc-login");
        assertFalse(await(other, "#input-error-otp").getText().isBlank());
        checkAndSave(other, "code-wrong-" + locale);
        other.findElement(By.id("otp")).sendKeys(app.freshCode());
        submit(other, "kc-login");
        assertLoggedIn(other);

        // The first browser was remembered: after its session ends (the browser is closed), no code is asked.
        browser.get(server.baseUrl() + "/realms/" + REALM + "/.well-known/openid-configuration");
        browser.manage().getCookies().stream()
                .filter(c -> c.getExpiry() == null)
                .forEach(c -> browser.manage().deleteCookie(c));
        login(browser, user, locale);
        assertLoggedIn(browser);
        assertEquals("remembered", lastLoginOutcome(user));
    }

    @Test
    void skipFromTheGracePage() throws Exception {
        TestUser user = newUser("/staff");
        WebDriver browser = desktop();

        login(browser, user, "en");
        await(browser, "#group-totp-skip");
        submit(browser, "group-totp-skip");

        assertLoggedIn(browser);
        assertEquals("grace_skipped", lastLoginOutcome(user));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"en", "nl"})
    void lockedOutMessage(String locale) throws Exception {
        TestUser user = newUserIn(LOCK_REALM, "/staff");
        AuthenticatorApp app = enrol(user);
        WebDriver browser = desktop();
        login(browser, user, locale);
        for (int attempt = 0; attempt < 2; attempt++) {
            await(browser, "#otp").sendKeys(app.wrongCode());
            submit(browser, "kc-login");
            await(browser, "#input-error-otp");
        }
        Awaitility.await("locked").atMost(WAIT).until(() -> (Boolean) admin.bruteForceStatus(LOCK_REALM, user.id()).get("disabled"));

        browser.findElement(By.id("otp")).sendKeys(app.freshCode());
        submit(browser, "kc-login");

        String message = await(browser, "#input-error-otp").getText();
        assertTrue(message.contains("en".equals(locale) ? "temporarily locked" : "tijdelijk geblokkeerd"), message);
        checkAndSave(browser, "locked-" + locale);
    }

    @Test
    void phoneViewportOffersTheOtpauthLink() throws Exception {
        TestUser user = newUserWithGrace(REALM, "{\"start\":\"2020-01-01T00:00:00Z\"}", "/staff");
        WebDriver phone = phone(375, 812);

        login(phone, user, "en");
        WebElement link = await(phone, "#group-totp-otpauth-link");

        assertTrue(link.getAttribute("href").startsWith("otpauth://totp/"), link.getAttribute("href"));
        assertTrue(link.isDisplayed());
        assertEquals(375L, ((JavascriptExecutor) phone).executeScript("return document.documentElement.clientWidth;"));
        // Nothing on the page is wider than the phone, except Keycloak's own template's hidden tooltip of the
        // "restart login" button (.kc-tooltip-text), which overflows on Keycloak's own pages too.
        Object tooWide = ((JavascriptExecutor) phone).executeScript(
                "return Array.from(document.querySelectorAll('body *'))"
                        + ".filter(e => !e.closest('.kc-tooltip-text') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                        + ".map(e => e.tagName + '#' + e.id + '.' + e.className).join(', ');");
        assertEquals("", tooWide, "elements wider than the phone");
        ((JavascriptExecutor) phone).executeScript("window.scrollTo(0, 0);");
        checkAndSave(phone, "enrol-phone-en");
    }
}
