package dev.nalu.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;
import dev.nalu.api.RequestTooLargeException;
import dev.nalu.security.Callers;

/**
 * Datasets: uploads parsed as a stream (CSV with a header row, or JSON {"name", "columns", "rows"}) into the store,
 * one transaction each, so a refused upload stores nothing; reads of one or a page; the values back as CSV, chunk by
 * chunk; delete by the owner or an admin.
 */
@Service
public class DatasetService {
    /** A decimal number as people write it; Java's parser would also take "NaN", "0x1p3" or "1d". */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /**
     * Text longer than this in one cell or JSON string is refused as it is read (a number needs some 25
     * characters, a name 200): without it a 50 MB upload of one cell would be buffered whole.
     */
    static final int MAX_TEXT = 1000;
    private static final StreamReadConstraints SHORT_TEXT = StreamReadConstraints.builder().maxStringLength(MAX_TEXT).build();
    private static final CsvFactory CSV = CsvFactory.builder().streamReadConstraints(SHORT_TEXT).build();
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(SHORT_TEXT).build();
    static final int WAIT_SECONDS = 5;

    private final DatasetStore store;
    private final DatasetProperties limits;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Semaphore uploads;

    public DatasetService(DatasetStore store, DatasetProperties limits, TransactionTemplate tx, ObjectMapper json) {
        this.store = store;
        this.limits = limits;
        this.tx = tx;
        this.json = json;
        this.uploads = new Semaphore(limits.maxUploads(), true);
    }

    /** Parses and stores an upload; CSV when {@code csv}, else JSON. */
    public DatasetMessages.View upload(String name, boolean csv, InputStream body) throws RequestTooLargeException {
        if (name != null) {
            checkName(name);
        }
        boolean admitted;
        try {
            admitted = uploads.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, Problems.BUSY, "Busy", "this replica is parsing "
                    + limits.maxUploads() + " uploads (nalu.datasets.max-uploads); retry shortly",
                    Map.of("limit", limits.maxUploads())).withHeader("Retry-After", "1");
        }
        try {
            long id = tx.execute(s -> {
                long created = store.begin(name == null ? "dataset" : name.strip(), Callers.currentId());
                DatasetUpload upload = new DatasetUpload(store, limits, created);
                String given = csv ? readCsv(body, upload) : readJson(body, upload);
                String finalName = given != null ? given.strip() : name != null ? name.strip() : "dataset";
                DatasetUpload.Result r = upload.finish();
                store.complete(created, finalName, write(r.columns()), r.rows(), r.chunks(), r.hash());
                return created;
            });
            return get(id);
        } catch (UncheckedTooLarge e) {
            throw e.tooLarge(); // a 413, after the rollback
        } finally {
            uploads.release();
        }
    }

    private static void checkName(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > 200 || n.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("name", "name must be 1 to 200 characters without control characters");
        }
    }

    /**
     * Reads the CSV token by token (each row an array of strings), so a row is never held whole: a row with more
     * cells than the header is refused at the first one too many, a header with more than max-columns at the
     * first one past it.
     */
    private String readCsv(InputStream body, DatasetUpload upload) {
        long line = 0;
        try (CsvParser p = CSV.createParser(body)) {
            p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            p.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw ApiException.invalid("columns", "the dataset has no header row of column names");
            }
            while (p.nextToken() == JsonToken.START_ARRAY) {
                line = p.currentLocation().getLineNr();
                if (!upload.hasColumns()) {
                    List<String> names = new ArrayList<>();
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        if (names.size() == limits.maxColumns()) {
                            throw ApiException.overLimit("columns", limits.maxColumns(), "the dataset has more than "
                                    + limits.maxColumns() + " columns (nalu.datasets.max-columns)");
                        }
                        names.add(p.getText());
                    }
                    upload.columns(names);
                    continue;
                }
                upload.startRow();
                int c = 0;
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    if (c >= upload.width()) {
                        upload.endRow(c + 1); // refuses the row: more values than columns
                    }
                    upload.value(c, number(p.getText(), upload, c));
                    c++;
                }
                upload.endRow(c);
            }
            return null;
        } catch (RequestTooLargeException e) {
            throw new UncheckedTooLarge(e);
        } catch (IOException e) {
            throw malformed("the CSV is malformed near line " + (line + 1) + ": " + message(e));
        }
    }

    private double number(String cell, DatasetUpload upload, int column) {
        String t = cell == null ? "" : cell.strip();
        if (t.isEmpty()) {
            throw upload.cell(upload.rows() + 1, column, "is empty");
        }
        if (!NUMBER.matcher(t).matches()) {
            throw upload.cell(upload.rows() + 1, column, "\"" + abbreviate(t) + "\" is not a number");
        }
        return Double.parseDouble(t);
    }

    /** Reads {"name", "columns", "rows"} as a stream; returns the name, if given. */
    private String readJson(InputStream body, DatasetUpload upload) {
        String name = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the body must be a JSON object {\"name\": …, \"columns\": […], \"rows\": [[…], …]}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "name" -> {
                        if (t != JsonToken.VALUE_STRING) {
                            throw ApiException.invalid("name", "name must be a string");
                        }
                        name = p.getText();
                        checkName(name);
                    }
                    case "columns" -> {
                        if (upload.hasColumns()) {
                            throw ApiException.invalid("columns", "columns is given twice");
                        }
                        if (t != JsonToken.START_ARRAY) {
                            throw ApiException.invalid("columns", "columns must be an array of names");
                        }
                        List<String> names = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken() != JsonToken.VALUE_STRING || names.size() >= limits.maxColumns()) {
                                throw names.size() >= limits.maxColumns()
                                        ? ApiException.overLimit("columns", limits.maxColumns(), "the dataset has more than "
                                                + limits.maxColumns() + " columns (nalu.datasets.max-columns)")
                                        : ApiException.invalid("columns[" + names.size() + "]", "a column name must be a string");
                            }
                            names.add(p.getText());
                        }
                        upload.columns(names);
                    }
                    case "rows" -> readRows(p, t, upload);
                    default -> throw ApiException.invalid(field, "unknown field \"" + field
                            + "\": a dataset has name, columns and rows");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw malformed("the body must be one JSON object");
            }
            return name;
        } catch (RequestTooLargeException e) {
            throw new UncheckedTooLarge(e);
        } catch (IOException e) {
            throw malformed("the body is not valid JSON: " + message(e));
        }
    }

    private static void readRows(JsonParser p, JsonToken t, DatasetUpload upload) throws IOException {
        if (!upload.hasColumns()) {
            throw ApiException.invalid("rows", "columns must come before rows (the rows are read as a stream)");
        }
        if (t != JsonToken.START_ARRAY) {
            throw ApiException.invalid("rows", "rows must be an array of rows [[…], …]");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            long row = upload.rows() + 1;
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field",
                        "row " + row + " must be an array of numbers", Map.of("field", "rows", "row", row));
            }
            upload.startRow();
            int c = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (c >= upload.width()) {
                    upload.endRow(c + 1); // refuses the row: more values than columns
                }
                if (!p.currentToken().isNumeric()) {
                    throw upload.cell(row, c, "is " + (p.currentToken() == JsonToken.VALUE_NULL ? "null" : p.getText())
                            + ", not a number");
                }
                upload.value(c, p.getDoubleValue());
                c++;
            }
            upload.endRow(c);
        }
    }

    private static ApiException malformed(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.MALFORMED_REQUEST, "Malformed request", detail,
                Map.of("field", "body"));
    }

    private static String message(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return abbreviate(m == null ? e.getClass().getSimpleName() : m);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** A body over its limit, out of the transaction's callback (which cannot throw checked exceptions). */
    static final class UncheckedTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedTooLarge(RequestTooLargeException cause) {
            super(cause);
        }

        RequestTooLargeException tooLarge() {
            return (RequestTooLargeException) getCause();
        }
    }

    public DatasetMessages.View get(long id) {
        return view(store.find(id).orElseThrow(() -> ApiException.notFound("dataset", id)));
    }

    public DatasetMessages.Page list(int page, int size) {
        return new DatasetMessages.Page(store.list(page, size).stream().map(this::view).toList(), page, size, store.count());
    }

    /** The dataset as CSV: the header row, then every row, each value in its shortest round-tripping form. */
    public void writeCsv(long id, OutputStream out) throws IOException {
        DatasetStore.Row row = store.find(id).orElseThrow(() -> ApiException.notFound("dataset", id));
        List<DatasetMessages.Column> columns = columns(row.columns());
        Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write(String.join(",", columns.stream().map(DatasetMessages.Column::name).toList()));
        w.write('\n');
        int k = columns.size();
        for (int seq = 0; seq < row.chunks(); seq++) {
            ByteBuffer b = ByteBuffer.wrap(store.chunk(id, seq)).order(ByteOrder.LITTLE_ENDIAN);
            int i = 0;
            while (b.hasRemaining()) {
                w.write(Double.toString(b.getDouble()));
                w.write(++i % k == 0 ? '\n' : ',');
            }
        }
        w.flush();
    }

    /**
     * Deletes a dataset no job is queued or running on; 409 naming the jobs that are. The check reads
     * job_datasets, and its foreign key refuses the delete of a dataset a job was submitted on meanwhile.
     */
    public void delete(long id) {
        DatasetStore.Row row = store.find(id).orElseThrow(() -> ApiException.notFound("dataset", id));
        Callers.requireMayChange(row.owner(), "dataset " + id, "delete");
        List<Long> jobs = store.usedBy(id);
        try {
            if (jobs.isEmpty()) {
                store.delete(id);
                return;
            }
        } catch (DataIntegrityViolationException e) {
            jobs = store.usedBy(id);
        }
        throw ApiException.conflict(Problems.DATASET_IN_USE, "dataset " + id
                + " is used by job" + (jobs.size() == 1 ? " " : "s ") + jobs.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", "))
                + " (queued or running); cancel " + (jobs.size() == 1 ? "it" : "them") + " or wait until "
                + (jobs.size() == 1 ? "it ends" : "they end"));
    }

    /**
     * The input columns and the target column of a dataset, row by row: {@code x} holds rows × inputs.size() float64,
     * row-major in the order {@code inputs} names them, {@code y} the target of each row. Reads chunk by chunk,
     * keeping only these columns.
     *
     * @param expectedHash the content hash the caller recorded (a job's spec), or null to take any
     * @throws IllegalStateException if the dataset is gone, changed, or lacks a column (a job stored against it
     *                               can then not run; the message says which)
     */
    public Rows read(long id, String expectedHash, List<String> inputs, String target) {
        return read(id, expectedHash, inputs, target, Integer.MAX_VALUE);
    }

    /** As {@link #read(long, String, List, String)}, the first {@code maxRows} rows at most. */
    public Rows read(long id, String expectedHash, List<String> inputs, String target, int maxRows) {
        DatasetStore.Row row = store.find(id).orElseThrow(
                () -> new IllegalStateException("dataset " + id + " no longer exists"));
        if (expectedHash != null && !expectedHash.equals(row.contentHash())) {
            throw new IllegalStateException("dataset " + id + " is not the one the job was submitted on (its content "
                    + "hash changed)");
        }
        List<String> names = columns(row.columns()).stream().map(DatasetMessages.Column::name).toList();
        int[] pick = new int[inputs.size()];
        for (int i = 0; i < pick.length; i++) {
            pick[i] = index(names, inputs.get(i), id);
        }
        int t = index(names, target, id);
        int k = names.size();
        int rows = (int) Math.min(row.rows(), maxRows);
        double[] x = new double[Math.multiplyExact(rows, pick.length)];
        double[] y = new double[rows];
        double[] cells = new double[k];
        int r = 0;
        for (int seq = 0; seq < row.chunks() && r < rows; seq++) {
            ByteBuffer b = ByteBuffer.wrap(store.chunk(id, seq)).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && r < rows) {
                for (int c = 0; c < k; c++) {
                    cells[c] = b.getDouble();
                }
                for (int i = 0; i < pick.length; i++) {
                    x[r * pick.length + i] = cells[pick[i]];
                }
                y[r++] = cells[t];
            }
        }
        return new Rows(rows, x, y, row.contentHash(), row.name());
    }

    private static int index(List<String> names, String column, long id) {
        int i = names.indexOf(column);
        if (i < 0) {
            throw new IllegalStateException("dataset " + id + " has no column " + column);
        }
        return i;
    }

    /** A dataset's inputs (rows × inputs, row-major) and targets; see {@link #read}. */
    public record Rows(int rows, double[] x, double[] y, String contentHash, String name) {
    }

    /** The dataset's metadata and column statistics, or empty if there is no such dataset. */
    public java.util.Optional<DatasetMessages.View> find(long id) {
        return store.find(id).map(this::view);
    }

    private DatasetMessages.View view(DatasetStore.Row r) {
        return new DatasetMessages.View(r.id(), r.name(), r.owner(), columns(r.columns()), r.rows(), r.contentHash(),
                r.createdAt());
    }

    private List<DatasetMessages.Column> columns(String text) {
        try {
            return json.readValue(text, new TypeReference<List<DatasetMessages.Column>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("the stored columns of a dataset are not readable", e);
        }
    }

    private String write(List<DatasetMessages.Column> columns) {
        try {
            return json.writeValueAsString(columns);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
