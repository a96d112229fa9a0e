package dev.nalu.security;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a caller may do. Each role includes the ones before it: {@code read} sees jobs, events, models
 * and presets and runs predict, evaluate and expressions; {@code train} also submits jobs and cancels or
 * deletes its own jobs and models; {@code admin} does everything (any job or model, import, tags and
 * aliases, keys).
 */
@io.swagger.v3.oas.annotations.media.Schema(name = "Role", enumAsRef = true)
public enum Role {
    READ, TRAIN, ADMIN;

    /** The Spring Security authority; the role hierarchy makes ADMIN imply TRAIN imply READ. */
    public String authority() {
        return "ROLE_" + name();
    }

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "read", "train" or "admin" (any case); null if it is none of them. */
    @JsonCreator
    public static Role parse(String text) {
        if (text == null) {
            return null;
        }
        return Arrays.stream(values()).filter(r -> r.json().equals(text.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElse(null);
    }
}
