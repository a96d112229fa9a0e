package dev.nalu.inference;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON objects of the Open Inference Protocol's HTTP/REST API (KServe V2), as docs/api.md restates them
 * ("Open Inference Protocol"), with the protocol's field names.
 */
public final class InferenceMessages {
    /** The only datatype the service reads and writes: IEEE 754 float64. */
    public static final String FP64 = "FP64";
    /** The one output tensor of every model. */
    public static final String OUTPUT = "y";

    private InferenceMessages() {
    }

    @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
            description = "Parameters as the protocol defines them: names with a string, number or boolean value. "
            + "The service reads none of them (a Triton client's binary_data flags included) and answers JSON.")
    public record Parameters() {
    }

    @Schema(description = "An inference request ($inference_request)", example = """
            {"id": "42", "inputs": [{"name": "a", "shape": [2], "datatype": "FP64", "data": [12345, 2]},
                                    {"name": "b", "shape": [2], "datatype": "FP64", "data": [678, 3]}]}""")
    public record InferenceRequest(
            @Schema(description = "Returned in the response when given") String id,
            @Schema(implementation = Parameters.class) Map<String, Object> parameters,
            @ArraySchema(arraySchema = @Schema(description = "One FP64 tensor per model input (GET /v2/models/{name} "
                    + "lists them), each of shape [n] or [n, 1] for a batch of n rows, all of the same shape"),
                    minItems = 1)
            @Schema(requiredMode = RequiredMode.REQUIRED)
            List<InferenceInputTensor> inputs,
            @ArraySchema(arraySchema = @Schema(description = "The outputs to return; there is one, y, returned "
                    + "when this is left out"))
            List<InferenceRequestedOutput> outputs) {
    }

    @Schema(description = "An input tensor of a request ($request_input)")
    public record InferenceInputTensor(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "A model input: one of the model's variables",
                    example = "a") String name,
            @ArraySchema(arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "[n] or [n, 1] for n rows", example = "[2]"),
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            List<Long> shape,
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = FP64, example = FP64) String datatype,
            @Schema(implementation = Parameters.class) Map<String, Object> parameters,
            @Schema(requiredMode = RequiredMode.REQUIRED, implementation = double[].class,
                    description = "The n values in row-major order: flat, or for shape [n, 1] also as n arrays of one "
                            + "value; finite numbers", example = "[12345, 2]")
            JsonNode data) {
    }

    @Schema(description = "An output the request asks for ($request_output)")
    public record InferenceRequestedOutput(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = OUTPUT, example = OUTPUT) String name,
            @Schema(implementation = Parameters.class) Map<String, Object> parameters) {
    }

    @Schema(description = "The answer to an inference request ($inference_response)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferenceResponse(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The name of the model that answered",
                    example = "learn-mul") @JsonProperty("model_name") String modelName,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Its version", example = "1")
            @JsonProperty("model_version") String modelVersion,
            @Schema(description = "The request's id, when it had one", example = "42") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "model_id: the model's id in /api/v1/models; "
                    + "answered_by: formula or network, as /api/v1 predict says; formula: the model's formula, if any",
                    example = "{\"model_id\": 1, \"answered_by\": \"formula\", \"formula\": \"y = a × b\"}")
            Map<String, Object> parameters,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<InferenceOutputTensor> outputs) {
    }

    @Schema(description = "An output tensor of a response ($response_output)")
    public record InferenceOutputTensor(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = OUTPUT) String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The inputs' shape", example = "[2]")
            long[] shape,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = FP64) String datatype,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "One finite number per row",
                    example = "[8369910.0, 6.0]") double[] data) {
    }

    @Schema(description = "A model's inputs and outputs ($metadata_model_response)")
    public record ModelMetadata(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "learn-mul") String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Versions of the name that "
                    + "/v2/models/{name}/versions/{version} answers, newest first (at most 100)", example = "[\"2\", \"1\"]")
            List<String> versions,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "nalu_json") String platform,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "One FP64 input per variable, in the model's "
                    + "input order, each of shape [-1]: n rows ([n, 1] is read too)") List<TensorMetadata> inputs,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "One FP64 output y of the inputs' shape")
            List<TensorMetadata> outputs) {
    }

    @Schema(description = "A tensor's name, datatype and shape, -1 for a dimension of any size ($metadata_tensor)")
    public record TensorMetadata(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "a") String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = FP64) String datatype,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "[-1]") long[] shape) {
    }

    @Schema(description = "The server ($metadata_server_response)")
    public record ServerMetadata(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "nalu-service") String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The service's version (its jar's "
                    + "Implementation-Version; \"development\" when run from classes)", example = "0.1.0-SNAPSHOT")
            String version,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Protocol extensions served: none")
            List<String> extensions) {
    }

    @Schema(description = "Whether the service is live ($live_server_response)")
    public record ServerLive(@Schema(requiredMode = RequiredMode.REQUIRED) boolean live) {
    }

    @Schema(description = "Whether the service is ready ($ready_server_response)")
    public record ServerReady(@Schema(requiredMode = RequiredMode.REQUIRED) boolean ready) {
    }

    @Schema(description = "Whether a model is ready ($ready_model_response)")
    public record ModelReady(@Schema(requiredMode = RequiredMode.REQUIRED, example = "learn-mul") String name,
                             @Schema(requiredMode = RequiredMode.REQUIRED) boolean ready) {
    }

    @Schema(description = "Every refusal on /v2: the protocol's error object ($inference_error_response)",
            example = "{\"error\": \"inputs[0].datatype is FP32; the model's inputs are FP64\"}")
    public record InferenceError(@Schema(requiredMode = RequiredMode.REQUIRED) String error) {
    }
}
