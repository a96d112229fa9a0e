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

    /** One input column. */
    record Input(int column) implements Formula {
        public double evaluate(double[] x) {
            return x[column];
        }

        public String render(List<String> names, boolean grouped) {
            return names.get(column);
        }
    }

    /** A constant (e.g. an empty product, 1). */
    record Constant(double value) implements Formula {
        public double evaluate(double[] x) {
            return value;
        }

        public String render(List<String> names, boolean grouped) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
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
            return grouped && factors.size() > 1 ? "(" + text + ")" : text;
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
