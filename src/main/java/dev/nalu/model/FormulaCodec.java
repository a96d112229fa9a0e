package dev.nalu.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.evaluation.Formula;

/**
 * A {@link Formula} as a JSON tree and back: {"input": 0}, {"constant": 1.0},
 * {"exactConstant": {"numerator": 1, "denominator": 4, "piPower": -1, "root": 1, "value": 0.07957747154594767}}
 * (1/(4π), {@link Formula.Exact}), {"sum": {"coefficients": [1, -1], "terms": […]}},
 * {"product": {"exponents": [1.0, -1.0], "factors": […], "absolute": false}}. An exact constant's value is
 * written for readers and checked on import: it must be the float64 of its form, to the bit, so a document cannot
 * give a symbol one value and compute with another.
 */
public final class FormulaCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Deeper trees than any snapped model of the allowed size are refused on import. */
    private static final int MAX_DEPTH = 64;

    private FormulaCodec() {
    }

    public static JsonNode write(Formula f) {
        ObjectNode node = NODES.objectNode();
        if (f instanceof Formula.Input in) {
            node.put("input", in.column());
        } else if (f instanceof Formula.Constant c && c.exact() != null) {
            Formula.Exact e = c.exact();
            ObjectNode exact = node.putObject("exactConstant");
            exact.put("numerator", e.numerator());
            exact.put("denominator", e.denominator());
            exact.put("piPower", e.piPower());
            exact.put("root", e.root());
            exact.put("value", e.value());
        } else if (f instanceof Formula.Constant c) {
            node.put("constant", c.value());
        } else if (f instanceof Formula.Sum s) {
            ObjectNode sum = node.putObject("sum");
            ArrayNode coefficients = sum.putArray("coefficients");
            s.coefficients().forEach(coefficients::add);
            ArrayNode terms = sum.putArray("terms");
            s.terms().forEach(t -> terms.add(write(t)));
        } else if (f instanceof Formula.Product p) {
            ObjectNode product = node.putObject("product");
            ArrayNode exponents = product.putArray("exponents");
            p.exponents().forEach(exponents::add);
            ArrayNode factors = product.putArray("factors");
            p.factors().forEach(t -> factors.add(write(t)));
            product.put("absolute", p.absolute());
        }
        return node;
    }

    /**
     * @param inputs the number of input columns the formula may read
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Formula read(JsonNode node, int inputs) {
        return read(node, inputs, "formula.tree", 0);
    }

    private static Formula read(JsonNode node, int inputs, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(at + " is nested deeper than " + MAX_DEPTH);
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException(at + " must be one of {\"input\": i}, {\"constant\": c}, {\"exactConstant\": …}, {\"sum\": …}, {\"product\": …}");
        }
        if (node.has("input")) {
            JsonNode i = node.get("input");
            if (!i.isInt() || i.asInt() < 0 || i.asInt() >= inputs) {
                throw new IllegalArgumentException(at + ".input must be an input column 0.." + (inputs - 1) + ", got " + i);
            }
            return new Formula.Input(i.asInt());
        }
        if (node.has("constant")) {
            return new Formula.Constant(finite(node.get("constant"), at + ".constant"));
        }
        if (node.has("exactConstant")) {
            return exactConstant(node.get("exactConstant"), at + ".exactConstant");
        }
        if (node.has("sum")) {
            JsonNode s = node.get("sum");
            List<Formula> terms = children(s.get("terms"), inputs, at + ".sum.terms", depth);
            JsonNode c = s.get("coefficients");
            if (c == null || !c.isArray() || c.size() != terms.size()) {
                throw new IllegalArgumentException(at + ".sum.coefficients must be integers, one per term");
            }
            List<Integer> coefficients = new ArrayList<>();
            for (JsonNode v : c) {
                if (!v.isInt()) {
                    throw new IllegalArgumentException(at + ".sum.coefficients must be integers, got " + v);
                }
                coefficients.add(v.asInt());
            }
            return new Formula.Sum(coefficients, terms);
        }
        if (node.has("product")) {
            JsonNode p = node.get("product");
            List<Formula> factors = children(p.get("factors"), inputs, at + ".product.factors", depth);
            JsonNode e = p.get("exponents");
            if (e == null || !e.isArray() || e.size() != factors.size()) {
                throw new IllegalArgumentException(at + ".product.exponents must be numbers, one per factor");
            }
            List<Double> exponents = new ArrayList<>();
            for (JsonNode v : e) {
                exponents.add(finite(v, at + ".product.exponents"));
            }
            JsonNode absolute = p.get("absolute");
            if (absolute == null || !absolute.isBoolean()) {
                throw new IllegalArgumentException(at + ".product.absolute must be true or false");
            }
            return new Formula.Product(exponents, factors, absolute.asBoolean());
        }
        throw new IllegalArgumentException(at + " must be one of {\"input\": i}, {\"constant\": c}, {\"exactConstant\": …}, {\"sum\": …}, {\"product\": …}");
    }

    private static Formula exactConstant(JsonNode e, String at) {
        if (e == null || !e.isObject()) {
            throw new IllegalArgumentException(at + " must be {\"numerator\": p, \"denominator\": q, \"piPower\": k, "
                    + "\"root\": r, \"value\": v}");
        }
        long p = integer(e.get("numerator"), at + ".numerator");
        long q = integer(e.get("denominator"), at + ".denominator");
        long k = integer(e.get("piPower"), at + ".piPower");
        long r = integer(e.get("root"), at + ".root");
        Formula.Exact exact;
        try {
            exact = new Formula.Exact(p, q, (int) Math.max(-100, Math.min(100, k)), (int) Math.max(-1, Math.min(1000, r)));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(at + ": " + ex.getMessage());
        }
        double value = finite(e.get("value"), at + ".value");
        if (Double.doubleToLongBits(value) != Double.doubleToLongBits(exact.value())) {
            throw new IllegalArgumentException(at + ".value must be the float64 of " + exact.text() + ", "
                    + exact.value() + ", got " + value);
        }
        return Formula.Constant.of(exact);
    }

    private static long integer(JsonNode v, String at) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(at + " must be an integer, got " + v);
        }
        return v.asLong();
    }

    /** The number of nodes of a tree ({@link Formula#complexity()}), or null if it is no formula tree. */
    public static Integer complexity(JsonNode tree) {
        if (tree == null || tree.isNull()) {
            return null;
        }
        try {
            return read(tree, Integer.MAX_VALUE).complexity();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<Formula> children(JsonNode array, int inputs, String at, int depth) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(at + " must be an array");
        }
        List<Formula> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(read(array.get(i), inputs, at + "[" + i + "]", depth + 1));
        }
        return out;
    }

    private static double finite(JsonNode v, String at) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new IllegalArgumentException(at + " must be a finite number, got " + v);
        }
        return v.doubleValue();
    }
}
