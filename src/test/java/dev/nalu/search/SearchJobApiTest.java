package dev.nalu.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * {@code "model": "search"} through real HTTP, on rows uploaded as a dataset: the job races the candidate
 * architectures (its events name them), recovers the formula behind the rows, and its model lists the front.
 */
class SearchJobApiTest extends ApiTestSupport {

    /** A CSV of {@code rows} rows of the named columns drawn from [lo, hi] (seeded), and the target F. */
    static String csv(String[] columns, double lo, double hi, int rows, long seed, ToDoubleFunction<double[]> f) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(String.join(",", columns)).append(",F\n");
        double[] x = new double[columns.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < x.length; c++) {
                x[c] = rng.nextDouble(lo, hi);
                b.append(x[c]).append(',');
            }
            b.append(String.format(Locale.ROOT, "%s%n", f.applyAsDouble(x)));
        }
        return b.toString();
    }

    private long upload(String name, String csv) {
        ResponseEntity<String> r = send(HttpMethod.POST, "/api/v1/datasets?name=" + name, csv, Map.of("Content-Type", "text/csv"));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        return read(r).get("id").asLong();
    }

    /** Trains a search job on rows of f over [1, 5], held out on [5, 10]; returns its model. */
    private JsonNode search(String name, String[] columns, ToDoubleFunction<double[]> f, long seed) {
        long train = upload(name, csv(columns, 1, 5, 2000, seed, f));
        long far = upload(name + "-far", csv(columns, 5, 10, 500, seed + 1, f));
        long id = submit("""
                {"task": {"dataset": "%d", "target": "F", "extrapolationDataset": "%d"}, "model": "search",
                 "training": {"seed": %d}}""".formatted(train, far, seed));
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofMinutes(5));
        assertThat(job.get("architecture").asText()).startsWith("search: ");

        ResponseEntity<String> page = send(HttpMethod.GET, "/api/v1/jobs/" + id + "/events?limit=100", null,
                Map.of("Accept", "application/json"));
        JsonNode firstProgress = null;
        JsonNode lastProgress = null;
        for (JsonNode e : read(page).get("items")) {
            if (e.get("event").asText().equals("progress")) {
                firstProgress = firstProgress == null ? e.get("data") : firstProgress;
                lastProgress = e.get("data");
            }
        }
        assertThat(firstProgress).isNotNull();
        assertThat(firstProgress.get("racing").size()).isGreaterThan(1);
        assertThat(firstProgress.get("architecture").asText()).isNotEmpty();

        JsonNode model = getJson("/api/v1/models/" + job.get("modelId").asLong());
        // the report where early stop held says so, as a single architecture's does
        assertThat(lastProgress.path("stoppedEarly").asBoolean()).isEqualTo(model.at("/metrics/stoppedEarlyAt").isNumber());
        JsonNode front = model.at("/metrics/front");
        assertThat(front.size()).isGreaterThan(1);
        int served = 0;
        for (JsonNode e : front) {
            served += e.get("served").asBoolean() ? 1 : 0;
        }
        assertThat(served).isEqualTo(1);
        JsonNode onFar = read(post("/api/v1/models/" + model.get("id").asLong() + "/evaluate",
                "{\"dataset\": \"" + far + "\"}"));
        assertThat(model.at("/formula/exact").asBoolean()).as(model.toString()).isTrue();
        assertThat(onFar.at("/results/0/maxRelativeError").asDouble()).as(model.at("/formula/text").asText())
                .isLessThan(1e-9);

        // the learned constants' layers survive export and import: same layers, same weights, same exact formula
        JsonNode exported = getJson("/api/v1/models/" + model.get("id").asLong() + "/export");
        importsBitExact(exported);

        // without the dataset there are no targets to check an exact formula against: such an import is refused
        assertThat(send(HttpMethod.DELETE, "/api/v1/datasets/" + train, null, Map.of()).getStatusCode().value())
                .isEqualTo(204);
        ResponseEntity<String> orphan = post("/api/v1/models", exported.toString());
        assertThat(orphan.getStatusCode().value()).as(orphan.getBody()).isEqualTo(400);
        assertThat(read(orphan).get("detail").asText()).contains("learned from a dataset this service does not hold");
        return model;
    }

    @Test
    void aSearchRecoversQvBOverPFromUploadedRows() {
        JsonNode model = search("lorentz", new String[] {"q", "v", "B", "p"}, x -> x[0] * x[1] * x[2] / x[3], 1);
        assertThat(model.at("/formula/text").asText()).contains("q").contains("v").contains("B").contains("p");
    }

    @Test
    void aSearchRecoversTheThinLensFromUploadedRows() {
        // Feynman I.27.6, 1/(1/d1 + n/d2): a power of a sum of monomials, not a product of powers
        JsonNode model = search("lens", new String[] {"d1", "d2", "n"}, x -> 1 / (1 / x[0] + x[2] / x[1]), 1);
        assertThat(model.at("/formula/text").asText()).contains("d1").contains("d2").contains("n");
    }
}
