package dev.nalu.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * A list of ranges as a request writes it (extrapolation ranges, evaluate's ranges): {@code [[lo, hi], …]},
 * one range each, where a union is written {@code [[[lo, hi], [lo, hi]]]}, or a single {@code [lo, hi]}
 * that stands for {@code [[lo, hi]]}. Like {@link Range}, reading checks the shape only and the list keeps
 * the form it was written in.
 *
 * @param bare written as one {@code [lo, hi]}
 */
@JsonDeserialize(using = RangeList.Reader.class)
public record RangeList(List<Range> ranges, boolean bare) {

    public RangeList {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty() || bare && !(ranges.size() == 1 && ranges.get(0).bare())) {
            throw new IllegalArgumentException("a list of ranges has at least one, and a bare one is one [lo, hi]");
        }
    }

    /** The domains as a request would write them, one range each. */
    public static RangeList of(Domain... domains) {
        return new RangeList(Arrays.stream(domains).map(Range::of).toList(), false);
    }

    @JsonValue
    Object json() {
        return bare ? ranges.get(0) : ranges;
    }

    static final class Reader extends StdDeserializer<RangeList> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(RangeList.class);
        }

        @Override
        public RangeList deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            if (Range.Reader.isPair(node)) {
                return new RangeList(List.of(Range.Reader.read(p, node)), true);
            }
            if (!node.isArray() || node.isEmpty()) {
                throw new InvalidValueException(p, "must be a list of ranges [[lo, hi], …], got " + node);
            }
            List<Range> ranges = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isNull()) {
                    throw InvalidValueException.at(p, i, "is required: a range [lo, hi]");
                }
                try {
                    ranges.add(Range.Reader.read(p, node.get(i)));
                } catch (InvalidValueException e) {
                    e.prependPath(null, i);
                    throw e;
                }
            }
            return new RangeList(ranges, false);
        }
    }
}
