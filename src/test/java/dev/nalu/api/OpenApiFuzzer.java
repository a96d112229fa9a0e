package dev.nalu.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Requests for every operation of an OpenAPI 3 document under one path prefix: first a value shaped by the
 * operation's schemas (parameters and request body, {@code $ref}s resolved, a branch of each oneOf/anyOf, enums,
 * and the document's examples where it has them), then, most of the time, mutated: wrong JSON types, extreme
 * numbers, huge and odd strings, deep nesting, missing and unknown fields, nulls, broken JSON, odd ids, odd
 * query parameters and headers.
 *
 * <p>Everything random comes from one {@link Random}, so a seed replays the same requests against a service that
 * answers the same. The fuzzer also learns from the answers ({@link #learn}): ids and names of resources that
 * exist, so that most requests reach the code behind a found resource rather than stop at 404, and bodies of
 * 2xx answers whose schema is also a request schema (an exported model is an importable one).
 */
final class OpenApiFuzzer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Share of requests sent as the schema shapes them, unmutated. */
    private static final double VALID_SHARE = 0.25;
    /**
     * Marks a spot in a JSON tree that is replaced by raw text after writing it (deep nesting, NaN, -0): the
     * marker and the number of the raw text in {@link #raws}.
     */
    private static final String RAW = "\u0000raw:";
    /** Marks where a body gets invalid UTF-8 bytes. */
    private static final String BAD_UTF8 = "\u0000bad-utf8";

    /**
     * Path ids a service must refuse gracefully: the edges of long, numbers Spring may still parse (hex, a
     * sign, Unicode digits), things that are not numbers at all, and path tricks. Each is written into the
     * path as it stands here (already percent-encoded where it has to be).
     */
    static final List<String> ODD_IDS = List.of("0", "-1", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "99999999999999999999999999", "abc", "%00", "..", "../", "..%2F", "%2e%2e",
            "1.5", "1e3", "0x10", "+7", "%20", "%D9%A3" /* Arabic-Indic digit three */, "null", "%25", "a%20b",
            "-0", "00000000000000000000001", "%F0%9F%98%80" /* an emoji */, "x".repeat(300));

    /** Extreme numbers: the double range's ends, subnormals, integers beyond long, negative zero. */
    private static final List<JsonNode> EXTREME_NUMBERS = List.of(
            DoubleNode.valueOf(1e308), DoubleNode.valueOf(-1e308), DoubleNode.valueOf(1e-320),
            DoubleNode.valueOf(Double.MIN_VALUE), DoubleNode.valueOf(Double.MAX_VALUE), DoubleNode.valueOf(-0.0),
            LongNode.valueOf(Long.MAX_VALUE), LongNode.valueOf(Long.MIN_VALUE), LongNode.valueOf(Integer.MAX_VALUE),
            LongNode.valueOf(Integer.MAX_VALUE + 1L), LongNode.valueOf(-1), LongNode.valueOf(0),
            BigIntegerNode.valueOf(new BigInteger("123456789012345678901234567890123456789")),
            BigIntegerNode.valueOf(BigInteger.TWO.pow(63)), DecimalNode.valueOf(new BigDecimal("1e400")),
            DecimalNode.valueOf(new BigDecimal("-1e-400")), DoubleNode.valueOf(1.5), DoubleNode.valueOf(0.1 + 0.2),
            TextNode.valueOf(RAW + "-0"), TextNode.valueOf(RAW + "NaN"), TextNode.valueOf(RAW + "-Infinity"));

    /** Short strings that break naive handling: controls, direction overrides, astral characters, path and SQL bits. */
    private static final List<String> ODD_STRINGS = List.of("", " ", "\u0000", "a\u0000b", "\u001b[31m", "\n\r\t",
            "\u202Eevil", "\uFEFF", "\u200B", "𝔞𝔟", "😀", "é", "ß", "İ", "..", "../../etc/passwd", "%00", "%s%n",
            "' OR 1=1 --", "<script>", "${jndi:ldap://x}", "null", "true", "0", "-1", "NaN", "Infinity", "1e308",
            "a * b", "sqrt(-1)", "1/0", "((((((((((a))))))))))", "a^a^a^a^a^a^a^a", "√√√√a", "a ÷ 0", "op:mul",
            "AUTO", "auto ", "NAU", "dense", "arithmetic", "madsen-mul", "float64", "sgd");

    /** Variable and map key names: ones the examples use, so generated maps often fit generated expressions. */
    private static final List<String> KEYS = List.of("a", "b", "c", "x", "y", "x1", "x10");

    record Parameter(String name, String in, JsonNode schema, boolean required) {
    }

    /**
     * One operation of the document.
     *
     * @param bodySchema    the request body's schema as written ($ref and all), or null
     * @param bodySchemaRef the name of the component that schema refers to, or null
     * @param examples      the request body's examples (named ones and the schema's own)
     * @param accept        the Accept header a client that follows the document sends
     * @param responseRefs  the component names of the 2xx responses' schemas
     */
    record Operation(String method, String path, List<Parameter> parameters, JsonNode bodySchema, String bodySchemaRef,
                     List<JsonNode> examples, String accept, List<String> responseRefs) {
        String key() {
            return method + " " + path;
        }

        boolean mutating() {
            return !method.equals("GET");
        }

        /** The path up to its first template, e.g. /api/v1/jobs for /api/v1/jobs/{id}/cancel. */
        String collection() {
            int i = path.indexOf("/{");
            return i < 0 ? path : path.substring(0, i);
        }
    }

    /**
     * A request ready to send. {@code target} is the raw path and query; {@code ids} the path parameters as
     * written into it; {@code mutation} says what was done to it ("valid" when nothing).
     */
    record Request(Operation operation, String target, Map<String, String> ids, Map<String, String> headers,
                   byte[] body, String mutation) {
        String describe() {
            StringBuilder b = new StringBuilder(operation.method()).append(' ').append(target);
            headers.forEach((k, v) -> b.append("\n  ").append(k).append(": ").append(abbreviate(v, 200)));
            if (body != null) {
                b.append("\n  body (").append(body.length).append(" bytes): ")
                        .append(abbreviate(new String(body, StandardCharsets.UTF_8), 1500));
            }
            return b.append("\n  mutation: ").append(mutation).toString();
        }
    }

    private final JsonNode document;
    private final Random random;
    private final List<Operation> operations = new ArrayList<>();
    /** Ids (or names) of resources the service answered for, by collection path. */
    private final Map<String, List<String>> known = new HashMap<>();
    /** Bodies of 2xx answers, by the component name of their schema: valid request bodies for that schema. */
    private final Map<String, List<JsonNode>> corpus = new HashMap<>();
    /** Adjusts valid bodies of an operation (by key), e.g. to keep training jobs short. */
    private final Map<String, UnaryOperator<JsonNode>> shapers = new HashMap<>();
    /** Raw texts of the request being made; a raw spot in {@link #EXTREME_NUMBERS} holds its text inline. */
    private final List<String> raws = new ArrayList<>();

    OpenApiFuzzer(JsonNode document, String prefix, Random random) {
        this.document = document;
        this.random = random;
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith(prefix)) {
                path.getValue().fields().forEachRemaining(op -> operations.add(operation(path.getKey(), op.getKey(), op.getValue())));
            }
        });
        operations.sort((a, b) -> a.key().compareTo(b.key()));
    }

    List<Operation> operations() {
        return operations;
    }

    /** Valid bodies of the operation {@code key} ("POST /api/v1/jobs") go through {@code shaper} before use. */
    void shape(String key, UnaryOperator<JsonNode> shaper) {
        shapers.put(key, shaper);
    }

    // ------------------------------------------------------------------ reading the document

    private Operation operation(String path, String method, JsonNode op) {
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            p = resolve(p);
            parameters.add(new Parameter(p.path("name").asText(), p.path("in").asText(), p.path("schema"),
                    p.path("required").asBoolean(false)));
        }
        JsonNode bodySchema = null;
        String bodyRef = null;
        List<JsonNode> examples = new ArrayList<>();
        JsonNode content = op.path("requestBody").path("content");
        JsonNode media = content.has("application/json") ? content.get("application/json")
                : content.size() > 0 ? content.elements().next() : null;
        if (media != null) {
            bodySchema = media.path("schema");
            bodyRef = refName(bodySchema);
            media.path("examples").forEach(e -> examples.add(resolve(e).path("value")));
            if (media.has("example")) {
                examples.add(media.get("example"));
            }
            JsonNode schema = resolve(bodySchema);
            if (schema.has("example")) {
                examples.add(schema.get("example"));
            }
        }
        String accept = "application/json";
        List<String> responseRefs = new ArrayList<>();
        var responses = op.path("responses").fields();
        while (responses.hasNext()) {
            var r = responses.next();
            if (r.getKey().startsWith("2")) {
                var types = resolve(r.getValue()).path("content").fields();
                while (types.hasNext()) {
                    var type = types.next();
                    if (!type.getKey().equals("*/*")) {
                        accept = type.getKey();
                    }
                    String ref = refName(type.getValue().path("schema"));
                    if (ref != null) {
                        responseRefs.add(ref);
                    }
                }
            }
        }
        return new Operation(method.toUpperCase(), path, parameters, bodySchema, bodyRef, examples, accept, responseRefs);
    }

    private static String refName(JsonNode schema) {
        String ref = schema == null ? null : schema.path("$ref").asText(null);
        return ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }

    /**
     * The schema a {@code $ref} points at, with the referring schema's own keywords laid over it (springdoc
     * writes description, example and oneOf next to a $ref). A $ref to nothing is a defect of the document.
     */
    JsonNode resolve(JsonNode schema) {
        int hops = 0;
        while (schema != null && schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local $refs are supported, got " + ref);
            }
            JsonNode target = document.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalStateException("the OpenAPI document refers to " + ref + ", which it does not define");
            }
            ObjectNode merged = ((ObjectNode) target).deepCopy();
            schema.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("$ref")) {
                    merged.set(f.getKey(), f.getValue());
                }
            });
            schema = merged;
            if (++hops > 32) {
                throw new IllegalStateException("$ref cycle at " + ref);
            }
        }
        return schema;
    }

    /** Every $ref in the document, checked once at the start, so a dangling one fails fast with its name. */
    List<String> danglingRefs() {
        List<String> dangling = new ArrayList<>();
        collectRefs(document, dangling);
        return dangling;
    }

    private void collectRefs(JsonNode node, List<String> dangling) {
        if (node.isObject() && node.has("$ref") && node.get("$ref").isTextual()) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
                dangling.add(ref);
            }
        }
        node.forEach(child -> collectRefs(child, dangling));
    }

    // ------------------------------------------------------------------ learning from answers

    /** Remembers what a 2xx answer tells: ids and names of resources, and bodies usable as requests. */
    void learn(Request request, String location, JsonNode body) {
        Operation op = request.operation();
        if (location != null) {
            int slash = location.lastIndexOf('/');
            remember(location.substring(0, slash), location.substring(slash + 1));
        }
        if (body == null) {
            return;
        }
        // the path parameter of C/{p} names the field that identifies an item of collection C
        for (Operation other : operations) {
            for (Parameter p : other.parameters()) {
                if (p.in().equals("path") && op.path().startsWith(other.collection())) {
                    harvest(other.collection(), p.name(), body);
                }
            }
        }
        for (String ref : op.responseRefs()) {
            if (operations.stream().anyMatch(o -> ref.equals(o.bodySchemaRef()))) {
                List<JsonNode> bodies = corpus.computeIfAbsent(ref, k -> new ArrayList<>());
                if (bodies.size() < 32) {
                    bodies.add(body);
                } else {
                    bodies.set(random.nextInt(bodies.size()), body);
                }
            }
        }
    }

    private void harvest(String collection, String field, JsonNode body) {
        if (body.isObject() && body.path(field).isValueNode()) {
            remember(collection, body.get(field).asText());
        }
        body.path("items").forEach(item -> {
            if (item.path(field).isValueNode()) {
                remember(collection, item.get(field).asText());
            }
        });
    }

    /** Remembers an id (or name) of the collection, as if the service had answered with it. */
    void remember(String collection, String id) {
        List<String> ids = known.computeIfAbsent(collection, k -> new ArrayList<>());
        if (!ids.contains(id)) {
            ids.add(id);
            if (ids.size() > 64) {
                ids.remove(0);
            }
        }
    }

    // ------------------------------------------------------------------ making requests

    Request next() {
        return request(operations.get(random.nextInt(operations.size())));
    }

    Request request(Operation op) {
        return request(op, random.nextDouble() < VALID_SHARE);
    }

    /** A request for {@code op}: as its schemas shape it if {@code valid}, else with one to three mutations. */
    Request request(Operation op, boolean valid) {
        raws.clear();
        List<String> mutations = new ArrayList<>();
        // where a mutation lands: the body when there is one (most of the time), else a parameter or a header
        int count = valid ? 0 : 1 + (random.nextInt(10) < 3 ? 1 + random.nextInt(2) : 0);
        int bodyMutations = 0;
        int paramMutations = 0;
        for (int i = 0; i < count; i++) {
            if (op.bodySchema() != null && random.nextInt(10) < 7) {
                bodyMutations++;
            } else {
                paramMutations++;
            }
        }

        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> query = new ArrayList<>();
        Parameter oddOne = paramMutations > 0 && !op.parameters().isEmpty()
                ? op.parameters().get(random.nextInt(op.parameters().size())) : null;
        for (Parameter p : op.parameters()) {
            boolean odd = p == oddOne;
            if (!odd && !p.required() && !p.in().equals("path") && random.nextBoolean()) {
                continue; // optional parameters come and go
            }
            String value = odd ? oddParameter(p, mutations) : validParameter(op, p);
            switch (p.in()) {
                case "path" -> ids.put(p.name(), value);
                case "query" -> query.add(encode(p.name()) + "=" + value);
                case "header" -> headers.put(p.name(), value);
                default -> {
                }
            }
        }
        // mutations beyond the one odd parameter: an unknown or repeated parameter, an odd Accept header
        for (int i = oddOne == null ? 0 : 1; i < paramMutations; i++) {
            oddRequestLine(query, headers, mutations);
        }

        String path = op.path();
        for (Map.Entry<String, String> id : ids.entrySet()) {
            path = path.replace("{" + id.getKey() + "}", id.getValue());
        }
        String target = query.isEmpty() ? path : path + "?" + String.join("&", query);
        headers.putIfAbsent("Accept", op.accept());

        byte[] body = null;
        if (op.bodySchema() != null) {
            JsonNode value = validBody(op, mutations, valid);
            String text = null;
            for (int i = 0; i < bodyMutations; i++) {
                if (text == null && random.nextInt(10) < 8) {
                    value = mutateTree(value, mutations);
                } else {
                    text = mutateText(text == null ? write(value) : text, headers, mutations);
                }
            }
            body = bytes(text == null ? write(value) : text);
            headers.putIfAbsent("Content-Type", "application/json");
        }
        return new Request(op, target, ids, headers, body, mutations.isEmpty() ? "valid" : String.join(", ", mutations));
    }

    private String validParameter(Operation op, Parameter p) {
        // the known ids are the collection's: the path parameter right after it (not a version of the item, say)
        if (p.in().equals("path") && op.path().startsWith(op.collection() + "/{" + p.name() + "}")) {
            List<String> ids = known.getOrDefault(op.collection(), List.of());
            // mostly an id the service gave out (often the newest), sometimes any
            if (!ids.isEmpty() && random.nextInt(10) < 8) {
                return encode(random.nextBoolean() ? ids.get(ids.size() - 1) : ids.get(random.nextInt(ids.size())));
            }
        }
        JsonNode value = generate(p.schema(), p.name(), 0);
        return encode(value.isTextual() ? value.asText() : value.toString());
    }

    /** A parameter value the schema does not allow, or one at its edges. */
    private String oddParameter(Parameter p, List<String> mutations) {
        mutations.add(p.in() + ":" + p.name());
        if (p.in().equals("path")) {
            return pick(ODD_IDS);
        }
        if (p.in().equals("header")) {
            // Latin-1 only: the client refuses anything else in a header, as HTTP/1.1 does
            return pick(List.of("", " ", "x".repeat(random.nextInt(2) == 0 ? 256 : 4000), "-1", "abc", "0",
                    "99999999999999999999", "é", "a\tb", "%00", "../", "1e308"));
        }
        return switch (random.nextInt(4)) {
            case 0 -> encode(pick(List.of("-1", "0", "2147483647", "2147483648", "-2147483649", "1e308", "1.5", "abc",
                    "", "NaN", "0x10", "+1", " 1", "١")));
            case 1 -> encode(pick(ODD_STRINGS));
            // already encoded: a NUL, a percent sign, an encoded slash, invalid UTF-8
            case 2 -> pick(List.of("%00", "%25", "%25zz", "a%2Fb", "..%2F..%2F", "%C3%28", "%FF", "%C0%AF"));
            default -> encode("ü€".repeat(1 + random.nextInt(300)));
        };
    }

    /** A query parameter the document does not know, a repeated one, or an odd Accept header. */
    private void oddRequestLine(List<String> query, Map<String, String> headers, List<String> mutations) {
        switch (random.nextInt(3)) {
            case 0 -> {
                mutations.add("query:unknown");
                query.add("unknown" + random.nextInt(10) + "=" + encode(pick(ODD_STRINGS)));
            }
            case 1 -> {
                mutations.add("query:repeated");
                query.add("page=1&page=-5&size=0&size=1000");
            }
            default -> {
                mutations.add("header:accept");
                headers.put("Accept", pick(List.of("text/html", "application/xml", "text/event-stream", "image/png",
                        "application/problem+json", "*/*;q=0", "garbage", "")));
            }
        }
    }

    private JsonNode validBody(Operation op, List<String> mutations, boolean valid) {
        JsonNode value;
        List<JsonNode> learned = op.bodySchemaRef() == null ? List.of() : corpus.getOrDefault(op.bodySchemaRef(), List.of());
        int from = random.nextInt(10);
        if (!learned.isEmpty() && from < 4) {
            value = pick(learned).deepCopy();
            if (valid) {
                mutations.add("valid (learned)");
            }
        } else if (!op.examples().isEmpty() && from < 7) {
            value = pick(op.examples()).deepCopy();
            if (valid) {
                mutations.add("valid (example)");
            }
        } else {
            value = generate(op.bodySchema(), "body", 0);
        }
        UnaryOperator<JsonNode> shaper = shapers.get(op.key());
        return shaper == null ? value : shaper.apply(value);
    }

    // ------------------------------------------------------------------ schema-shaped values

    /** A value the schema allows (as far as the schema says: it knows nothing of lo < hi). */
    JsonNode generate(JsonNode schema, String name, int depth) {
        schema = resolve(schema);
        if (schema == null || schema.isMissingNode()) {
            return anyValue(depth);
        }
        List<JsonNode> branches = new ArrayList<>();
        schema.path("oneOf").forEach(branches::add);
        schema.path("anyOf").forEach(branches::add);
        if (schema.has("example") && random.nextInt(branches.isEmpty() ? 2 : 3) == 0) {
            return schema.get("example").deepCopy();
        }
        if (!branches.isEmpty()) {
            return generate(pick(branches), name, depth + 1);
        }
        if (schema.has("enum")) {
            return pick(list(schema.get("enum"))).deepCopy();
        }
        if (schema.has("default") && random.nextInt(3) == 0) {
            return schema.get("default").deepCopy();
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : schema.has("items") ? "array" : "");
        if (depth > 8) {
            type = type.equals("object") || type.equals("array") ? type : "";
        }
        switch (type) {
            case "object": {
                ObjectNode o = NODES.objectNode();
                List<String> required = new ArrayList<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(p -> {
                    if (required.contains(p.getKey()) || random.nextInt(10) < 6) {
                        o.set(p.getKey(), generate(p.getValue(), p.getKey(), depth + 1));
                    }
                });
                JsonNode extra = schema.get("additionalProperties");
                if (extra != null && extra.isObject() && depth < 8) {
                    int n = 1 + random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        o.set(pick(KEYS), generate(extra, name, depth + 1));
                    }
                }
                return o;
            }
            case "array": {
                ArrayNode a = NODES.arrayNode();
                int min = schema.path("minItems").asInt(0);
                int n = depth > 8 ? min : min + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(generate(schema.path("items"), name, depth + 1));
                }
                return a;
            }
            case "string":
                return TextNode.valueOf(string(schema));
            case "integer": {
                long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
                long max = schema.has("maximum") ? schema.get("maximum").asLong() : min + 100;
                return LongNode.valueOf(random.nextInt(4) == 0 ? min : min + (long) (random.nextDouble() * (max - min + 1)));
            }
            case "number": {
                double min = schema.path("minimum").asDouble(0);
                double max = schema.path("maximum").asDouble(min + 10);
                return DoubleNode.valueOf(min + random.nextDouble() * (max - min));
            }
            case "boolean":
                return NODES.booleanNode(random.nextBoolean());
            default:
                return anyValue(depth);
        }
    }

    private String string(JsonNode schema) {
        if ("date-time".equals(schema.path("format").asText())) {
            return "2026-01-01T00:00:00Z";
        }
        int min = schema.path("minLength").asInt(1);
        int max = Math.max(min, Math.min(schema.path("maxLength").asInt(12), 12));
        int n = Math.max(1, min + random.nextInt(max - min + 1));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    /** A value for a schema that allows anything (springdoc's JsonNode): small and of any JSON type. */
    private JsonNode anyValue(int depth) {
        return switch (random.nextInt(depth > 4 ? 4 : 6)) {
            case 0 -> LongNode.valueOf(random.nextInt(10));
            case 1 -> DoubleNode.valueOf(random.nextDouble() * 10);
            case 2 -> TextNode.valueOf(pick(KEYS));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> {
                ArrayNode a = NODES.arrayNode();
                a.add(random.nextInt(5));
                a.add(5 + random.nextInt(5));
                yield random.nextBoolean() ? a : NODES.arrayNode().add(a);
            }
            default -> NODES.objectNode().set(pick(KEYS), anyValue(depth + 1));
        };
    }

    // ------------------------------------------------------------------ mutations

    /** One mutation at a random spot of the tree (the root included). */
    private JsonNode mutateTree(JsonNode root, List<String> mutations) {
        List<Spot> spots = new ArrayList<>();
        spots.add(new Spot(null, null, -1, root));
        collect(root, spots);
        Spot spot = pick(spots);
        int kind = random.nextInt(12);
        // removing and adding fields only make sense on objects; fall back to replacing the value
        if (kind == 0 && spot.parent() instanceof ObjectNode parent) {
            mutations.add("missing " + spot.field());
            parent.remove(spot.field());
            return root;
        }
        if (kind == 1 && spot.value() instanceof ObjectNode o) {
            mutations.add("unknown field");
            o.set(random.nextBoolean() ? "unexpected" : pick(List.of("id", "__proto__", "constructor", "$ref", "")),
                    anyValue(0));
            return root;
        }
        JsonNode replacement;
        String what;
        switch (kind) {
            case 2, 3 -> {
                what = "extreme number";
                replacement = pick(EXTREME_NUMBERS);
            }
            case 4 -> {
                what = "wrong type";
                replacement = wrongType(spot.value());
            }
            case 5 -> {
                what = "null";
                replacement = NODES.nullNode();
            }
            case 6 -> {
                what = "huge string";
                replacement = TextNode.valueOf(hugeString());
            }
            case 7 -> {
                what = "odd string";
                replacement = TextNode.valueOf(pick(ODD_STRINGS));
            }
            case 8 -> {
                what = "deep nesting";
                // raw text, written after the tree: a JSON writer would recurse as deep as the nesting
                int depth = pick(List.of(64, 999, 1001, 5000, 100_000));
                raws.add(random.nextBoolean() ? "[".repeat(depth) + "1" + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
                replacement = TextNode.valueOf(RAW + "#" + (raws.size() - 1));
            }
            case 9 -> {
                what = "huge array";
                ArrayNode a = NODES.arrayNode();
                JsonNode item = spot.value().isArray() && !spot.value().isEmpty() ? spot.value().get(0) : LongNode.valueOf(1);
                int n = pick(List.of(1000, 10_001, 100_000));
                // an item that is itself huge (an earlier mutation's array or string) would make n × its size:
                // 100,000 × a megabyte is past what a Java string can hold; 20 MB is far past every body limit
                n = (int) Math.min(n, Math.max(1, 20_000_000L / Math.max(1, write(item).length())));
                for (int i = 0; i < n; i++) {
                    a.add(item);
                }
                replacement = a;
            }
            case 10 -> {
                what = "empty";
                replacement = spot.value().isArray() ? NODES.arrayNode() : spot.value().isObject() ? NODES.objectNode()
                        : random.nextBoolean() ? NODES.arrayNode() : NODES.objectNode();
            }
            default -> {
                what = "odd number";
                replacement = pick(List.of(LongNode.valueOf(0), LongNode.valueOf(-1), DoubleNode.valueOf(-0.0),
                        DoubleNode.valueOf(1e-9), DoubleNode.valueOf(1e12), DoubleNode.valueOf(1e12 + 1),
                        DoubleNode.valueOf(-1e12), LongNode.valueOf(1_000_000), LongNode.valueOf(1_000_001),
                        LongNode.valueOf(256), LongNode.valueOf(257), LongNode.valueOf(32), LongNode.valueOf(33)));
            }
        }
        mutations.add(what + (spot.field() != null ? " at " + spot.field() : spot.index() >= 0 ? " at [" + spot.index() + "]" : " as body"));
        if (spot.parent() == null) {
            return replacement;
        }
        if (spot.parent() instanceof ObjectNode o) {
            o.set(spot.field(), replacement);
        } else {
            ((ArrayNode) spot.parent()).set(spot.index(), replacement);
        }
        return root;
    }

    private record Spot(JsonNode parent, String field, int index, JsonNode value) {
    }

    private static void collect(JsonNode node, List<Spot> spots) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                spots.add(new Spot(node, f.getKey(), -1, f.getValue()));
                collect(f.getValue(), spots);
            });
        } else if (node.isArray() && node.size() <= HUGE_ARRAY) {
            // a huge array (a mutation's) is a spot as a whole but not inside: its elements are one node many times,
            // and a mutation inside would be repeated in every one of them
            for (int i = 0; i < node.size(); i++) {
                spots.add(new Spot(node, null, i, node.get(i)));
                collect(node.get(i), spots);
            }
        }
    }

    /** Arrays longer than this are not mutated inside (see {@link #collect}). */
    private static final int HUGE_ARRAY = 999;

    private JsonNode wrongType(JsonNode value) {
        List<JsonNode> others = new ArrayList<>(List.of(TextNode.valueOf("x"), LongNode.valueOf(1), DoubleNode.valueOf(0.5),
                NODES.booleanNode(true), NODES.arrayNode().add(1), NODES.objectNode().put("x", 1)));
        others.removeIf(o -> o.getNodeType() == value.getNodeType() && o.isIntegralNumber() == value.isIntegralNumber());
        if (value.isTextual() && !value.asText().isEmpty()) {
            others.add(NODES.arrayNode().add(value)); // "a" → ["a"]
        }
        return pick(others);
    }

    /** 100 KB of one kind of trouble: plain, astral Unicode, control characters, or a mix. */
    private String hugeString() {
        int n = 100 * 1024;
        StringBuilder b = new StringBuilder(n + 8);
        int kind = random.nextInt(4);
        while (b.length() < n) {
            switch (kind) {
                case 0 -> b.append('a');
                case 1 -> b.append("𝔞é中😀\u0301");
                case 2 -> b.append((char) random.nextInt(0x20));
                default -> b.appendCodePoint(1 + random.nextInt(0x2FFFF));
            }
        }
        return b.toString(); // lone surrogates among them become '?' in UTF-8, as from a careless client
    }

    /** Mutations of the body as text (broken JSON) or of how it is declared (Content-Type). */
    private String mutateText(String text, Map<String, String> headers, List<String> mutations) {
        switch (random.nextInt(9)) {
            case 0 -> {
                mutations.add("truncated JSON");
                return text.substring(0, random.nextInt(Math.max(1, text.length())));
            }
            case 1 -> {
                mutations.add("empty body");
                return "";
            }
            case 2 -> {
                mutations.add("not JSON");
                return pick(List.of("hello", "<xml/>", "{'single': 'quotes'}", "{\"a\":1,}", "[1,2", "\u0000", "{}{}",
                        "null", "true", "\"a string\"", "42", "[]", "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": 01}",
                        "{\"a\": .5}", "{\"a\": 0x10}", "{\"a\":\"\\ud800\"}", "{\"a\": \"\\u00\"}", "// comment\n{}"));
            }
            case 3 -> {
                mutations.add("trailing garbage");
                return text + pick(List.of("}", "]", "{}", ",", " x", "\u0000"));
            }
            case 4 -> {
                mutations.add("duplicate keys");
                return text.startsWith("{") && text.length() > 2 ? "{\"name\": 1, " + text.substring(1) : "{\"a\":1,\"a\":2}";
            }
            case 5 -> {
                mutations.add("over 1 MB");
                return text + " ".repeat(1024 * 1024 + 1);
            }
            case 6 -> {
                // inside the first string, where a lenient decoder would let it through to the code
                mutations.add("invalid UTF-8");
                int quote = text.indexOf('"');
                return quote < 0 ? "\"" + BAD_UTF8 + "\"" : text.substring(0, quote + 1) + BAD_UTF8 + text.substring(quote + 1);
            }
            default -> {
                mutations.add("content type");
                headers.put("Content-Type", pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", "application/json; charset=nope",
                        "application/merge-patch+json", "*/*", "garbage", "")));
                return text;
            }
        }
    }

    /** The text as UTF-8, except where a mutation asked for invalid UTF-8 (a broken pair, a lone continuation byte, an overlong '/'). */
    private static byte[] bytes(String text) {
        int at = text.indexOf(BAD_UTF8);
        if (at < 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = text.substring(at + BAD_UTF8.length()).getBytes(StandardCharsets.UTF_8);
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0x80, (byte) 0xC0, (byte) 0xAF};
        byte[] out = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(bad, 0, out, head.length, bad.length);
        System.arraycopy(tail, 0, out, head.length + bad.length, tail.length);
        return out;
    }

    /** The tree as JSON, with the raw spots ({@link #RAW}) written as their raw text. */
    private String write(JsonNode value) {
        try {
            String text = JSON.writeValueAsString(value);
            String marker = "\"\\u0000raw:";
            int at;
            while ((at = text.indexOf(marker)) >= 0) {
                int end = text.indexOf('"', at + marker.length());
                String raw = text.substring(at + marker.length(), end);
                if (raw.startsWith("#")) {
                    raw = raws.get(Integer.parseInt(raw.substring(1)));
                }
                text = text.substring(0, at) + raw + text.substring(end + 1);
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        Iterator<JsonNode> it = array.elements();
        it.forEachRemaining(out::add);
        return out;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String abbreviate(String s, int max) {
        String shown = s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " characters)";
        StringBuilder b = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (c < 0x20 && c != '\n') {
                b.append(String.format("\\u%04x", c));
            } else {
                b.append(Character.toChars(c));
            }
        });
        return b.toString();
    }
}
