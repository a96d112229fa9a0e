package dev.nalu.job;

import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.nalu.api.ApiException;

/** The papers' experiments as job presets ({@link Presets}): what each fixes, for {@code "task": {"preset": …}}. */
@RestController
@RequestMapping(path = "/api/v1/presets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "presets", description = "The papers' experiments as ready-made jobs: submit {\"task\": {\"preset\": \"madsen-mul\"}}")
public class PresetController {

    @GetMapping
    @Operation(operationId = "listPresets", summary = "List the presets",
            description = "Each preset with its protocol, title, source, the full job request it stands for "
                    + "(task, model, training), and the modules its benchmark compares (explicit layers to put in "
                    + "\"model\"). Submit one as {\"task\": {\"preset\": name}}; model and training fields in the "
                    + "request override the preset's.")
    public PresetList list(
            @Parameter(description = "identity, trask, madsen, primer, recurrent, running, counting or number-words") @RequestParam(required = false) String protocol) {
        if (protocol == null) {
            return new PresetList(Presets.all());
        }
        String p = protocol.trim().toLowerCase(Locale.ROOT);
        List<String> protocols = List.of(Presets.IDENTITY, Presets.TRASK, Presets.MADSEN, Presets.PRIMER,
                Presets.RECURRENT, Presets.RUNNING, Presets.COUNTING, Presets.NUMBER_WORDS);
        if (!protocols.contains(p)) {
            throw ApiException.invalid("protocol", "protocol must be one of " + protocols + ", got \"" + protocol + "\"");
        }
        return new PresetList(Presets.all().stream().filter(x -> x.protocol().equals(p)).toList());
    }

    @io.swagger.v3.oas.annotations.media.Schema(requiredProperties = "items")
    public record PresetList(List<Presets.Preset> items) {
    }

    @GetMapping("/{name}")
    @Operation(operationId = "getPreset", summary = "One preset")
    public Presets.Preset get(@PathVariable String name) {
        return Presets.find(name).orElseThrow(() -> ApiException.notFound("preset", name));
    }
}
