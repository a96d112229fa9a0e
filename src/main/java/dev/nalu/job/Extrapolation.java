package dev.nalu.job;

import java.io.IOException;

import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import dev.nalu.model.RangeList;

/**
 * Where a job is tested beyond its training data, as a request writes {@code task.extrapolation}: ranges
 * ({@link RangeList}: {@code [[[lo, hi]], …]} or a shorthand) for an expression or arithmetic task, or a held-out
 * dataset {@code {"dataset": "<id>"}} for a dataset task. Read by the shape of the JSON value: an object is a
 * dataset reference, anything else is read as ranges (with their own messages).
 *
 * @param ranges  the ranges, or null
 * @param dataset the held-out dataset, or null
 */
@JsonDeserialize(using = Extrapolation.Reader.class)
public record Extrapolation(RangeList ranges, HeldOut dataset) {

    public static Extrapolation of(RangeList ranges) {
        return new Extrapolation(ranges, null);
    }

    /** A held-out dataset: rows the model is scored on and never trains, selects or stops on. */
    @Schema(name = "HeldOutDataset", requiredProperties = "dataset")
    public record HeldOut(@Schema(description = "Id of an uploaded dataset with the same input and target columns",
            example = "7") String dataset) {
    }

    @JsonValue
    Object json() {
        return ranges != null ? ranges : dataset;
    }

    static final class Reader extends StdDeserializer<Extrapolation> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(Extrapolation.class);
        }

        @Override
        public Extrapolation deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                return new Extrapolation(null, ctxt.readValue(p, HeldOut.class));
            }
            return new Extrapolation(ctxt.readValue(p, RangeList.class), null);
        }
    }
}
