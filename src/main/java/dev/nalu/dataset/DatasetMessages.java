package dev.nalu.dataset;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON of the datasets API. */
public final class DatasetMessages {
    private DatasetMessages() {
    }

    /** A column and its statistics over every row. */
    @Schema(name = "DatasetColumn", requiredProperties = {"name", "min", "max", "mean", "nonPositive"})
    public record Column(String name, double min, double max, double mean,
                         @Schema(description = "Whether some value is ≤ 0 (a logarithm or a power of it is then undefined)")
                         boolean nonPositive) {
    }

    /** A dataset as the API shows it. */
    @Schema(name = "Dataset", requiredProperties = {"id", "name", "columns", "rows", "contentHash", "createdAt"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(long id, String name, @Schema(description = "Who uploaded it: key:<id> or jwt:<subject>") String owner,
                       List<Column> columns, long rows,
                       @Schema(description = "SHA-256 of the column names and the values as stored") String contentHash,
                       Instant createdAt) {
    }

    /** One page of datasets. */
    @Schema(name = "DatasetPage", requiredProperties = {"items", "page", "size", "total"})
    public record Page(List<View> items, int page, int size, long total) {
    }

    /** A dataset uploaded as JSON: "columns" must come before "rows", which it reads as a stream. */
    @Schema(name = "DatasetUpload", requiredProperties = {"columns", "rows"},
            example = "{\"name\": \"kepler\", \"columns\": [\"a\", \"T\"], \"rows\": [[0.39, 0.24], [0.72, 0.62], [1.0, 1.0]]}")
    public record Upload(@Schema(description = "Default: \"dataset\"", maxLength = 200) String name,
                         @Schema(description = "Column names: a letter or _, then letters, digits or _")
                         List<String> columns,
                         @Schema(description = "Rows of finite numbers, one per column") List<List<Double>> rows) {
    }
}
