package dev.nalu.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a snapped model computes, as a formula over the task's variables. It evaluates exactly
 * in float64 at any range (no ε inside logarithms, no saturating functions), and renders in
 * the task's names: {@code y = a × b}, {@code y = (x0+…+x24) × (x12+…+x36)}.
 */
public sealed interface Formula {
    double evaluate(double[] x);

    /** Text of this formula; {@code grouped} asks for parentheses around sums of several terms. */
    String render(List<String> names, boolean grouped);

    /**
     * The number of nodes of this formula as a tree: 1 for an input, 1 for a constant (a plain float or an exact
     * form such as 1/(4π)), and 1 for each sum or product, plus the nodes of its terms or factors. Coefficients and
     * exponents belong to their sum or product and add nothing. y = a is 1, y = a × b and y = a ÷ b are 3,
     * y = (3/5) × a² is 3, y = a × b + c is 5. A sub-formula used twice counts twice (it is written twice).
     * Capped at Integer.MAX_VALUE. The search serves the simplest formula within tolerance by this count.
     */
    default int complexity() {
        return (int) count(this, f -> 1, new java.util.IdentityHashMap<>());
    }

    /** How many constants of this formula (counted as in the tree) are plain floats that are not integers. */
    default int approximateConstants() {
        return (int) count(this, f -> f instanceof Constant c && c.approximate() ? 1 : 0, new java.util.IdentityHashMap<>());
    }

    /**
     * Σ own(node) over the tree's nodes, once per shared node (a layer's outputs feed several units): linear in the
     * formula's size in memory, though its tree may be far larger. Capped at Integer.MAX_VALUE.
     */
    private static long count(Formula f, java.util.function.ToLongFunction<Formula> own,
                              java.util.Map<Formula, Long> seen) {
        Long known = seen.get(f);
        if (known != null) {
            return known;
        }
        long n = own.applyAsLong(f);
        for (Formula c : f.children()) {
            n = Math.min(Integer.MAX_VALUE, n + count(c, own, seen));
        }
        seen.put(f, n);
        return n;
    }

    /** The terms of a sum, the factors of a product; none for inputs and constants. */
    default List<Formula> children() {
        if (this instanceof Sum s) {
            return s.terms();
        }
        if (this instanceof Product p) {
            return p.factors();
        }
        return List.of();
    }

    /** One input column. */
    record Input(int column) implements Formula {
        public double evaluate(double[] x) {
            return x[column];
        }

        public String render(List<String> names, boolean grouped) {
            return names.get(column);
        }
    }

    /**
     * A constant: a plain float (an empty product's 1, or a learned value that has no exact form), or an exact
     * form ({@link Exact}: 3/5, 1/(4π), √2) whose value is the float64 of that form, computed as its Java rendering
     * computes it. A plain float that is not an integer renders with a leading {@value #APPROXIMATE} ("≈0.41372915"):
     * the formula says that this number is a measured float, not a known constant.
     *
     * @param exact the exact form, or null for a plain float
     */
    record Constant(double value, Exact exact) implements Formula {
        /** The marker before a plain, non-integer float in the text rendering. */
        public static final String APPROXIMATE = "≈";

        public Constant {
            if (exact != null) {
                value = exact.value();
            }
        }

        /** A plain float, rendered as a number. */
        public Constant(double value) {
            this(value, null);
        }

        public static Constant of(Exact exact) {
            return new Constant(exact.value(), exact);
        }

        /** Whether this is a plain float that is not an integer: a number no exact form was found for. */
        public boolean approximate() {
            return exact == null && value != Math.rint(value);
        }

        public double evaluate(double[] x) {
            return value;
        }

        public String render(List<String> names, boolean grouped) {
            if (exact != null) {
                String t = exact.text();
                return grouped && exact.compound() ? "(" + t + ")" : t;
            }
            if (value == Math.rint(value)) {
                return Long.toString((long) value);
            }
            String t = APPROXIMATE + Double.toString(value).replace('-', '−');
            return grouped && value < 0 ? "(" + t + ")" : t;
        }
    }

    /**
     * An exact constant, (numerator/denominator) · π^piPower · √root: 3/5, 1/(4π), 8π/3, √2, 3√2/5. The fraction is
     * in lowest terms with a positive denominator; piPower is −2..2; root is 1 (none) or a square-free integer
     * from {@link ExactConstants#ROOTS}. Its {@link #value()} is the float64 its Java rendering computes: the
     * numerator's factors multiplied left to right (|numerator|, π per positive power, Math.sqrt(root)), divided by
     * the denominator's (denominator, π per negative power), then the sign: 1/(4π) is {@code 1.0 / (4.0 * Math.PI)}.
     */
    record Exact(long numerator, long denominator, int piPower, int root) {
        public Exact {
            if (denominator < 1 || numerator > ExactConstants.MAX_NUMERATOR || numerator < -ExactConstants.MAX_NUMERATOR
                    || denominator > ExactConstants.MAX_DENOMINATOR) {
                throw new IllegalArgumentException("an exact constant's fraction must have a denominator 1.."
                        + ExactConstants.MAX_DENOMINATOR + " and a numerator of at most " + ExactConstants.MAX_NUMERATOR
                        + " in magnitude, got " + numerator + "/" + denominator);
            }
            if (gcd(Math.abs(numerator), denominator) != 1 && numerator != 0 || numerator == 0 && denominator != 1) {
                throw new IllegalArgumentException("an exact constant's fraction must be in lowest terms, got "
                        + numerator + "/" + denominator);
            }
            if (Math.abs(piPower) > ExactConstants.MAX_PI_POWER) {
                throw new IllegalArgumentException("an exact constant's power of π must be −" + ExactConstants.MAX_PI_POWER
                        + ".." + ExactConstants.MAX_PI_POWER + ", got " + piPower);
            }
            if (root != 1 && !ExactConstants.ROOTS.contains(root)) {
                throw new IllegalArgumentException("an exact constant's root must be 1 or one of " + ExactConstants.ROOTS
                        + ", got " + root);
            }
            if (numerator == 0 && (piPower != 0 || root != 1)) {
                throw new IllegalArgumentException("the exact constant 0 has no power of π and no root");
            }
        }

        /** An integer. */
        public static Exact of(long n) {
            return new Exact(n, 1, 0, 1);
        }

        static long gcd(long a, long b) {
            while (b != 0) {
                long t = a % b;
                a = b;
                b = t;
            }
            return a;
        }

        /** The float64 of this form, computed as {@link #java()} computes it. */
        public double value() {
            double num = fold(numeratorFactors());
            List<Double> den = denominatorFactors();
            double v = den.isEmpty() ? num : num / fold(den);
            return numerator < 0 ? -v : v;
        }

        private static double fold(List<Double> factors) {
            double v = factors.get(0);
            for (int i = 1; i < factors.size(); i++) {
                v *= factors.get(i);
            }
            return v;
        }

        /** The numerator's factors in order: |numerator| (unless it is 1 and others follow), π…, √root. */
        private List<Double> numeratorFactors() {
            List<Double> f = new ArrayList<>();
            long p = Math.abs(numerator);
            boolean others = piPower > 0 || root != 1;
            if (p != 1 || !others) {
                f.add((double) p);
            }
            for (int i = 0; i < piPower; i++) {
                f.add(Math.PI);
            }
            if (root != 1) {
                f.add(Math.sqrt(root));
            }
            return f;
        }

        private List<Double> denominatorFactors() {
            List<Double> f = new ArrayList<>();
            if (denominator != 1) {
                f.add((double) denominator);
            }
            for (int i = 0; i < -piPower; i++) {
                f.add(Math.PI);
            }
            return f;
        }

        /** Whether this is more than one number or symbol (a fraction, a product, a sign): it needs parentheses as an operand. */
        public boolean compound() {
            int parts = (Math.abs(numerator) != 1 ? 1 : 0) + (piPower != 0 ? 1 : 0) + (root != 1 ? 1 : 0)
                    + (denominator != 1 ? 1 : 0);
            return numerator < 0 || parts > 1 || piPower < 0;
        }

        /** How many numbers and symbols it is written with: 3 → 1, 3/5 → 2, √2 → 1, 1/(4π) → 3 (the 1, 4 and π). */
        public int symbols() {
            long p = Math.abs(numerator);
            boolean others = piPower > 0 || root != 1;
            return (p != 1 || !others ? 1 : 0) + (denominator != 1 ? 1 : 0) + Math.abs(piPower) + (root != 1 ? 1 : 0);
        }

        /** "3/5", "−3/5", "1/(4π)", "8π/3", "π²", "3√2/5". */
        public String text() {
            long p = Math.abs(numerator);
            String pi = piText(piPower);
            String sqrt = root == 1 ? "" : "√" + root;
            String num = (p == 1 && !(pi.isEmpty() && sqrt.isEmpty()) ? "" : Long.toString(p)) + pi + sqrt;
            String den = (denominator == 1 ? "" : Long.toString(denominator)) + piText(-piPower);
            boolean several = denominator != 1 && piPower < 0;
            return sign("−") + (den.isEmpty() ? num : num + "/" + (several ? "(" + den + ")" : den));
        }

        private static String piText(int k) {
            return k <= 0 ? "" : k == 1 ? "π" : "π²";
        }

        /** "\\frac{3}{5}", "\\frac{1}{4 \\pi}", "\\sqrt{2}", "-\\frac{8 \\pi}{3}". */
        public String latex() {
            String num = join(Math.abs(numerator), piPower > 0 ? piLatex(piPower) : "", root == 1 ? "" : "\\sqrt{" + root + "}", " ");
            String den = join(denominator, piPower < 0 ? piLatex(-piPower) : "", "", " ");
            return sign("-") + (den.equals("1") ? num : "\\frac{" + num + "}{" + den + "}");
        }

        private static String piLatex(int k) {
            return k == 1 ? "\\pi" : "\\pi^{" + k + "}";
        }

        /** SymPy: "Rational(3, 5)", "Rational(1, 4)/pi", "8*pi/3" as "Rational(8, 3)*pi", "sqrt(2)". */
        public String sympy() {
            long p = Math.abs(numerator);
            List<String> parts = new ArrayList<>();
            boolean others = piPower > 0 || root != 1;
            if (denominator != 1) {
                parts.add("Rational(" + p + ", " + denominator + ")");
            } else if (p != 1 || !others && piPower == 0) {
                parts.add(Long.toString(p));
            }
            if (piPower > 0) {
                parts.add(piPower == 1 ? "pi" : "pi**" + piPower);
            }
            if (root != 1) {
                parts.add("sqrt(" + root + ")");
            }
            String s = parts.isEmpty() ? "1" : String.join("*", parts);
            if (piPower < 0) {
                s += "/" + (piPower == -1 ? "pi" : "pi**" + -piPower);
            }
            return sign("-") + s;
        }

        /** Java: "3.0 / 5.0", "1.0 / (4.0 * Math.PI)", "Math.sqrt(2.0)", "-8.0 * Math.PI / 3.0". */
        public String java() {
            List<String> num = new ArrayList<>();
            long p = Math.abs(numerator);
            boolean others = piPower > 0 || root != 1;
            if (p != 1 || !others) {
                num.add(p + ".0");
            }
            for (int i = 0; i < piPower; i++) {
                num.add("Math.PI");
            }
            if (root != 1) {
                num.add("Math.sqrt(" + root + ".0)");
            }
            List<String> den = new ArrayList<>();
            if (denominator != 1) {
                den.add(denominator + ".0");
            }
            for (int i = 0; i < -piPower; i++) {
                den.add("Math.PI");
            }
            String s = String.join(" * ", num);
            if (!den.isEmpty()) {
                s += " / " + (den.size() > 1 ? "(" + String.join(" * ", den) + ")" : den.get(0));
            }
            return sign("-") + s;
        }

        private String sign(String minus) {
            return numerator < 0 ? minus : "";
        }

        private static String join(long n, String pi, String root, String sep) {
            List<String> parts = new ArrayList<>();
            if (n != 1 || pi.isEmpty() && root.isEmpty()) {
                parts.add(Long.toString(n));
            }
            if (!pi.isEmpty()) {
                parts.add(pi);
            }
            if (!root.isEmpty()) {
                parts.add(root);
            }
            return String.join(sep, parts);
        }
    }

    /** Σ c_i f_i with integer coefficients (snapped NAU/NAC weights are -1, 0 or 1). */
    record Sum(List<Integer> coefficients, List<Formula> terms) implements Formula {
        public double evaluate(double[] x) {
            double s = 0;
            for (int i = 0; i < terms.size(); i++) {
                s += coefficients.get(i) * terms.get(i).evaluate(x);
            }
            return s;
        }

        public String render(List<String> names, boolean grouped) {
            if (terms.isEmpty()) {
                return "0";
            }
            String run = consecutiveRun(names);
            if (run != null) {
                return grouped ? "(" + run + ")" : run;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < terms.size(); i++) {
                int c = coefficients.get(i);
                String t = (Math.abs(c) == 1 ? "" : Math.abs(c) + " × ") + terms.get(i).render(names, true);
                if (i == 0) {
                    b.append(c < 0 ? "−" : "").append(t);
                } else {
                    b.append(c < 0 ? " − " : " + ").append(t);
                }
            }
            return grouped && terms.size() > 1 ? "(" + b + ")" : b.toString();
        }

        private static final Pattern INDEXED = Pattern.compile("(\\D+)(\\d+)");

        /** x3+…+x27 for four or more consecutive indexed inputs with coefficient 1. */
        private String consecutiveRun(List<String> names) {
            if (terms.size() < 4) {
                return null;
            }
            String prefix = null;
            int first = -1;
            for (int i = 0; i < terms.size(); i++) {
                if (coefficients.get(i) != 1 || !(terms.get(i) instanceof Input in)) {
                    return null;
                }
                Matcher m = INDEXED.matcher(names.get(in.column()));
                if (!m.matches() || (prefix != null && !prefix.equals(m.group(1)))) {
                    return null;
                }
                int idx = Integer.parseInt(m.group(2));
                if (prefix == null) {
                    prefix = m.group(1);
                    first = idx;
                } else if (idx != first + i) {
                    return null;
                }
            }
            return prefix + first + "+…+" + prefix + (first + terms.size() - 1);
        }
    }

    /**
     * ∏ f_i^{e_i}: snapped NMU (e ∈ {0, 1}), NAC• and iNALU (e ∈ {-1, 0, 1}) and RealNPU
     * (e a multiple of ½). {@code absolute} is NAC•'s |f| (it works on magnitudes).
     */
    record Product(List<Double> exponents, List<Formula> factors, boolean absolute) implements Formula {
        /** Numerator and denominator apart, then one division: a ÷ b is a / b, not a × (1/b). */
        public double evaluate(double[] x) {
            double numerator = 1;
            double denominator = 1;
            for (int i = 0; i < factors.size(); i++) {
                double v = factors.get(i).evaluate(x);
                double e = exponents.get(i);
                v = absolute ? Math.abs(v) : v;
                if (e < 0) {
                    denominator *= power(v, -e);
                } else {
                    numerator *= power(v, e);
                }
            }
            return denominator == 1 ? numerator : numerator / denominator;
        }

        private static double power(double v, double e) {
            if (e == 1) {
                return v;
            }
            if (e == 2) {
                return v * v;
            }
            if (e == 0.5) {
                return Math.sqrt(v);
            }
            return Math.pow(v, e);
        }

        public String render(List<String> names, boolean grouped) {
            List<String> numerator = new ArrayList<>();
            List<String> denominator = new ArrayList<>();
            for (int i = 0; i < factors.size(); i++) {
                double e = exponents.get(i);
                String f = factors.get(i).render(names, true);
                if (absolute) {
                    f = "|" + factors.get(i).render(names, false) + "|";
                }
                (e < 0 ? denominator : numerator).add(withExponent(f, Math.abs(e)));
            }
            String num = numerator.isEmpty() ? "1" : String.join(" × ", numerator);
            String text = denominator.isEmpty() ? num : num + " ÷ " + String.join(" ÷ ", denominator);
            // one factor over nothing reads alone (a, √a, a^2); a quotient is grouped like a product of several, so
            // that c ÷ (1 ÷ a) does not read as c ÷ 1 ÷ a
            return grouped && (factors.size() > 1 || !denominator.isEmpty()) ? "(" + text + ")" : text;
        }

        private static String withExponent(String f, double e) {
            if (e == 1) {
                return f;
            }
            if (e == 0.5) {
                return "√" + f;
            }
            String exp = e == Math.rint(e) ? Long.toString((long) e) : Double.toString(e);
            return f + "^" + exp;
        }
    }

    /** Pick one of two formulas: a snapped NALU/iNALU gate. */
    static Formula gate(boolean additive, Formula add, Formula mul) {
        return additive ? add : mul;
    }
}
