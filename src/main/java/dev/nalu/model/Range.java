package dev.nalu.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import dev.nalu.api.InvalidValueException;
import dev.nalu.task.Domain;

/**
 * A range as a request writes it: one interval {@code [lo, hi]}, or a union {@code [[lo, hi], [lo, hi], …]}.
 * Reading it checks the shape (arrays of two numbers) and nothing else; {@link Ranges} checks the bounds
 * against nalu.limits.* and makes it a {@link Domain}. The range keeps the form it was written in, so that a
 * problem names a bound where the client wrote it ({@code train[1]} of {@code [lo, hi]}, {@code train[0][1]}
 * of a union) and the range writes back as it came (the request's hash for Idempotency-Key).
 *
 * @param intervals the intervals in the order written
 * @param bare      written as {@code [lo, hi]} rather than {@code [[lo, hi]]}
 */
@JsonDeserialize(using = Range.Reader.class)
public record Range(List<Pair> intervals, boolean bare) {

    /** One interval as written, not yet checked: the bounds may be infinite (1e400), inverted or beyond a limit. */
    public record Pair(double lo, double hi) {
    }

    public Range {
        intervals = List.copyOf(intervals);
        if (intervals.isEmpty() || bare && intervals.size() != 1) {
            throw new IllegalArgumentException("a range has at least one interval, and a bare one exactly one");
        }
    }

    /** The domain as a request would write it: [lo, hi] for one interval, else the union. */
    public static Range of(Domain d) {
        return new Range(d.intervals().stream().map(i -> new Pair(i.lo(), i.hi())).toList(), d.intervals().size() == 1);
    }

    @JsonValue
    Object json() {
        List<List<Double>> lists = intervals.stream().map(i -> List.of(i.lo(), i.hi())).toList();
        return bare ? lists.get(0) : lists;
    }

    /** [lo, hi] (two numbers) or [[lo, hi], …]; anything else is an {@link InvalidValueException} naming where. */
    static final class Reader extends StdDeserializer<Range> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(Range.class);
        }

        @Override
        public Range deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return read(p, ctxt.readTree(p));
        }

        static Range read(JsonParser p, JsonNode node) throws InvalidValueException {
            if (isPair(node)) {
                return new Range(List.of(pair(p, node)), true);
            }
            if (!node.isArray() || node.isEmpty()) {
                throw new InvalidValueException(p, "must be a range [lo, hi] or a union [[lo, hi], …], got " + node);
            }
            List<Pair> intervals = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode n = node.get(i);
                if (!isPair(n)) {
                    throw InvalidValueException.at(p, i, "must be a range [lo, hi] of two numbers, got " + n);
                }
                try {
                    intervals.add(pair(p, n));
                } catch (InvalidValueException e) {
                    e.prependPath(null, i);
                    throw e;
                }
            }
            return new Range(intervals, false);
        }

        /** Two values, neither an array: the numbers of [lo, hi], once both are numbers. */
        static boolean isPair(JsonNode node) {
            return node.isArray() && node.size() == 2 && !node.get(0).isArray() && !node.get(1).isArray();
        }

        private static Pair pair(JsonParser p, JsonNode node) throws InvalidValueException {
            return new Pair(number(p, node, 0), number(p, node, 1));
        }

        private static double number(JsonParser p, JsonNode pair, int i) throws InvalidValueException {
            JsonNode v = pair.get(i);
            if (!v.isNumber()) {
                throw InvalidValueException.at(p, i, "must be a number, got " + v);
            }
            return v.doubleValue();
        }
    }
}
