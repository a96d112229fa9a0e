package dev.nalu.model;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.api.Paging;
import dev.nalu.config.LimitsProperties;
import dev.nalu.evaluation.FormulaFormat;
import dev.nalu.model.ModelMessages.EvaluateRequest;
import dev.nalu.model.ModelMessages.EvaluateResponse;
import dev.nalu.model.ModelMessages.LabelsRequest;
import dev.nalu.model.ModelMessages.ModelPage;
import dev.nalu.model.ModelMessages.PredictRequest;
import dev.nalu.model.ModelMessages.PredictResponse;

@RestController
@RequestMapping(path = "/api/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "models", description = "Learned models: formulas, weights, predictions, evaluation on unseen ranges")
public class ModelController {
    static final String MERGE_PATCH = "application/merge-patch+json";
    private final ModelService models;
    private final LimitsProperties limits;

    public ModelController(ModelService models, LimitsProperties limits) {
        this.models = models;
        this.limits = limits;
    }

    @GetMapping
    @Operation(operationId = "listModels", summary = "List models, newest first", description = "Filter by name and by tag.")
    public ModelPage list(@RequestParam(required = false) String name, @RequestParam(required = false) String tag,
                          @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size, limits);
        return models.list(name, tag, page, size);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getModel", summary = "A model: task, architecture, weight tensors (names and shapes), formula, metrics, tags, aliases")
    public ModelDocument get(@PathVariable long id) {
        return models.get(id).withoutValues();
    }

    @GetMapping(path = "/{id}/formula", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    @Operation(operationId = "getModelFormula", summary = "The model's formula as text, LaTeX, SymPy or Java",
            description = "text is the model's formula.text (\"y = (1/(4π)) × q ÷ r^2\"); latex is for display "
                    + "(\\frac, \\sqrt, \\pi); sympy is an expression sympify reads exactly (Rational(1, 4), pi, "
                    + "sqrt, **); java is an expression over double variables that computes, to the bit, what the "
                    + "service computes (Math.PI, Math.sqrt, Math.pow, double literals). A 404 when the model's weights "
                    + "snapped to no formula. With Accept: text/plain (and no JSON type accepted), the formula alone. "
                    + "docs/api.md, \"Formula formats\".")
    @ApiResponse(responseCode = "200", description = "The formula in that format",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = FormulaResponse.class)),
                    @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string",
                            example = "y = a × b"))})
    public ResponseEntity<?> formula(@Parameter(description = "Model id") @PathVariable long id,
                                     @Parameter(description = "text (default), latex, sympy or java",
                                             schema = @Schema(type = "string", allowableValues = {"text", "latex", "sympy", "java"},
                                                     defaultValue = "text"))
                                     @RequestParam(defaultValue = "text") String format,
                                     @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false)
                                     String accept) {
        FormulaFormat f = FormulaResponse.format(format);
        FormulaResponse response = FormulaResponse.of(models.get(id), f);
        if (FormulaResponse.plainText(accept)) {
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
                    .body(response.formula());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response);
    }

    @GetMapping("/{id}/export")
    @Operation(operationId = "exportModel", summary = "The model as one self-contained JSON document, every weight included",
            description = "POST it to /api/v1/models to import it; the round trip is bit-exact.")
    public ResponseEntity<ModelDocument> export(@PathVariable long id) {
        ModelDocument doc = models.get(id);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"model-" + id + ".json\"")
                .body(new ModelDocument(ModelDocument.FORMAT, doc.id(), doc.name(), doc.version(), doc.sourceJobId(),
                        doc.createdAt(), doc.task(), doc.variables(), doc.architecture(), doc.weights(), doc.formula(),
                        doc.metrics(), doc.tags(), doc.aliases()));
    }

    @PostMapping
    @Operation(operationId = "importModel", summary = "Import an exported model as a new version of its name",
            description = "The document is checked against nalu.limits before anything is built, then for consistency "
                    + "(format, task, architecture, tensor names and shapes, finite weights, formula tree against its "
                    + "text), and an exact formula is recomputed: it must reproduce the task on its training ranges and "
                    + "be what the weights snap to. Id, version, dates and aliases are assigned anew.")
    @ApiResponse(responseCode = "201", description = "Imported as a new version", headers = @Header(name = HttpHeaders.LOCATION,
            description = "The model's URL", schema = @Schema(type = "string")))
    public ResponseEntity<ModelDocument> importModel(@RequestBody ModelDocument document) {
        ModelDocument created = models.importDocument(document);
        return ResponseEntity.created(URI.create("/api/v1/models/" + created.id())).body(created.withoutValues());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteModel", summary = "Delete a model")
    public void delete(@PathVariable long id) {
        models.delete(id);
    }

    @PatchMapping(path = "/{id}", consumes = {MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "updateModelLabels", summary = "Set a model's tags and aliases",
            description = "A JSON Merge Patch (RFC 7396, application/merge-patch+json; application/json is read the "
                    + "same way): a member left out is unchanged, null clears it, a list replaces it. An alias points "
                    + "at one model: setting it here "
                    + "moves it from any other. Operators of /api/v1/expressions/evaluate are served by the model "
                    + "with alias (else newest with tag) op:add, op:sub, op:mul, op:div, op:square, op:sqrt, op:pow.")
    public ModelDocument label(@PathVariable long id, @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = {@Content(mediaType = MERGE_PATCH, schema = @Schema(implementation = LabelsRequest.class)),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LabelsRequest.class))})
                               @RequestBody JsonNode patch) {
        LabelsRequest request = LabelsRequest.of(patch);
        return models.label(id, request.tags(), request.aliases()).withoutValues();
    }

    @PostMapping("/{id}/predict")
    @Operation(operationId = "predict", summary = "Predict in float64",
            description = "From the exact formula when the model has one, else from the trained weights; "
                    + "answeredBy says which. A row whose output is not a finite number is a 400 naming it (inputs[i]).")
    public PredictResponse predict(@PathVariable long id, @RequestBody PredictRequest request) {
        return models.predict(id, request);
    }

    @PostMapping("/{id}/evaluate")
    @Operation(operationId = "evaluateModel", summary = "Errors on ranges against the exact value of the model's task",
            description = "Every input drawn uniformly from each range; success is the ε = 1e-5 criterion of "
                    + "Madsen & Johansen 2020 (docs/papers.md §1). An error with no finite value is null, with a reason.")
    public EvaluateResponse evaluate(@Parameter(description = "Model id") @PathVariable long id,
                                     @RequestBody EvaluateRequest request) {
        return models.evaluate(id, request);
    }
}
