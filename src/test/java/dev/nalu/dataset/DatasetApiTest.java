package dev.nalu.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/** Datasets through real HTTP: upload as CSV and JSON, statistics, the CSV back bit for bit, refusals that store nothing. */
class DatasetApiTest extends ApiTestSupport {
    static final Map<String, String> CSV = Map.of("Content-Type", "text/csv");

    private ResponseEntity<String> upload(String query, String body, Map<String, String> headers) {
        return send(HttpMethod.POST, "/api/v1/datasets" + query, body, headers);
    }

    @Test
    void aCsvUploadIsStoredWithItsStatisticsAndComesBackTheSame() {
        String csv = "a,b,F\n1.5,2,3.5\n-0.25,4e2,399.75\n1e-300,0.1,0.1\n";
        ResponseEntity<String> created = upload("?name=sums", csv, CSV);

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        JsonNode d = read(created);
        long id = d.get("id").asLong();
        assertThat(created.getHeaders().getLocation()).hasToString("/api/v1/datasets/" + id);
        assertThat(d.get("name").asText()).isEqualTo("sums");
        assertThat(d.get("rows").asLong()).isEqualTo(3);
        assertThat(d.get("contentHash").asText()).hasSize(64);
        assertThat(d.at("/columns/0/name").asText()).isEqualTo("a");
        assertThat(d.at("/columns/0/min").asDouble()).isEqualTo(-0.25);
        assertThat(d.at("/columns/0/max").asDouble()).isEqualTo(1.5);
        assertThat(d.at("/columns/0/nonPositive").asBoolean()).isTrue();
        assertThat(d.at("/columns/1/mean").asDouble()).isCloseTo((2 + 400 + 0.1) / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(d.at("/columns/1/nonPositive").asBoolean()).isFalse();
        assertThat(getJson("/api/v1/datasets/" + id)).isEqualTo(d);

        String back = http.getForObject("/api/v1/datasets/" + id + "/csv", String.class);
        assertThat(back).isEqualTo("a,b,F\n1.5,2.0,3.5\n-0.25,400.0,399.75\n1.0E-300,0.1,0.1\n");
        JsonNode again = read(upload("?name=again", back, CSV));
        assertThat(again.get("contentHash").asText()).isEqualTo(d.get("contentHash").asText());
    }

    @Test
    void aJsonUploadIsReadAsAStream() {
        ResponseEntity<String> created = upload("", """
                {"name": "kepler", "columns": ["a", "T"], "rows": [[0.387, 0.241], [1, 1], [5.2, 11.86]]}""", Map.of());
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        JsonNode d = read(created);
        assertThat(d.get("name").asText()).isEqualTo("kepler");
        assertThat(d.get("rows").asLong()).isEqualTo(3);
        assertThat(http.getForObject("/api/v1/datasets/" + d.get("id").asLong() + "/csv", String.class))
                .isEqualTo("a,T\n0.387,0.241\n1.0,1.0\n5.2,11.86\n");
    }

    @Test
    void aBadCellIsA400NamingItsRowAndColumnAndNothingIsStored() {
        long datasets = count("datasets");
        long chunks = count("dataset_chunks");
        assertCell(upload("", "x,y\n1,2\n3,\n", CSV), 2, "y", "is empty");
        assertCell(upload("", "x,y\n1,2\n3,4\nfive,6\n", CSV), 3, "x", "\"five\" is not a number");
        assertCell(upload("", "x,y\n1,NaN\n", CSV), 1, "y", "\"NaN\" is not a number");
        assertCell(upload("", "x,y\n1,1e999\n", CSV), 1, "y", "is not a finite number");
        assertCell(upload("", "{\"columns\": [\"x\", \"y\"], \"rows\": [[1, 2], [3, null]]}", Map.of()), 2, "y", "is null");
        ResponseEntity<String> ragged = upload("", "x,y\n1,2\n3\n", CSV);
        assertThat(ragged.getStatusCode().value()).isEqualTo(400);
        assertThat(read(ragged).get("row").asLong()).isEqualTo(2);
        ResponseEntity<String> badName = upload("", "x,2y\n1,2\n", CSV);
        assertThat(read(badName).get("field").asText()).isEqualTo("columns[1]");
        ResponseEntity<String> twice = upload("", "x,x\n1,2\n", CSV);
        assertThat(read(twice).get("detail").asText()).contains("appears twice");
        ResponseEntity<String> rowsFirst = upload("", "{\"rows\": [[1]], \"columns\": [\"x\"]}", Map.of());
        assertThat(read(rowsFirst).get("detail").asText()).contains("columns must come before rows");
        ResponseEntity<String> empty = upload("", "x,y\n", CSV);
        assertThat(read(empty).get("field").asText()).isEqualTo("rows");
        ResponseEntity<String> xml = upload("", "<x/>", Map.of("Content-Type", "application/xml"));
        assertThat(xml.getStatusCode().value()).isEqualTo(415);

        assertThat(count("datasets")).isEqualTo(datasets);
        assertThat(count("dataset_chunks")).isEqualTo(chunks);
    }

    /** A row or a cell is never buffered whole: one too many cells, or a cell too long, is refused as it is read. */
    @Test
    void aRowOfTooManyCellsOrACellTooLongIsRefusedWhileStreaming() {
        long datasets = count("datasets");
        ResponseEntity<String> wideHeader = upload("", String.join(",",
                java.util.stream.IntStream.range(0, 500_000).mapToObj(i -> "c" + i).toList()) + "\n1\n", CSV);
        assertThat(wideHeader.getStatusCode().value()).isEqualTo(400);
        assertThat(read(wideHeader).get("limit").asInt()).isEqualTo(100);
        ResponseEntity<String> wideRow = upload("", "x,y\n1,2\n" + "1,".repeat(400_000) + "1\n", CSV);
        assertThat(wideRow.getStatusCode().value()).isEqualTo(400);
        assertThat(read(wideRow).get("row").asLong()).isEqualTo(2);
        ResponseEntity<String> longCell = upload("", "x\n" + "1".repeat(5000) + "\n", CSV);
        assertThat(longCell.getStatusCode().value()).isEqualTo(400);
        assertThat(read(longCell).get("detail").asText()).contains("1000");
        ResponseEntity<String> longName = upload("", "{\"name\": \"" + "n".repeat(5000) + "\", \"columns\": [\"x\"], \"rows\": [[1]]}",
                Map.of());
        assertThat(longName.getStatusCode().value()).isEqualTo(400);
        assertThat(count("datasets")).isEqualTo(datasets);
    }

    private void assertCell(ResponseEntity<String> r, long row, String column, String what) {
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        JsonNode p = read(r);
        assertThat(p.get("row").asLong()).isEqualTo(row);
        assertThat(p.get("column").asText()).isEqualTo(column);
        assertThat(p.get("detail").asText()).contains("row " + row, "column \"" + column + "\"", what);
    }

    /** A dataset larger than the API's 1 MB body limit streams in chunks and back. */
    @Test
    void aDatasetOfSeveralChunksRoundTrips() {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("x,y,z\n");
        int rows = 60_000;
        for (int i = 0; i < rows; i++) {
            csv.append(random.nextDouble() * 100).append(',').append(-random.nextDouble()).append(',').append(i).append('\n');
        }
        assertThat(csv.length()).isGreaterThan(2 << 20);
        JsonNode d = read(upload("?name=big", csv.toString(), CSV));
        assertThat(d.get("rows").asLong()).isEqualTo(rows);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset_chunks WHERE dataset_id = ?").param(d.get("id").asLong())
                .query(Long.class).single()).isEqualTo(2L); // 60,000 × 3 × 8 bytes in chunks of 43,690 rows
        String back = http.getForObject("/api/v1/datasets/" + d.get("id").asLong() + "/csv", String.class);
        assertThat(back).isEqualTo(csv.toString().replaceAll(",(\\d+)\n", ",$1.0\n"));
    }

    @Test
    void onlyItsOwnerOrAnAdminDeletesADataset() {
        String trainer = newKey("train");
        String other = newKey("train");
        long id = read(send(HttpMethod.POST, "/api/v1/datasets", "x\n1\n", merge(CSV, as(trainer)))).get("id").asLong();

        assertThat(send(HttpMethod.DELETE, "/api/v1/datasets/" + id, null, as(other)).getStatusCode().value()).isEqualTo(403);
        assertThat(send(HttpMethod.DELETE, "/api/v1/datasets/" + id, null, as(trainer)).getStatusCode().value()).isEqualTo(204);
        assertThat(http.getForEntity("/api/v1/datasets/" + id, String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset_chunks WHERE dataset_id = ?").param(id).query(Long.class).single())
                .isZero();
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }
}
