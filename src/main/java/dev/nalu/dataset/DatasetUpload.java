package dev.nalu.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;

/**
 * One upload as it streams in: the parsers hand it the column names, then row after row; it checks each against
 * the limits, keeps running statistics per column, and writes the values to the store in chunks of about 1 MB, so
 * an upload holds one chunk in memory whatever its size. Runs inside the upload's transaction: any refusal rolls
 * back every chunk written.
 */
final class DatasetUpload {
    static final int CHUNK_BYTES = 1 << 20;
    /** A column name is a variable of expressions and predict rows: a letter or _, then letters, digits or _. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

    private final DatasetStore store;
    private final DatasetProperties limits;
    private final long id;
    private final MessageDigest sha;
    private List<String> columns;
    private ByteBuffer chunk;
    private int chunks;
    private long rows;
    private double[] min;
    private double[] max;
    private double[] mean;
    private boolean[] nonPositive;

    DatasetUpload(DatasetStore store, DatasetProperties limits, long id) {
        this.store = store;
        this.limits = limits;
        this.id = id;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean hasColumns() {
        return columns != null;
    }

    int width() {
        return columns.size();
    }

    String column(int i) {
        return columns.get(i);
    }

    long rows() {
        return rows;
    }

    void columns(List<String> names) {
        if (names.isEmpty()) {
            throw ApiException.invalid("columns", "a dataset needs at least one column");
        }
        if (names.size() > limits.maxColumns()) {
            throw ApiException.overLimit("columns", limits.maxColumns(), "the dataset has " + names.size()
                    + " columns, at most " + limits.maxColumns() + " are allowed (nalu.datasets.max-columns)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i) == null ? "" : names.get(i).strip();
            if (!NAME.matcher(n).matches()) {
                throw ApiException.invalid("columns[" + i + "]", "column " + (i + 1) + " is named \"" + n + "\": a column "
                        + "name is a letter or _ followed by up to 99 letters, digits or _ (it names a variable)");
            }
            if (!seen.add(n)) {
                throw ApiException.invalid("columns[" + i + "]", "the column name \"" + n + "\" appears twice");
            }
        }
        columns = names.stream().map(String::strip).toList();
        int k = columns.size();
        chunk = ByteBuffer.allocate(Math.max(1, CHUNK_BYTES / (8 * k)) * 8 * k).order(ByteOrder.LITTLE_ENDIAN);
        min = new double[k];
        max = new double[k];
        mean = new double[k];
        nonPositive = new boolean[k];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        sha.update(String.join("\n", columns).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
    }

    /** Begins a row: refused past the row limit. */
    void startRow() {
        if (rows >= limits.maxRows()) {
            throw ApiException.overLimit("rows", limits.maxRows(), "the dataset has more than " + limits.maxRows()
                    + " rows (nalu.datasets.max-rows)");
        }
    }

    /** One value of the current row, in column order: refused when it is not finite. */
    void value(int column, double v) {
        if (!Double.isFinite(v)) {
            throw cell(rows + 1, column, "is not a finite number");
        }
        chunk.putDouble(v);
        min[column] = Math.min(min[column], v);
        max[column] = Math.max(max[column], v);
        long n = rows + 1;
        mean[column] = mean[column] - mean[column] / n + v / n; // a running mean: no sum to overflow
        nonPositive[column] |= v <= 0;
    }

    /** Ends a row of {@code width} values. */
    void endRow(int width) {
        if (width != columns.size()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field", "row " + (rows + 1)
                    + " has " + width + " values, the dataset " + columns.size() + " columns", Map.of("field", "rows", "row", rows + 1));
        }
        rows++;
        if (!chunk.hasRemaining()) {
            flush();
        }
    }

    /** A refusal naming the cell: row (1-based, the header not counted) and column. */
    ApiException cell(long row, int column, String what) {
        String name = column < columns.size() ? columns.get(column) : "#" + (column + 1);
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("field", name);
        where.put("row", row);
        where.put("column", name);
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field",
                "row " + row + ", column \"" + name + "\": the value " + what, where);
    }

    private void flush() {
        if (chunk.position() == 0) {
            return;
        }
        byte[] bytes = java.util.Arrays.copyOf(chunk.array(), chunk.position());
        sha.update(bytes);
        store.chunk(id, chunks++, bytes);
        chunk.clear();
    }

    /** Writes the last chunk; returns the columns with their statistics and the content hash. */
    Result finish() {
        if (columns == null) {
            throw ApiException.invalid("columns", "the dataset has no header row of column names");
        }
        if (rows == 0) {
            throw ApiException.invalid("rows", "the dataset has no rows");
        }
        flush();
        List<DatasetMessages.Column> stats = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            stats.add(new DatasetMessages.Column(columns.get(i), min[i], max[i], mean[i], nonPositive[i]));
        }
        return new Result(stats, rows, chunks, HexFormat.of().formatHex(sha.digest()));
    }

    record Result(List<DatasetMessages.Column> columns, long rows, int chunks, String hash) {
    }
}
