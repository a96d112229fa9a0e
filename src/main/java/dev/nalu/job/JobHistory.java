package dev.nalu.job;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A job's whole event history as one compact JSON document (GET /api/v1/jobs/{id}/history), for a page that
 * draws it: each progress report as one row of numbers ({@link #COLUMNS}, then each extrapolation range's MSE
 * and threshold), every other event as the stream sends it ({@code {"id", "event", "data"}}), and the last
 * event's id, from which the event stream continues with nothing missed and nothing twice. The event stream
 * sends each report as an SSE event with its whole JSON object; this sends it as a row of numbers, and a
 * browser parses the whole history in one JSON.parse.
 *
 * <p>Bounded: the events are read {@value #CHUNK} at a time (by id, as the event stream reads them) and
 * written as they are read, so a request holds one chunk whatever the history's length; a report's numbers
 * are copied as the text stored (never re-formatted), so they read back to the same float64.
 */
@Component
public class JobHistory {
    /** Events per read of the database. */
    static final int CHUNK = 1000;
    private static final String PROGRESS = "progress";
    /** The row of a progress report, before each extrapolation range's MSE and threshold. */
    public static final List<String> COLUMNS = List.of("id", "step", "time", "loss", "validationMse",
            "membersSucceeded", "population", "bestMember");
    private static final int ID = 0;
    private static final int TIME = 2;

    private final JobStore store;
    private final JsonFactory factory;

    public JobHistory(JobStore store, ObjectMapper json) {
        this.store = store;
        this.factory = json.getFactory();
    }

    /** The document {@link #write} writes, as /v3/api-docs describes it. */
    @Schema(name = "JobHistory", requiredProperties = {"jobId", "columns", "progress", "ranges", "events", "lastEventId"})
    public record Document(
            long jobId,
            @Schema(description = "What each progress row holds first, in order (time: milliseconds since 1970, null "
                    + "for a report without one); then the MSE and the threshold of each range of `ranges`, in turn")
            List<String> columns,
            @ArraySchema(arraySchema = @Schema(description = "Every progress "
                    + "report, oldest first, as a row of numbers (null where the report has no finite value)"))
            List<List<Double>> progress,
            @Schema(description = "The extrapolation ranges of the reports, as text (the first report's)") List<String> ranges,
            @ArraySchema(schema = @Schema(ref = JobOpenApiConfiguration.JOB_EVENT),
                    arraySchema = @Schema(description = "The other events (state, completed, failed, cancelled), oldest first"))
            List<JsonNode> events,
            @Schema(types = {"integer", "null"}, format = "int64", description = "The last event's id, included above "
                    + "(null: none yet); GET /events with it as Last-Event-ID continues after it")
            Long lastEventId) {
    }

    /**
     * Writes the history of job {@code jobId} up to its last event when it is asked: the progress reports as
     * rows, then the other events, each in id order.
     */
    public void write(long jobId, OutputStream stream) throws IOException {
        long last = store.lastEventId(jobId);
        try (JsonGenerator out = factory.createGenerator(stream, JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeNumberField("jobId", jobId);
            out.writeArrayFieldStart("columns");
            for (String c : COLUMNS) {
                out.writeString(c);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("progress");
            List<String> ranges = null;
            long after = 0;
            List<JobStore.Event> chunk;
            do {
                chunk = store.events(jobId, PROGRESS, true, after, last, CHUNK);
                for (JobStore.Event e : chunk) {
                    List<String> named = progressRow(out, e);
                    if (ranges == null) {
                        ranges = named;
                    }
                    after = e.id();
                }
            } while (chunk.size() == CHUNK);
            out.writeEndArray();
            out.writeArrayFieldStart("ranges");
            for (String r : ranges == null ? List.<String>of() : ranges) {
                out.writeString(r);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("events");
            after = 0;
            do {
                chunk = store.events(jobId, PROGRESS, false, after, last, CHUNK);
                for (JobStore.Event e : chunk) {
                    out.writeStartObject();
                    out.writeNumberField("id", e.id());
                    out.writeStringField("event", e.type());
                    out.writeFieldName("data");
                    out.writeRawValue(e.data());
                    out.writeEndObject();
                    after = e.id();
                }
            } while (chunk.size() == CHUNK);
            out.writeEndArray();
            if (last == 0) {
                out.writeNullField("lastEventId");
            } else {
                out.writeNumberField("lastEventId", last);
            }
            out.writeEndObject();
        }
    }

    /**
     * One progress report as a row: its id, then {@link #COLUMNS}' figures (null where it has none; time as
     * milliseconds since 1970), then MSE and threshold of each extrapolation range; returns the ranges' names.
     */
    private List<String> progressRow(JsonGenerator out, JobStore.Event e) throws IOException {
        String[] fixed = new String[COLUMNS.size()];
        fixed[ID] = Long.toString(e.id());
        List<String> names = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        try (JsonParser p = factory.createParser(e.data())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("progress event " + e.id() + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int column = COLUMNS.indexOf(name);
                if (column > ID && column != TIME) {
                    fixed[column] = number(p, value);
                } else if (name.equals("time") && value == JsonToken.VALUE_STRING) {
                    fixed[TIME] = millis(p.getText());
                } else if (name.equals("extrapolation") && value == JsonToken.START_ARRAY) {
                    ranges(p, names, figures);
                } else {
                    p.skipChildren();
                }
            }
        }
        out.writeStartArray();
        for (String f : fixed) {
            writeNumber(out, f);
        }
        for (String f : figures) {
            writeNumber(out, f);
        }
        out.writeEndArray();
        return names;
    }

    /** The extrapolation array: each range's name, and its MSE and threshold as a pair of figures. */
    private static void ranges(JsonParser p, List<String> names, List<String> figures) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String range = null;
            String mse = null;
            String threshold = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "range" -> range = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "mse" -> mse = number(p, value);
                    case "threshold" -> threshold = number(p, value);
                    default -> p.skipChildren();
                }
            }
            names.add(range == null ? "range " + (names.size() + 1) : range);
            figures.add(mse);
            figures.add(threshold);
        }
    }

    /** A number's text as stored, or null (null, or anything that is not a number). */
    private static String number(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static String millis(String iso) {
        try {
            return Long.toString(Instant.parse(iso).toEpochMilli());
        } catch (DateTimeParseException ex) {
            return null;
        }
    }

    private static void writeNumber(JsonGenerator out, String text) throws IOException {
        if (text == null) {
            out.writeNull();
        } else {
            out.writeNumber(text);
        }
    }
}
