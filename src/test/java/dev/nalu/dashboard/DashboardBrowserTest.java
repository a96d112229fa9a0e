package dev.nalu.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.TestKeys;

/**
 * The dashboard in a real browser (headless Chromium): sign in, submit a × b from the form, watch the chart
 * gain points while the job trains, see its formula, draw the model's prediction against the exact target,
 * a bad expression's problem beside its field, cancel, and the CSV download against /metrics. Each page's
 * screenshot goes to docs/ui/ (linked from the README). No page may log a script error or a CSP violation.
 */
class DashboardBrowserTest extends BrowserTestSupport {
    private static final Path SCREENSHOTS = Path.of("docs/ui");

    /** Any script error, failed load or CSP violation of the test's pages fails it. */
    @AfterEach
    void noScriptErrors() {
        List<String> severe = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            // a 401 or 403 the test provokes on purpose is logged as a failed load; anything else is a defect
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("status of 40")) {
                severe.add(e.getMessage());
            }
        }
        assertThat(severe).as("browser console errors").isEmpty();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** The chart's legend: its series' labels. */
    private String legend(String chart) {
        return (String) browser.executeScript("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent).join('|')",
                "#" + chart + " .u-legend .u-label");
    }

    private void fill(String id, String value) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    @Test
    void signInWithAWrongKeyIsRefusedOnThePage() throws IOException {
        browser.manage().deleteAllCookies();
        browser.get(url("/sign-in"));
        browser.findElement(By.id("key")).sendKeys("nalu_wrong-0000000000000000000000000000000000000");
        browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        waiting(10).until(d -> !text("key-error").isEmpty());
        assertThat(text("key-error")).isEqualTo("This key is unknown or revoked.");
        screenshot("sign-in");
    }

    /**
     * The main scenario: a × b submitted from the form trains while the job page's chart gains points (counted
     * from the chart's data, several times while the job runs), ends with its formula, and the model page draws
     * prediction against the exact target; the CSV download holds what /metrics answers.
     */
    @Test
    void submitATimesBWatchItLearnAndSeeItExtrapolate() throws IOException {
        long other = submit(SUM_JOB);
        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs/new"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#preset option")).size() > 1);
        fill("name", "browser-mul");
        assertThat(browser.findElement(By.id("expression")).getAttribute("value")).isEqualTo("a * b");
        assertThat(browser.findElement(By.id("train-a")).getAttribute("value")).isEqualTo("[1, 2]");
        fill("steps", "10000");
        fill("evaluateEvery", "100");
        fill("population", "8");
        browser.findElement(By.id("earlyStop")).click();
        screenshot("new-job");
        browser.findElement(By.id("submit")).click();
        waiting(10).until(d -> d.getCurrentUrl().matches(".*/jobs/\\d+$"));
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/", ""));

        // the chart's point count, read while the job runs: it must grow in more than one step
        Set<Integer> whileRunning = new TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (text("job-formula").equals("not yet") && System.nanoTime() < deadline) {
            int points = Integer.parseInt(browser.findElement(By.id("chart")).getAttribute("data-points"));
            if (text("job-state").startsWith("RUNNING") && points > 0) {
                whileRunning.add(points);
            }
            sleep(20);
        }
        assertThat(whileRunning).as("chart point counts seen while RUNNING").hasSizeGreaterThanOrEqualTo(2);
        JsonNode job = getJson("/api/v1/jobs/" + id);
        assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode metrics = getJson("/api/v1/jobs/" + id + "/metrics");
        waiting(10).until(d -> d.findElement(By.id("chart")).getAttribute("data-points").equals(metrics.get("total").asText()));
        assertThat(text("job-formula")).startsWith("y = a × b").contains("model " + job.get("modelId").asLong());
        assertThat(browser.findElements(By.cssSelector("#chart canvas"))).isNotEmpty();

        // smoothing draws each curve twice (raw and smoothed); an overlay adds another job's validation MSE
        browser.executeScript("const s = document.getElementById('smoothing'); s.value = '0.9';"
                + "s.dispatchEvent(new Event('input'));");
        waiting(5).until(d -> legend("chart").contains("validation MSE (smoothed)") && legend("chart").contains("loss (raw)"));
        awaitState(other, "SUCCEEDED", Duration.ofSeconds(60));
        waiting(10).until(d -> !d.findElements(By.cssSelector("#overlay option[value='" + other + "']")).isEmpty());
        new Select(browser.findElement(By.id("overlay"))).selectByValue(String.valueOf(other));
        waiting(10).until(d -> legend("chart").contains("job " + other + " validation MSE"));
        // x as wall time: seconds since the first report, from each report's time
        assertThat(java.time.Instant.parse(metrics.at("/progress/0/time").asText())).isBefore(java.time.Instant.now());
        browser.findElement(By.id("x-time")).click();
        waiting(5).until(d -> legend("chart").contains("seconds") && legend("members-chart").contains("seconds"));
        browser.findElement(By.id("x-time")).click();
        waiting(5).until(d -> legend("chart").contains("step"));
        screenshot("job");

        browser.findElement(By.id("download-csv")).click();
        waiting(10).until(d -> d.findElement(By.id("download-csv")).getAttribute("href").startsWith("data:text/csv"));
        String href = browser.findElement(By.id("download-csv")).getAttribute("href");
        List<String> rows = List.of(URLDecoder.decode(href.substring(href.indexOf(',') + 1), StandardCharsets.UTF_8).split("\n"));
        assertThat(rows.get(0)).startsWith("step,loss,validationMse,mse [2, 6]".replace("mse [2, 6]", "\"mse [2, 6]\"").substring(0, 22));
        assertThat(rows).hasSize(1 + metrics.get("total").asInt());
        for (int i = 0; i < metrics.get("progress").size(); i++) {
            JsonNode p = metrics.get("progress").get(i);
            String[] cells = rows.get(i + 1).split(",");
            assertThat(Long.parseLong(cells[0])).isEqualTo(p.get("step").asLong());
            assertThat(Double.parseDouble(cells[2])).isEqualTo(p.get("validationMse").asDouble());
        }

        browser.findElement(By.linkText("model " + job.get("modelId").asLong())).click();
        waiting(20).until(d -> d.findElement(By.id("picture-chart")).getAttribute("data-points").equals("200"));
        assertThat(browser.findElements(By.cssSelector("#formula math"))).hasSize(1);
        assertThat(text("picture-help")).startsWith("200 points; largest relative error 0");
        waiting(10).until(d -> !d.findElements(By.cssSelector("#weights canvas")).isEmpty());

        // the formula in other formats, as GET /models/{id}/formula writes it
        waiting(10).until(d -> text("format-result").equals("y = a × b"));
        new Select(browser.findElement(By.id("format"))).selectByVisibleText("Java");
        waiting(10).until(d -> text("format-result").equals("a * b"));
        assertThat(text("format-help")).isEqualTo("complexity 3; variables a, b");
        assertThat(browser.findElement(By.id("front")).isDisplayed()).as("no search, no front").isFalse();

        // tags and aliases (admin), through PATCH /models/{id}
        long modelId = job.get("modelId").asLong();
        fill("labels-tags", "mul, exact");
        fill("labels-aliases", "op:mul");
        browser.findElement(By.cssSelector("#labels-form button")).click();
        waiting(10).until(d -> text("aliases").equals("op:mul"));
        assertThat(getJson("/api/v1/models/" + modelId).get("tags")).extracting(JsonNode::asText).containsExactlyInAnyOrder("mul", "exact");

        // the MLP trained on the same data, drawn beside: the picture of extrapolation
        browser.findElement(By.id("compare-mlp")).click();
        waiting(120).until(d -> legend("picture-chart").contains("MLP (model"));
        assertThat(browser.getCurrentUrl()).contains("?compare=");
        assertEveryControlNamed();
        screenshot("model");

        browser.get(url("/jobs"));
        waiting(10).until(d -> !d.findElements(By.cssSelector("tr[data-job-id='" + id + "']")).isEmpty());
        screenshot("jobs");
    }

    @Test
    void aBadExpressionShowsTheApisMessageBesideTheField() throws IOException {
        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs/new"));
        fill("expression", "a * (b");
        browser.findElement(By.id("submit")).click();
        waiting(10).until(d -> !text("expression-error").isEmpty());
        ResponseEntity<String> api = post("/api/v1/jobs", """
                {"task": {"expression": "a * (b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}},
                          "extrapolation": [[2, 6], [10, 100]]}}""");
        assertThat(api.getStatusCode().value()).isEqualTo(400);
        assertThat(read(api).get("field").asText()).isEqualTo("task.expression");
        assertThat(text("expression-error")).isEqualTo(read(api).get("detail").asText());
        assertThat(browser.findElement(By.id("expression")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.getCurrentUrl()).endsWith("/jobs/new");
        screenshot("new-job-error");
    }

    /**
     * A data job's form: a CSV chosen in the file input is uploaded at once (POST /api/v1/datasets), its rows and
     * columns are shown, the target is picked (by default the last column) and the inputs are every other column;
     * a CSV the API refuses shows its problem beside the file's field. (Submitting a data job is the lead's test.)
     */
    @Test
    void aDatasetIsUploadedFromTheFormAndItsColumnsPicked() throws IOException {
        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs/new"));
        assertThat(browser.findElement(By.id("dataset-fields")).isDisplayed()).isFalse();
        browser.findElement(By.id("kind-dataset")).click();
        assertThat(browser.findElement(By.id("dataset-fields")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("expression")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("preset")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("input[name=model-kind][value=search]")).isSelected()).isTrue();

        Path csv = Files.createTempFile("kepler-", ".csv");
        Files.writeString(csv, "a,e,T\n0.387,0.206,0.241\n0.723,0.007,0.615\n1.0,0.017,1.0\n1.524,0.093,1.881\n5.203,0.049,11.862\n");
        browser.findElement(By.id("dataset-file")).sendKeys(csv.toAbsolutePath().toString());
        waiting(10).until(d -> text("dataset-file-info").startsWith("dataset ") || !text("dataset-file-error").isEmpty());
        assertThat(text("dataset-file-error")).as("the upload's problem").isEmpty();
        long dataset = Long.parseLong(text("dataset-file-info").replaceAll("^dataset (\\d+).*", "$1"));
        JsonNode stored = getJson("/api/v1/datasets/" + dataset);
        assertThat(stored.get("rows").asInt()).isEqualTo(5);
        assertThat(stored.get("name").asText()).isEqualTo(csv.getFileName().toString().replace(".csv", ""));
        assertThat(text("dataset-file-info")).endsWith("5 rows; columns a, e, T");

        Select target = new Select(browser.findElement(By.id("target")));
        assertThat(target.getOptions()).extracting(WebElement::getText).containsExactly("a", "e", "T");
        assertThat(target.getFirstSelectedOption().getText()).isEqualTo("T");
        String boxes = "return [...document.querySelectorAll('#input-columns input')]"
                + ".map(b => b.value + (b.checked ? '+' : '-') + (b.disabled ? 'x' : '')).join(' ')";
        assertThat(browser.executeScript(boxes)).isEqualTo("a+ e+ T-x");
        target.selectByVisibleText("a");
        assertThat(browser.executeScript(boxes)).isEqualTo("a-x e+ T+");
        browser.findElement(By.cssSelector("#input-columns input[value=e]")).click();
        assertThat(browser.executeScript(boxes)).isEqualTo("a-x e- T+");

        Path bad = Files.createTempFile("far-", ".csv");
        Files.writeString(bad, "a,e,T\n30.1,0.009,x\n");
        browser.findElement(By.id("extrapolation-file")).sendKeys(bad.toAbsolutePath().toString());
        waiting(10).until(d -> !text("extrapolation-file-error").isEmpty());
        assertThat(text("extrapolation-file-error")).contains("row 1");
        assertThat(browser.findElement(By.id("extrapolation-file")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(text("extrapolation-file-info")).isEmpty();
        assertEveryControlNamed();
        screenshot("new-job-dataset");
    }

    /**
     * A data job submitted from the form: the uploaded dataset, the picked target and inputs, the validation
     * fraction and the search reach the API as the data job's task, and the job page opens.
     */
    @Test
    void aDataJobIsSubmittedFromTheForm() throws IOException {
        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs/new"));
        browser.findElement(By.id("kind-dataset")).click();
        StringBuilder rows = new StringBuilder("a,b,F\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            double a = rng.nextDouble(1, 2);
            double b = rng.nextDouble(1, 2);
            rows.append(a).append(',').append(b).append(',').append(a * b).append('\n');
        }
        Path csv = Files.createTempFile("products-", ".csv");
        Files.writeString(csv, rows);
        browser.findElement(By.id("dataset-file")).sendKeys(csv.toAbsolutePath().toString());
        waiting(10).until(d -> text("dataset-file-info").startsWith("dataset ") || !text("dataset-file-error").isEmpty());
        long dataset = Long.parseLong(text("dataset-file-info").replaceAll("^dataset (\\d+).*", "$1"));
        fill("steps", "3000");
        browser.findElement(By.id("submit")).click();
        waiting(10).until(d -> d.getCurrentUrl().matches(".*/jobs/\\d+$"));
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/", ""));

        JsonNode spec = getJson("/api/v1/jobs/" + id).get("spec");
        assertThat(spec.at("/task/kind").asText()).isEqualTo("dataset");
        assertThat(spec.at("/task/data/dataset").asLong()).isEqualTo(dataset);
        assertThat(spec.at("/task/data/target").asText()).isEqualTo("F");
        assertThat(spec.at("/task/data/inputs")).hasToString("[\"a\",\"b\"]");
        assertThat(spec.at("/task/data/validationFraction").asDouble()).isEqualTo(0.2);
        assertThat(spec.at("/model/requested").asText()).isEqualTo("search");
        assertThat(spec.at("/training/steps").asLong()).isEqualTo(3000);
        waiting(20).until(d -> text("job-task").startsWith("F from a, b of dataset " + dataset));
        waiting(120).until(d -> !List.of("QUEUED", "RUNNING").contains(getJson("/api/v1/jobs/" + id).get("state").asText()));
        JsonNode job = getJson("/api/v1/jobs/" + id);
        assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");

        // the model page lists the search's front, one row per candidate, the served one marked
        long modelId = job.get("modelId").asLong();
        JsonNode front = getJson("/api/v1/models/" + modelId).at("/metrics/front");
        browser.get(url("/models/" + modelId));
        waiting(20).until(d -> d.findElements(By.cssSelector("#front-rows tr")).size() == front.size());
        List<WebElement> served = browser.findElements(By.cssSelector("#front-rows tr.served"));
        assertThat(served).hasSize(1);
        assertThat(served.get(0).getText()).contains("a × b").contains("yes");
        waiting(10).until(d -> text("format-result").equals("y = a × b"));
        assertEveryControlNamed();
        screenshot("model-search");
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /**
     * A sequence job's page draws its progress (the test lengths as its ranges) and its model's page shows the
     * recurrence, the cell's and head's weights, and predicts and evaluates sequences, without a script error.
     */
    @Test
    void aSequenceJobAndItsModelAreShown() {
        long id = submit("""
                {"name": "seq-page", "task": {"kind": "sequence", "op": "sum", "testLengths": [100], "testRanges": [[1, 5]]},
                 "training": {"steps": 200, "population": 2, "evaluateEvery": 50, "evaluationRows": 64, "earlyStop": false}}""");
        JsonNode done = awaitState(id, "SUCCEEDED", Duration.ofSeconds(90));
        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs/" + id));
        waiting(20).until(d -> text("job-state").startsWith("SUCCEEDED"));
        assertThat(text("job-task")).isEqualTo("sequence sum, trained on length 10, tested on 100, and at length 10 on "
                + "values over [1, 5]");
        assertThat(text("job-model")).isEqualTo("NAU cell(1→2) → NAU(2→1)");
        waiting(20).until(d -> legend("chart").contains("length 100") && legend("chart").contains("range [1, 5]"));
        assertThat(browser.findElement(By.id("chart")).getAttribute("data-points")).isEqualTo("4");

        // a hand-made exact running sum: h0[t] = h0[t−1] + x0[t], y = h0[T]
        ResponseEntity<String> imported = post("/api/v1/models", """
                {"format": "nalu-model/1", "name": "running-sum-by-hand",
                 "task": {"kind": "sequence", "sequence": {"op": "sum", "inputs": 1, "trainLength": 10, "testLengths": [100],
                          "train": [[1.0, 2.0]]}},
                 "architecture": {"inputs": 1, "layers": [], "description": "NAU cell(1→2) → NAU(2→1)", "cell": "NAU",
                                  "hidden": 2, "head": "NAU"},
                 "weights": [{"unit": "NAU", "in": 1, "out": 2, "tensors": [
                                {"name": "h0", "shape": [2], "values": [0, 0]},
                                {"name": "Wx", "shape": [2], "values": [1, 0]},
                                {"name": "Wh", "shape": [2, 2], "values": [1, 0, 0, 0]}]},
                             {"unit": "NAU", "in": 2, "out": 1, "tensors": [{"name": "W", "shape": [2, 1], "values": [1, 0]}]}],
                 "formula": {"text": "h0[t] = h0[t−1] + x0[t], h0[0] = 0; h1[t] = 0, h1[0] = 0; y = h0[T]", "exact": true}}""");
        assertThat(imported.getStatusCode().value()).as(imported.getBody()).isEqualTo(201);
        long modelId = read(imported).get("id").asLong();
        browser.get(url("/models/" + modelId));
        waiting(20).until(d -> text("formula").startsWith("h0[t] = h0[t−1] + x0[t]"));
        assertThat(text("task")).isEqualTo("sequence sum (1 value(s) a step), trained on length 10, tested on 100");
        waiting(20).until(d -> !text("model-error").isEmpty() || !d.findElements(By.cssSelector("#weights figure")).isEmpty());
        assertThat(text("model-error")).isEmpty();
        waiting(20).until(d -> d.findElements(By.cssSelector("#weights figure")).size() == 4);
        browser.findElement(By.cssSelector("#predict-form button")).click();
        waiting(20).until(d -> !text("predict-result").isEmpty() || !text("predict-error").isEmpty());
        assertThat(read(text("predict-result")).at("/outputs/0").asDouble()).as("1 + 2 + 3").isEqualTo(6.0);
        browser.findElement(By.cssSelector("#evaluate-form button")).click();
        waiting(30).until(d -> !text("evaluate-result").isEmpty() || !text("evaluate-error").isEmpty());
        JsonNode evaluation = read(text("evaluate-result"));
        assertThat(evaluation.get("answeredBy").asText()).isEqualTo("formula");
        assertThat(evaluation.at("/results/1/length").asInt()).isEqualTo(10_000);
        assertThat(evaluation.at("/results/1/success").asBoolean()).isTrue();
        assertThat(done.get("modelId").asLong()).isPositive();
    }

    @Test
    void aNumberWordsJobAndItsModelAreShown() {
        long id = submit("""
                {"name": "words-page", "task": {"kind": "number-words"},
                 "model": {"cell": "LSTM", "hidden": 4, "embedding": 4, "head": "NALU"},
                 "training": {"steps": 100, "population": 2, "evaluateEvery": 50}}""");
        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs/" + id));
        waiting(90).until(d -> text("job-state").startsWith("SUCCEEDED"));
        assertThat(text("job-task")).isEqualTo("number words to values, split 169 / 200 / 630 from seed 0");
        assertThat(text("job-model")).isEqualTo("embedding(29→4) → LSTM cell(4→4) → NALU(4→1)");
        waiting(20).until(d -> legend("chart").contains("test"));
        long modelId = awaitState(id, "SUCCEEDED", Duration.ofSeconds(10)).get("modelId").asLong();

        browser.get(url("/models/" + modelId));
        waiting(20).until(d -> text("task").startsWith("number words"));
        assertThat(text("formula")).isEqualTo("none (the weights answer)");
        waiting(20).until(d -> !text("model-error").isEmpty() || !d.findElements(By.cssSelector("#weights figure")).isEmpty());
        assertThat(text("model-error")).isEmpty();
        browser.findElement(By.cssSelector("#predict-form button")).click();
        waiting(20).until(d -> !text("predict-result").isEmpty() || !text("predict-error").isEmpty());
        assertThat(text("predict-error")).isEmpty();
        assertThat(read(text("predict-result")).at("/outputs/0").isNumber()).isTrue();
        browser.findElement(By.cssSelector("#evaluate-form button")).click();
        waiting(30).until(d -> !text("evaluate-result").isEmpty() || !text("evaluate-error").isEmpty());
        assertThat(read(text("evaluate-result")).get("results").findValuesAsText("split"))
                .containsExactly("training", "validation", "test");
    }

    @Test
    void aReadKeySeesNoCancelButtonAnAdminCancels() {
        long id = submit("""
                {"name": "long", "task": {"expression": "a + b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
                 "training": {"steps": 1000000, "population": 4, "earlyStop": false}}""");
        awaitState(id, "RUNNING", Duration.ofSeconds(60));
        signIn(newKey("read"));
        browser.get(url("/jobs/" + id));
        waiting(10).until(d -> text("job-state").startsWith("RUNNING"));
        assertThat(browser.findElements(By.id("cancel"))).isEmpty();

        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs/" + id));
        waiting(10).until(d -> !d.findElements(By.id("cancel")).isEmpty());
        browser.findElement(By.id("cancel")).click();
        // the stream's final event, then the job read again
        waiting(30).until(d -> text("job-formula").equals("none: cancelled") && text("job-state").startsWith("CANCELLED"));
        assertThat(getJson("/api/v1/jobs/" + id).get("state").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void thePaperResultsAreRenderedFromDocsResults() throws IOException {
        signIn(TestKeys.ADMIN);
        browser.get(url("/results?page=madsen"));
        List<String> markdown = Files.readAllLines(Path.of("docs/results/madsen.md"));
        waiting(10).until(d -> !d.findElements(By.cssSelector("#results h1")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#results h1")).getText()).isEqualTo(markdown.get(0).substring(2));
        long tableRows = markdown.stream().filter(l -> l.startsWith("|") && !l.matches("^\\|[\\s:|-]+\\|?\\s*$")).count();
        assertThat(browser.findElements(By.cssSelector("#results tr"))).hasSize((int) tableRows);
        WebElement plot = browser.findElement(By.cssSelector("#results img[src='/results/madsen.png']"));
        waiting(10).until(d -> (Boolean) browser.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", plot));
        screenshot("results");

        // every page the results page links to renders its file, the later sessions' tables among them
        for (String page : List.of("feynman", "search-compound", "recurrent", "counting", "number-words")) {
            browser.findElement(By.cssSelector("nav[aria-label='Paper results'] a[href='/results?page=" + page + "']")).click();
            String title = Files.readAllLines(Path.of("docs/results/" + page + ".md")).get(0).substring(2).replace("`", "");
            waiting(10).until(d -> d.findElements(By.cssSelector("#results h1")).stream().anyMatch(h -> h.getText().equals(title)));
            assertThat(browser.findElements(By.cssSelector("#results tr"))).as(page).isNotEmpty();
        }
    }

    @Test
    void theJobsPageFiltersByStateAndThePagesFitAPhone() throws IOException {
        signIn(TestKeys.ADMIN);
        browser.get(url("/jobs"));
        new Select(browser.findElement(By.id("state"))).selectByVisibleText("CANCELLED");
        String rows = "return [...document.querySelectorAll('#jobs tbody tr')].map(r => r.textContent)";
        waiting(10).until(d -> {
            @SuppressWarnings("unchecked")
            List<String> texts = (List<String>) browser.executeScript(rows);
            return !texts.isEmpty() && texts.stream().allMatch(t -> t.contains("CANCELLED") || t.equals("No jobs."));
        });
        long named = submit("""
                {"name": "Filter-Me_1", "task": {"expression": "a + b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
                 "training": {"steps": 100, "population": 2}}""");
        new Select(browser.findElement(By.id("state"))).selectByVisibleText("any");
        browser.findElement(By.id("name")).sendKeys("filter-me");
        waiting(10).until(d -> {
            @SuppressWarnings("unchecked")
            List<String> texts = (List<String>) browser.executeScript(rows);
            return texts.size() == 1 && texts.get(0).startsWith("#" + named);
        });

        // a phone's width (390 CSS pixels): nothing wider than the screen but what scrolls in its own box (tables, code)
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            for (String page : List.of("/jobs", "/jobs/new", "/results")) {
                browser.get(url(page));
                waiting(10).until(d -> (Boolean) browser.executeScript("return document.readyState === 'complete'"));
                String overflow = (String) browser.executeScript("""
                        const width = document.documentElement.clientWidth;
                        if (document.documentElement.scrollWidth <= width) return '';
                        return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
                          .map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')).join(', ')""");
                assertThat(overflow).as("%s: the page is wider than the screen because of", page).isEmpty();
            }
            browser.get(url("/jobs"));
            waiting(10).until(d -> !text("page-info").isEmpty());
            screenshot("jobs-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
    }
}
