package dev.nalu.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import dev.nalu.TestKeys;

/**
 * The dashboard by keyboard alone, in headless Chromium: sign in, open the new-job form, fill and submit a × b,
 * reach the job's page and cancel the job, with keys only (Tab, Enter, Space and the text typed into fields; no
 * click). Every stop of the focus must show a ring (an outline of at least 2 px, or a shadow), and every control
 * of each page (inputs, selects, text areas, buttons, links) must have an accessible name, as Chromium computes it
 * (WebDriver's "Get Computed Label": a label, aria-label, aria-labelledby or the control's own text).
 */
class KeyboardBrowserTest extends BrowserTestSupport {
    /** The focused element, described; '' when it shows a ring, else why not. */
    private static final String FOCUS_RING = """
            const e = document.activeElement;
            if (!e || e === document.body) return 'nothing has the focus';
            const s = getComputedStyle(e);
            const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
            const what = e.tagName + (e.id ? '#' + e.id : '') + (e.getAttribute('href') ? '[href=' + e.getAttribute('href') + ']' : '');
            return ring ? '' : what + ' has the focus but no visible ring';""";

    private void press(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    private boolean focused(String css) {
        return (Boolean) browser.executeScript("return !!document.activeElement && document.activeElement.matches(arguments[0])", css);
    }

    /** Presses Tab until the element {@code css} has the focus (at most 80 times), checking the ring at every stop. */
    private void tabTo(String css) {
        for (int i = 0; i < 80; i++) {
            press(Keys.TAB);
            String ring = (String) browser.executeScript(FOCUS_RING);
            assertThat(ring).as("focus ring on %s, tab %d", browser.getCurrentUrl(), i + 1).isEmpty();
            if (focused(css)) {
                return;
            }
        }
        throw new AssertionError("80 tabs on " + browser.getCurrentUrl() + " never reached " + css);
    }

    /** Replaces the focused field's text with {@code text}, by keys. */
    private void type(String text) {
        press(Keys.chord(Keys.CONTROL, "a"));
        press(Keys.BACK_SPACE);
        press(text);
    }

    @Test
    void signInSubmitAJobAndCancelItByKeyboardAlone() {
        browser.manage().deleteAllCookies();
        browser.get(url("/sign-in"));
        waiting(10).until(d -> focused("#key")); // autofocus
        assertEveryControlNamed();
        press(TestKeys.ADMIN);
        press(Keys.ENTER);
        waiting(10).until(d -> d.getCurrentUrl().matches(".*/jobs(\\?.*)?$"));
        waiting(10).until(d -> !d.findElement(By.id("page-info")).getText().isEmpty());
        assertEveryControlNamed();

        tabTo("a[href='/jobs/new']");
        press(Keys.ENTER);
        waiting(10).until(d -> d.getCurrentUrl().endsWith("/jobs/new"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#preset option")).size() > 1);
        assertEveryControlNamed();
        tabTo("#name");
        type("keyboard-mul");
        tabTo("#expression");
        type("a * b");
        tabTo("#steps");
        type("1000000");
        tabTo("#population");
        type("2");
        tabTo("#earlyStop");
        press(Keys.SPACE);
        assertThat(browser.findElement(By.id("earlyStop")).isSelected()).as("early stop, after Space").isFalse();
        tabTo("#submit");
        press(Keys.ENTER);
        waiting(10).until(d -> d.getCurrentUrl().matches(".*/jobs/\\d+$"));
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/", ""));
        assertThat(getJson("/api/v1/jobs/" + id).at("/spec/training/steps").asLong()).isEqualTo(1_000_000);

        waiting(60).until(d -> d.findElement(By.id("job-state")).getText().startsWith("RUNNING")
                && !d.findElements(By.id("cancel")).isEmpty());
        assertEveryControlNamed();
        tabTo("#cancel");
        press(Keys.SPACE);
        waiting(30).until(d -> d.findElement(By.id("job-formula")).getText().equals("none: cancelled"));
        assertThat(getJson("/api/v1/jobs/" + id).get("state").asText()).isEqualTo("CANCELLED");
        waiting(10).until(d -> !d.findElements(By.id("delete")).isEmpty());
        assertEveryControlNamed();
    }

    @Test
    void everyControlOfThePaperResultsHasAName() {
        signIn(TestKeys.ADMIN);
        browser.get(url("/results?page=madsen"));
        waiting(10).until(d -> !d.findElements(By.cssSelector("#results h1")).isEmpty());
        assertEveryControlNamed();
        tabTo("a[href='/jobs']");
    }
}
