package dev.nalu.api;

import java.util.Comparator;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

/**
 * Checks a request body's Bean Validation constraints (the plain bounds written on its record components, such
 * as {@code @Min(1)}) and refuses the first violation as a 400 /problems/invalid-field that names the field the
 * way every other problem does ({@code task.variables.a.train}, {@code model.layers[0].out}), with the detail
 * "field message".
 *
 * <p>The services that turn a request into what they run call this first (JobSpecs, the model service), so a
 * request is checked the same whether it came over HTTP or not, and its problem body is the one the checks that
 * follow would give (no list of errors: the first one, in the order of the fields' paths).
 */
public final class Constraints {
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private Constraints() {
    }

    public static void check(Object request) {
        Set<ConstraintViolation<Object>> violations = VALIDATOR.validate(request);
        violations.stream().map(v -> new Violation(field(v.getPropertyPath()), v.getMessage()))
                .min(Comparator.comparing(Violation::field).thenComparing(Violation::message))
                .ifPresent(v -> {
                    throw ApiException.invalid(v.field(), v.field() + " " + v.message());
                });
    }

    private record Violation(String field, String message) {
    }

    /** task.variables.a.train, model.layers[0].out: map keys as names, list positions in brackets. */
    static String field(Path path) {
        StringBuilder b = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    b.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    b.append('.').append(node.getKey());
                }
            }
            if (node.getName() != null && node.getKind() == ElementKind.PROPERTY) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(node.getName());
            }
        }
        return b.toString();
    }
}
