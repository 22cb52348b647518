package io.github.grouptotp.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven by Selenium with Debian's ChromeDriver ({@code scripts/ensure-chromium.sh}
 * installs both), and the waits every browser test needs.
 */
final class Chromium {

    static final Duration WAIT = Duration.ofSeconds(15);

    private Chromium() {
    }

    /** A new browser with its own empty profile. */
    static ChromeDriver start(int width, int height, ChromeOptions options) throws java.io.IOException {
        options.setBinary(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    /** Waits until the page shows an element matching the selector. */
    static WebElement await(WebDriver driver, String cssSelector) {
        try {
            return Awaitility.await("element " + cssSelector).atMost(WAIT)
                    .until(() -> driver.findElements(By.cssSelector(cssSelector)).stream().findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException missing) {
            throw new AssertionError("no " + cssSelector + " on " + driver.getCurrentUrl() + ", which shows:\n"
                    + driver.findElement(By.tagName("body")).getText(), missing);
        }
    }

    /** Clicks an element and waits until the browser has left the page, so no element of it is read again. */
    static void clickAndLeave(WebDriver driver, By target) {
        WebElement oldPage = driver.findElement(By.tagName("html"));
        driver.findElement(target).click();
        Awaitility.await("the page after clicking " + target).atMost(WAIT).until(() -> isGone(oldPage));
    }

    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException gone) {
            return true;
        }
    }
}
