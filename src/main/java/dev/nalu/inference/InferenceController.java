package dev.nalu.inference;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.nalu.NaluApplication;
import dev.nalu.inference.InferenceMessages.InferenceRequest;
import dev.nalu.inference.InferenceMessages.InferenceResponse;
import dev.nalu.inference.InferenceMessages.ModelMetadata;
import dev.nalu.inference.InferenceMessages.ModelReady;
import dev.nalu.inference.InferenceMessages.ServerLive;
import dev.nalu.inference.InferenceMessages.ServerMetadata;
import dev.nalu.inference.InferenceMessages.ServerReady;

/**
 * The Open Inference Protocol (KServe V2) over HTTP/REST: health, server and model metadata, and inference
 * with the models of the registry. Every refusal is the protocol's {"error": "…"} ({@link InferenceErrors}), and
 * /v3/api-docs lists them ({@link InferenceOpenApi}).
 */
@RestController
@Tag(name = "inference", description = "The Open Inference Protocol (KServe V2 HTTP/REST) for the registry's models")
public class InferenceController {
    static final String SERVER = "nalu-service";
    private static final String NAME = "A model's name (its newest version), else an alias";
    private static final String VERSION = "A version of that name (for an alias: of its model's name)";
    private static final String DIGITS = "^[1-9][0-9]*$";

    private final InferenceService inference;
    private final HealthEndpoint health;

    public InferenceController(InferenceService inference, HealthEndpoint health) {
        this.inference = inference;
        this.health = health;
    }

    @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "serverLive", summary = "Whether the service is live",
            description = "The actuator's liveness group (/actuator/health/liveness): 200 when live, else 503.")
    public ResponseEntity<ServerLive> live() {
        boolean up = up("liveness");
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(new ServerLive(up));
    }

    @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "serverReady", summary = "Whether the service is ready",
            description = "The actuator's readiness group (/actuator/health/readiness: the database answers and the "
                    + "job engine runs): 200 when ready, else 503. Every model is ready as soon as it is stored.")
    public ResponseEntity<ServerReady> ready() {
        boolean up = up("readiness");
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(new ServerReady(up));
    }

    private boolean up(String group) {
        HealthComponent h = health.healthForPath(group);
        return (h != null ? h : health.health()).getStatus().equals(Status.UP);
    }

    @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "serverMetadata", summary = "The server's name, version and protocol extensions")
    public ServerMetadata server() {
        String version = NaluApplication.class.getPackage().getImplementationVersion();
        return new ServerMetadata(SERVER, version == null ? "development" : version, List.of());
    }

    @GetMapping(path = "/v2/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getModelMetadata", summary = "A model's inputs and output",
            description = "One FP64 input per variable, in the model's input order, of shape [-1] (n rows); one FP64 "
                    + "output y.")
    public ModelMetadata metadata(@Parameter(description = NAME, example = "learn-mul") @PathVariable String name) {
        return inference.metadata(name, null);
    }

    @GetMapping(path = "/v2/models/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getModelVersionMetadata", summary = "A model version's inputs and output")
    public ModelMetadata versionMetadata(
            @Parameter(description = NAME, example = "learn-mul") @PathVariable String name,
            @Parameter(description = VERSION, schema = @Schema(type = "string", pattern = DIGITS, example = "1"))
            @PathVariable String version) {
        return inference.metadata(name, version);
    }

    @GetMapping(path = "/v2/models/{name}/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "modelReady", summary = "Whether a model is ready: it is, once it exists",
            description = "Loads the model, so that its first inference does not.")
    public ModelReady modelReady(@Parameter(description = NAME, example = "learn-mul") @PathVariable String name) {
        return new ModelReady(inference.model(name, null).document().name(), true);
    }

    @GetMapping(path = "/v2/models/{name}/versions/{version}/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "modelVersionReady", summary = "Whether a model version is ready: it is, once it exists")
    public ModelReady modelVersionReady(
            @Parameter(description = NAME, example = "learn-mul") @PathVariable String name,
            @Parameter(description = VERSION, schema = @Schema(type = "string", pattern = DIGITS, example = "1"))
            @PathVariable String version) {
        return new ModelReady(inference.model(name, version).document().name(), true);
    }

    @PostMapping(path = "/v2/models/{name}/infer", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "inferModel", summary = "Predict n rows in float64",
            description = "As POST /api/v1/models/{id}/predict, with its limits (max-predict-rows, the predict budget): "
                    + "from the exact formula when the model has one, else from its weights. A row whose output is not a "
                    + "finite number refuses the whole request (400).")
    public InferenceResponse infer(@Parameter(description = NAME, example = "learn-mul") @PathVariable String name,
                                   @RequestBody InferenceRequest request) {
        return inference.infer(name, null, request);
    }

    @PostMapping(path = "/v2/models/{name}/versions/{version}/infer", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "inferModelVersion", summary = "Predict n rows in float64 with a model version")
    public InferenceResponse inferVersion(
            @Parameter(description = NAME, example = "learn-mul") @PathVariable String name,
            @Parameter(description = VERSION, schema = @Schema(type = "string", pattern = DIGITS, example = "1"))
            @PathVariable String version,
            @RequestBody InferenceRequest request) {
        return inference.infer(name, version, request);
    }
}
