package dev.nalu.security;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.nalu.api.ApiException;
import dev.nalu.api.Paging;
import dev.nalu.config.LimitsProperties;

@RestController
@RequestMapping(path = "/api/v1/keys", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "keys", description = "API keys and their roles (admin only)")
public class KeyController {
    private final ApiKeys keys;
    private final LimitsProperties limits;

    public KeyController(ApiKeys keys, LimitsProperties limits) {
        this.keys = keys;
        this.limits = limits;
    }

    /** A new key's name, role and optional quota of its own (unset fields take the role's). */
    public record CreateKey(
            @Schema(example = "ci") @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]*") String name,
            @Schema(description = "read, train or admin", example = "train") @NotNull Role role,
            @Schema(description = "Jobs queued or running at once; 0 = no limit") @Min(0) Integer maxActiveJobs,
            @Schema(description = "Steps × population of one job; 0 = only the service's budget") @Min(0) Long maxMemberSteps,
            @Schema(description = "Requests per second on each replica; 0 = no limit") @Min(0) Integer requestsPerSecond) {
    }

    /** The key as made, with its secret: the only time the secret is shown. */
    @Schema(requiredProperties = {"id", "name", "role", "prefix", "key"})
    public record CreatedKey(long id, String name, Role role, String prefix,
                             @Schema(description = "The secret: send it as 'Authorization: Bearer <key>'. Shown only now.")
                             String key) {
    }

    @Schema(requiredProperties = {"items", "page", "size", "total"})
    public record KeyPage(List<ApiKeys.Key> items, int page, int size, long total) {
    }

    @PostMapping
    @Operation(operationId = "createKey", summary = "Make an API key", description = "Answers 201 with the secret, shown this once; only its "
            + "SHA-256 is stored.")
    @ApiResponse(responseCode = "201", description = "The key, with its secret", headers = @Header(name = HttpHeaders.LOCATION,
            description = "The key's URL", schema = @Schema(type = "string")))
    public ResponseEntity<CreatedKey> create(@Valid @RequestBody CreateKey request) {
        ApiKeys.Created created = keys.create(request.name().strip(), request.role(), request.maxActiveJobs(),
                request.maxMemberSteps(), request.requestsPerSecond(), Callers.currentId());
        ApiKeys.Key k = created.key();
        return ResponseEntity.created(URI.create("/api/v1/keys/" + k.id()))
                .body(new CreatedKey(k.id(), k.name(), k.role(), k.prefix(), created.secret()));
    }

    @GetMapping
    @Operation(operationId = "listKeys", summary = "List API keys (never their secrets)")
    public KeyPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size, limits);
        return new KeyPage(keys.list(page, size), page, size, keys.count());
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getKey", summary = "One API key (never its secret)")
    public ApiKeys.Key get(@PathVariable long id) {
        return keys.find(id).orElseThrow(() -> ApiException.notFound("key", id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeKey", summary = "Revoke an API key", description = "Every replica refuses it from its next request on. "
            + "Revoking twice is fine; the key stays listed with its revokedAt.")
    public void revoke(@PathVariable long id) {
        keys.revoke(id);
    }
}
