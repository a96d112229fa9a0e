package dev.nalu.dataset;

import java.io.IOException;
import java.net.URI;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.nalu.api.Paging;
import dev.nalu.api.RequestSizeFilter;
import dev.nalu.config.LimitsProperties;

@RestController
@RequestMapping(path = "/api/v1/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "datasets", description = "Samples you upload, to learn the formula behind them")
public class DatasetController {
    static final String CSV = "text/csv";

    private final DatasetService datasets;
    private final LimitsProperties limits;

    public DatasetController(DatasetService datasets, LimitsProperties limits) {
        this.datasets = datasets;
        this.limits = limits;
    }

    /** Uploads may be up to nalu.datasets.max-bytes, past the API's usual body limit: they are read as a stream. */
    @Bean
    static RequestSizeFilter.BodyLimit datasetBodyLimit(DatasetProperties properties) {
        return new RequestSizeFilter.BodyLimit(Pattern.compile("/api/v1/datasets/?"), properties.maxBytes().toBytes());
    }

    @PostMapping(consumes = {CSV, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "uploadDataset", summary = "Upload a dataset (CSV or JSON)",
            description = "CSV: a header row of column names, then rows of numbers (name the dataset with ?name=). "
                    + "JSON: {\"name\", \"columns\", \"rows\"}, columns before rows. Read as a stream and checked "
                    + "against nalu.datasets.* while it comes in: a cell that is empty, not a number or not finite is a "
                    + "400 naming its row and column, and nothing is stored.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = CSV, schema = @Schema(type = "string"),
                            examples = @ExampleObject(value = "a,T\n0.387,0.241\n0.723,0.615\n1.0,1.0\n1.524,1.881\n")),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = DatasetMessages.Upload.class))}))
    @ApiResponse(responseCode = "201", description = "Stored", headers = @Header(name = HttpHeaders.LOCATION,
            description = "The dataset's URL", schema = @Schema(type = "string")))
    public ResponseEntity<DatasetMessages.View> upload(
            @Parameter(description = "The dataset's name (CSV; JSON carries its own)") @RequestParam(required = false) String name,
            HttpServletRequest request) throws IOException {
        MediaType type = MediaType.parseMediaType(request.getContentType());
        DatasetMessages.View created = datasets.upload(name, type.isCompatibleWith(MediaType.parseMediaType(CSV)),
                request.getInputStream());
        return ResponseEntity.created(URI.create("/api/v1/datasets/" + created.id())).body(created);
    }

    @GetMapping
    @Operation(operationId = "listDatasets", summary = "List datasets, newest first")
    public DatasetMessages.Page list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size, limits);
        return datasets.list(page, size);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getDataset", summary = "A dataset: its columns with min, max, mean and whether ever ≤ 0")
    public DatasetMessages.View get(@PathVariable long id) {
        return datasets.get(id);
    }

    @GetMapping(path = "/{id}/csv", produces = CSV)
    @Operation(operationId = "downloadDataset", summary = "The dataset as CSV",
            description = "The header row, then every row; each value in the shortest form that reads back to the "
                    + "same float64.")
    @ApiResponse(responseCode = "200", description = "CSV", content = @Content(mediaType = CSV, schema = @Schema(type = "string")))
    public ResponseEntity<StreamingResponseBody> csv(@PathVariable long id) {
        datasets.get(id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(CSV + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"dataset-" + id + ".csv\"")
                .body(out -> datasets.writeCsv(id, out));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteDataset", summary = "Delete a dataset (its owner or an admin)")
    public void delete(@PathVariable long id) {
        datasets.delete(id);
    }
}
