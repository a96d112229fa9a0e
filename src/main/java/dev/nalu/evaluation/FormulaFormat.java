package dev.nalu.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A formula written four ways. {@link #TEXT} is the model's text ("y = a × b", {@link Formula#render}); {@link #LATEX}
 * is for display ("y = \frac{a}{b}"); {@link #SYMPY} is an expression {@code sympy.sympify} reads exactly (rationals
 * as {@code Rational(3, 5)}, {@code sqrt}, {@code **}, {@code pi}, {@code Abs}); {@link #JAVA} is a Java expression
 * over double variables that computes, to the bit, what {@link Formula#evaluate} computes: the same operations in
 * the same order ({@code Math.sqrt}, {@code Math.pow}, {@code Math.abs}, {@code Math.PI}, double literals). Each
 * format writes the task's variables as identifiers of its own ({@link #variables}): LaTeX m_{0}, \omega; SymPy
 * {@code Symbol('lambda')} for a name SymPy or Python already uses; Java {@code new_} for a reserved word.
 */
public enum FormulaFormat {
    TEXT, LATEX, SYMPY, JAVA;

    /** This format's name in the API: text, latex, sympy, java. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format of an API name, or null. */
    public static FormulaFormat of(String id) {
        for (FormulaFormat f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The formula in this format. TEXT and LATEX are equations ("y = …"), SYMPY and JAVA are expressions.
     *
     * @param names the task's variables, in input order
     */
    public String render(Formula f, List<String> names) {
        List<String> ids = variables(names);
        return switch (this) {
            case TEXT -> "y = " + f.render(names, false);
            case LATEX -> "y = " + latex(f, names, Place.TOP);
            case SYMPY -> sympy(f, ids, Place.TOP);
            case JAVA -> java(f, ids, Place.TOP);
        };
    }

    /** The variables as this format writes them, in input order. */
    public List<String> variables(List<String> names) {
        return switch (this) {
            case TEXT -> names;
            case LATEX -> names.stream().map(FormulaFormat::latexName).toList();
            case SYMPY -> names.stream().map(n -> SYMPY_NAMES.contains(n) ? "Symbol('" + n + "')" : n).toList();
            case JAVA -> javaNames(names);
        };
    }

    /** Where a sub-formula stands: it decides the parentheses. */
    private enum Place {
        /** The whole formula. */
        TOP,
        /** A term of a sum. */
        TERM,
        /** A factor of a product, or what a coefficient multiplies. */
        FACTOR,
        /** A base of a power, or a divisor. */
        BASE
    }

    // ---------------------------------------------------------------- LaTeX

    private static final Set<String> GREEK = Set.of("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta",
            "eta", "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho",
            "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
            "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega");
    private static final Pattern TRAILING_DIGITS = Pattern.compile("([A-Za-z]+)(\\d+)");

    /** a → a, m_0 → m_{0}, x12 → x_{12}, omega → \omega, mass → \mathrm{mass}, omega_max → \omega_{\mathrm{max}}. */
    static String latexName(String name) {
        Matcher digits = TRAILING_DIGITS.matcher(name);
        int underscore = name.indexOf('_');
        if (underscore > 0 && underscore < name.length() - 1) {
            return latexWord(name.substring(0, underscore)) + "_{" + latexWord(name.substring(underscore + 1)) + "}";
        }
        if (digits.matches()) {
            return latexWord(digits.group(1)) + "_{" + digits.group(2) + "}";
        }
        return latexWord(name);
    }

    private static String latexWord(String w) {
        if (GREEK.contains(w)) {
            return "\\" + w;
        }
        if (w.length() == 1 || w.chars().allMatch(Character::isDigit)) {
            return w.equals("_") ? "\\_" : w;
        }
        return "\\mathrm{" + w.replace("_", "\\_") + "}";
    }

    private static String latex(Formula f, List<String> names, Place place) {
        if (f instanceof Formula.Input in) {
            return latexName(names.get(in.column()));
        }
        if (f instanceof Formula.Constant c) {
            String t;
            boolean compound;
            if (c.exact() != null) {
                t = c.exact().latex();
                compound = c.exact().numerator() < 0 || place == Place.BASE && c.exact().compound();
            } else {
                t = latexNumber(c.value());
                compound = c.value() < 0;
            }
            return compound && place != Place.TOP ? "\\left(" + t + "\\right)" : t;
        }
        if (f instanceof Formula.Sum s) {
            if (s.terms().isEmpty()) {
                return "0";
            }
            String t = latexRun(s, names);
            if (t == null) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < s.terms().size(); i++) {
                    int c = s.coefficients().get(i);
                    String term = Math.abs(c) == 1 ? latex(s.terms().get(i), names, Place.TERM)
                            : Math.abs(c) + " \\cdot " + latex(s.terms().get(i), names, Place.FACTOR);
                    b.append(i == 0 ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + ")).append(term);
                }
                t = b.toString();
            }
            boolean several = s.terms().size() > 1 || s.coefficients().get(0) < 0;
            return several && place != Place.TOP ? "\\left(" + t + "\\right)" : t;
        }
        Formula.Product p = (Formula.Product) f;
        List<String> num = new ArrayList<>();
        List<String> den = new ArrayList<>();
        for (int i = 0; i < p.factors().size(); i++) {
            double e = p.exponents().get(i);
            Formula factor = p.factors().get(i);
            double a = Math.abs(e);
            String base;
            if (p.absolute()) {
                base = "\\left|" + latex(factor, names, Place.TOP) + "\\right|";
            } else {
                base = latex(factor, names, a == 1 ? Place.FACTOR : a == 0.5 ? Place.TOP : Place.BASE);
            }
            String power = a == 1 ? base : a == 0.5 ? "\\sqrt{" + (p.absolute() ? base : latex(factor, names, Place.TOP)) + "}"
                    : base + "^{" + latexExponent(a) + "}";
            (e < 0 ? den : num).add(power);
        }
        String n = num.isEmpty() ? "1" : String.join(" \\cdot ", num);
        String t = den.isEmpty() ? n : "\\frac{" + n + "}{" + String.join(" \\cdot ", den) + "}";
        double first = p.exponents().get(0);
        boolean plain = p.factors().size() == 1 && den.isEmpty() && (p.absolute() && first == 1 || first == 0.5);
        boolean needs = place == Place.BASE && !plain;
        return needs ? "\\left(" + t + "\\right)" : t;
    }

    /** x_{3} + \\dots + x_{27}, where the text writes x3+…+x27 (its rule: four or more consecutive indexed inputs). */
    private static String latexRun(Formula.Sum s, List<String> names) {
        if (!s.render(names, false).contains("+…+")) {
            return null;
        }
        return latex(s.terms().get(0), names, Place.TERM) + " + \\dots + "
                + latex(s.terms().get(s.terms().size() - 1), names, Place.TERM);
    }

    private static String latexExponent(double e) {
        if (e == Math.rint(e)) {
            return Long.toString((long) e);
        }
        if (e * 2 == Math.rint(e * 2)) {
            return "\\frac{" + (long) (e * 2) + "}{2}";
        }
        return latexNumber(e);
    }

    private static String latexNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        return e < 0 ? s : s.substring(0, e) + " \\times 10^{" + s.substring(e + 1) + "}";
    }

    // ---------------------------------------------------------------- SymPy

    /** Names sympify reads as something else than a new symbol (sympy's namespace, Python's keywords). */
    static final Set<String> SYMPY_NAMES = lines("sympy-names.txt");

    private static Set<String> lines(String resource) {
        try (InputStream in = FormulaFormat.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Set<String> out = new HashSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip());
                }
            }
            return Set.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sympy(Formula f, List<String> ids, Place place) {
        if (f instanceof Formula.Input in) {
            return ids.get(in.column());
        }
        if (f instanceof Formula.Constant c) {
            String t;
            boolean atom;
            if (c.exact() != null) {
                t = c.exact().sympy();
                atom = c.exact().numerator() >= 0 && t.matches("[\\w.]+|sqrt\\(\\d+\\)|Rational\\(\\d+, \\d+\\)");
            } else {
                t = c.value() == Math.rint(c.value()) && Math.abs(c.value()) < 1e15 ? Long.toString((long) c.value())
                        : Double.toString(c.value());
                atom = c.value() >= 0;
            }
            return atom || place == Place.TOP ? t : "(" + t + ")";
        }
        if (f instanceof Formula.Sum s) {
            if (s.terms().isEmpty()) {
                return "0";
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.terms().size(); i++) {
                int c = s.coefficients().get(i);
                String term = Math.abs(c) == 1 ? sympy(s.terms().get(i), ids, Place.TERM)
                        : Math.abs(c) + "*" + sympy(s.terms().get(i), ids, Place.FACTOR);
                b.append(i == 0 ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + ")).append(term);
            }
            return place == Place.TOP ? b.toString() : "(" + b + ")";
        }
        Formula.Product p = (Formula.Product) f;
        List<String> num = new ArrayList<>();
        List<String> den = new ArrayList<>();
        for (int i = 0; i < p.factors().size(); i++) {
            double e = p.exponents().get(i);
            double a = Math.abs(e);
            Formula factor = p.factors().get(i);
            String base = p.absolute() ? "Abs(" + sympy(factor, ids, Place.TOP) + ")"
                    : sympy(factor, ids, a == 0.5 ? Place.TOP : Place.BASE);
            String power;
            if (a == 1) {
                power = base;
            } else if (a == 0.5) {
                power = "sqrt(" + (p.absolute() ? base : sympy(factor, ids, Place.TOP)) + ")";
            } else if (a == Math.rint(a)) {
                power = base + "**" + (long) a;
            } else if (a * 2 == Math.rint(a * 2)) {
                power = base + "**Rational(" + (long) (a * 2) + ", 2)";
            } else {
                power = base + "**" + Double.toString(a);
            }
            (e < 0 ? den : num).add(power);
        }
        String n = num.isEmpty() ? "1" : String.join("*", num);
        String t = den.isEmpty() ? n : n + "/" + (den.size() == 1 ? den.get(0) : "(" + String.join("*", den) + ")");
        return place == Place.TOP || place == Place.TERM || p.factors().size() == 1 && den.isEmpty() && place != Place.BASE
                ? t : "(" + t + ")";
    }

    // ---------------------------------------------------------------- Java

    private static final Set<String> JAVA_RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
            "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
            "while", "true", "false", "null", "_", "var", "yield", "record", "sealed", "permits", "non", "Math");

    /** The names, with a trailing _ on a Java reserved word or Math (again, until no other variable has it). */
    private static List<String> javaNames(List<String> names) {
        Set<String> taken = new HashSet<>(names);
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (JAVA_RESERVED.contains(n)) {
                String m = n + "_";
                while (taken.contains(m)) {
                    m += "_";
                }
                taken.add(m);
                out.add(m);
            } else {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Java, in Formula.evaluate's order: a sum is 0 + c₁t₁ + c₂t₂ + … left to right (c·t as (double) c * t, and
     * s + (−1)·t is s − t, exactly); a product multiplies its numerator's powers left to right, then its
     * denominator's, then divides once; a power is v (e = 1), v * v (e = 2), Math.sqrt(v) (e = ½) or
     * Math.pow(v, e). Every compound operand is in parentheses, so Java's precedence changes no order.
     */
    private static String java(Formula f, List<String> ids, Place place) {
        if (f instanceof Formula.Input in) {
            return ids.get(in.column());
        }
        if (f instanceof Formula.Constant c) {
            String t = c.exact() != null ? c.exact().java() : Double.toString(c.value());
            boolean atom = t.matches("[\\w.]+|Math\\.sqrt\\(\\d+\\.0\\)");
            return atom || place == Place.TOP ? t : "(" + t + ")";
        }
        if (f instanceof Formula.Sum s) {
            if (s.terms().isEmpty()) {
                return "0.0";
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.terms().size(); i++) {
                int c = s.coefficients().get(i);
                String term = Math.abs(c) == 1 ? java(s.terms().get(i), ids, Place.FACTOR)
                        : Math.abs(c) + ".0 * " + java(s.terms().get(i), ids, Place.FACTOR);
                b.append(i == 0 ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + ")).append(term);
            }
            return place == Place.TOP ? b.toString() : "(" + b + ")";
        }
        Formula.Product p = (Formula.Product) f;
        List<String> num = new ArrayList<>();
        List<String> den = new ArrayList<>();
        for (int i = 0; i < p.factors().size(); i++) {
            double e = p.exponents().get(i);
            double a = Math.abs(e);
            String v = java(p.factors().get(i), ids, p.absolute() ? Place.TOP : Place.FACTOR);
            if (p.absolute()) {
                v = "Math.abs(" + v + ")";
            }
            String power = a == 1 ? v : a == 2 ? "(" + v + " * " + v + ")"
                    : a == 0.5 ? "Math.sqrt(" + v + ")" : "Math.pow(" + v + ", " + Double.toString(a) + ")";
            (e < 0 ? den : num).add(power);
        }
        String n = num.isEmpty() ? "1.0" : String.join(" * ", num);
        String t;
        if (den.isEmpty()) {
            t = n;
        } else {
            t = (num.size() > 1 ? "(" + n + ")" : n) + " / " + (den.size() > 1 ? "(" + String.join(" * ", den) + ")" : den.get(0));
        }
        boolean single = num.size() + den.size() == 1 && den.isEmpty();
        return single || place == Place.TOP ? t : "(" + t + ")";
    }
}
