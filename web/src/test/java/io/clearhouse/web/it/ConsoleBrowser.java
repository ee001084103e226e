package io.clearhouse.web.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by Debian's chromedriver, both named by path so that Selenium Manager has
 * nothing to look up or download. Each browser starts with a fresh profile in {@code directory}; {@link #close()}
 * quits it and then ends, by process id, any chromedriver or chromium process of that profile still alive, whatever
 * state the test left it in.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts chromedriver and a headless chromium with a new profile under {@code directory}. */
    static ConsoleBrowser start(Path directory) throws Exception {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(binary + " is missing: run the tests with ./test, which installs Debian's"
                        + " chromium and chromium-driver");
            }
        }
        Path profile = Files.createTempDirectory(Files.createDirectories(directory), "chromium-profile-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(directory.toFile(), "chromedriver.log"))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Root needs --no-sandbox; the rest keeps chromium from reaching for the network, which is closed here.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile);
        try {
            return new ConsoleBrowser(service, new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            endLeftovers(profile);
            service.stop();
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Waits up to {@link #WAIT} for {@code condition} to answer something other than null or false; an element that
     * the page's refresh replaced while the condition read it counts as not yet.
     */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what + "; the page showed: " + visibleText())
                .until(condition);
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    private String visibleText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            // Before chromedriver ends: chromium is this JVM's descendant only while chromedriver, its parent, lives.
            endLeftovers(profile);
            service.stop();
        }
    }

    /** Kills what a failed quit may have left: this JVM's descendants started with {@code profile}. */
    private static void endLeftovers(Path profile) {
        String marker = profile.toString();
        ProcessHandle.current()
                .descendants()
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains(marker))
                        .orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }
}
