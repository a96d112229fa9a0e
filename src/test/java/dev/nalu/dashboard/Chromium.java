package dev.nalu.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its own chromedriver (apt-get install chromium chromium-driver; .ci/run
 * does it). Selenium Manager never runs: the driver's path is given and SE_OFFLINE is set (pom.xml). Without the
 * browser the tests are skipped with a message, except under CI=true, where they fail.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    static ChromeDriver start() throws IOException {
        boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if (!present && System.getenv("CI") == null) {
            Assumptions.abort("browser tests skipped: " + BROWSER + " and " + DRIVER
                    + " are needed (apt-get install -y chromium chromium-driver); under CI=true they fail instead");
        }
        if (!present) {
            throw new IllegalStateException("CI is set but " + BROWSER + " or " + DRIVER + " is missing: "
                    + "apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Path profile = Files.createTempDirectory("nalu-chromium-");
        profile.toFile().deleteOnExit();
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
