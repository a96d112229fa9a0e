package dev.nalu.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
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

    /** Waits up to {@code seconds}, looking every 50 ms. A wait that polls through page loads: an element read while its page is replaced is simply read again. */
    protected WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /**
     * Every visible control of the page (input, select, text area, button, link, anything focusable by Tab)
     * without an accessible name as Chromium computes it (WebDriver's "Get Computed Label": a label,
     * aria-label, aria-labelledby or the control's own text), described; empty when all have one. A page that
     * re-renders while it is read (the jobs list or a job page on a progress event) detaches the elements found:
     * the controls are found again and the scan goes on at the same place when the page still has as many, else
     * starts again. Each control takes two WebDriver calls, so under load a page that re-renders every second
     * would never be read whole if every re-render started the scan again (KeyboardBrowserTest timed out so at
     * load 6 on 2 cores).
     */
    protected List<String> unnamedControls() {
        List<String> unnamed = new ArrayList<>();
        List<WebElement> controls = controls();
        int detached = 0;
        for (int i = 0; i < controls.size(); i++) {
            WebElement e = controls.get(i);
            try {
                if (!e.isDisplayed()) {
                    continue;
                }
                String name = e.getAccessibleName();
                if (name == null || name.isBlank()) {
                    String id = e.getAttribute("id");
                    unnamed.add(e.getTagName() + (id == null || id.isEmpty() ? "" : "#" + id)
                            + (e.getAttribute("type") == null ? "" : "[type=" + e.getAttribute("type") + "]"));
                }
            } catch (org.openqa.selenium.StaleElementReferenceException stale) {
                if (++detached > 1000) {
                    throw stale;
                }
                List<WebElement> again = controls();
                if (again.size() != controls.size()) {
                    unnamed.clear();
                    i = -1;
                } else {
                    i--;
                }
                controls = again;
            }
        }
        return unnamed;
    }

    private List<WebElement> controls() {
        return browser.findElements(By.cssSelector(
                "input:not([type=hidden]), select, textarea, button, a[href], [role=button], [tabindex]:not([tabindex='-1'])"));
    }

    /**
     * Fails if a control of the page has no accessible name ({@link #unnamedControls}).
     */
    protected void assertEveryControlNamed() {
        List<String> unnamed = waiting(30).until(d -> unnamedControls());
        assertThat(unnamed).as("controls without an accessible name on %s", browser.getCurrentUrl()).isEmpty();
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
