package dev.nalu.dashboard;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.nalu.ApiTestSupport;

/** The service and one headless Chromium per test class ({@link Chromium}), and signing in through the page. */
abstract class BrowserTestSupport extends ApiTestSupport {
    protected static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Waits up to {@code seconds}, looking every 50 ms. */
    /** A wait that polls through page loads: an element read while its page is replaced is simply read again. */
    protected WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** Signs out (by forgetting the cookies) and in with {@code key}, through the sign-in page a page without a session leads to. */
    protected void signIn(String key) {
        browser.manage().deleteAllCookies();
        browser.get(url("/jobs"));
        if (!browser.getCurrentUrl().endsWith("/sign-in")) {
            throw new AssertionError("/jobs without a session led to " + browser.getCurrentUrl());
        }
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        waiting(10).until(d -> d.getCurrentUrl().matches(".*/jobs(\\?.*)?$"));
    }
}
