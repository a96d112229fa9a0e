package dev.nalu.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A task given as a user's expression, e.g. {@code a * b} with a, b ~ U[1,2]: the single-module
 * setting of Mistry et al. (2022) and the "learn a*b from inputs in [1,2]" job of the service.
 *
 * <p>The variables are the keys of the domain map (declared variables need not all be used), in
 * <em>natural order</em>: by name, with runs of digits compared as numbers, so
 * {@code a, b, x2, x10}. Variable names are case-sensitive identifiers of ASCII letters, digits
 * and underscores not starting with a digit. The text is parsed as described in
 * {@link ExpressionCompiler}: only + − × ÷ ^ √ / sqrt(…), numbers, parentheses and the declared
 * variables.
 */
public final class ExpressionTask implements Task {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final List<String> variables;
    private final List<Domain> trainDomains;
    private final Expr expression;
    private final Set<String> usedVariables;

    private ExpressionTask(String text, List<String> variables, List<Domain> trainDomains, Expr expression) {
        this.text = text;
        this.variables = variables;
        this.trainDomains = trainDomains;
        this.expression = expression;
        this.usedVariables = usedVariables(expression, variables);
    }

    /** Parses with {@link ExpressionLimits#DEFAULT}. */
    public static ExpressionTask parse(String text, Map<String, Domain> trainDomains) {
        return parse(text, trainDomains, ExpressionLimits.DEFAULT);
    }

    /**
     * @param text         the expression, e.g. {@code "a × b"}
     * @param trainDomains each variable's training (interpolation) domain
     * @throws ExpressionException      if the text is not a supported expression over these variables
     * @throws IllegalArgumentException if no variable is declared or a name is not an identifier
     */
    public static ExpressionTask parse(String text, Map<String, Domain> trainDomains, ExpressionLimits limits) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(limits, "limits");
        if (trainDomains == null || trainDomains.isEmpty()) {
            throw new IllegalArgumentException("declare at least one variable with its training domain");
        }
        List<String> variables = new ArrayList<>(trainDomains.keySet());
        for (String name : variables) {
            if (name == null || !IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("variable name '" + name
                        + "' is not an identifier (letters, digits and _, not starting with a digit)");
            }
            Objects.requireNonNull(trainDomains.get(name), () -> "domain of variable " + name);
        }
        variables.sort(new NaturalOrder());
        List<String> names = List.copyOf(variables);
        List<Domain> domains = names.stream().map(trainDomains::get).toList();
        Expr expression = ExpressionCompiler.compile(text, names, limits);
        return new ExpressionTask(text, names, domains, expression);
    }

    /**
     * Compiles an expression over variables that have values but no training domains (column i of
     * a row is variable i, in the order given), e.g. to evaluate it once. With no variables, the
     * expression may use numbers only.
     *
     * @throws ExpressionException      if the text is not a supported expression over these variables
     * @throws IllegalArgumentException if a name is not an identifier or appears twice
     */
    public static Expr compile(String text, List<String> variables, ExpressionLimits limits) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(limits, "limits");
        for (String name : variables) {
            if (name == null || !IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("variable name '" + name
                        + "' is not an identifier (letters, digits and _, not starting with a digit)");
            }
        }
        if (new java.util.HashSet<>(variables).size() != variables.size()) {
            throw new IllegalArgumentException("variable names repeat: " + variables);
        }
        return ExpressionCompiler.compile(text, List.copyOf(variables), limits);
    }

    /** The text as submitted. */
    public String text() {
        return text;
    }

    /** The compiled syntax tree. */
    public Expr expression() {
        return expression;
    }

    /** The variables the expression actually reads, in {@link #variables()} order. */
    public Set<String> usedVariables() {
        return usedVariables;
    }

    /**
     * Divisions by a range containing 0, square roots and fractional powers of ranges with
     * negative values, negative powers of ranges containing 0, and values beyond
     * ±{@value Task#MAX_MAGNITUDE}, over the training domains. Empty when the expression is defined,
     * and its values are within bounds, on every training input.
     */
    public List<DomainProblem> domainProblems() {
        return RangeAnalysis.problems(expression, trainDomains::get);
    }

    /** As {@link #domainProblems()}, with every variable drawn from {@code everyColumn} (e.g. an extrapolation range). */
    public List<DomainProblem> domainProblems(Domain everyColumn) {
        return RangeAnalysis.problems(expression, column -> everyColumn);
    }

    @Override
    public Bounds targetBounds() {
        return RangeAnalysis.hull(RangeAnalysis.range(expression, trainDomains::get));
    }

    @Override
    public Bounds targetBounds(Domain everyColumn) {
        return RangeAnalysis.hull(RangeAnalysis.range(expression, column -> everyColumn));
    }

    @Override
    public List<String> variables() {
        return variables;
    }

    @Override
    public Domain trainDomain(int column) {
        return trainDomains.get(column);
    }

    @Override
    public double target(double[] x, int offset) {
        return expression.evaluate(x, offset);
    }

    /**
     * The exact solution's first layer is the identity selection (variable j → input j); with
     * every weight off by eps, each variable becomes v_j' = (1 − eps) v_j + eps Σ_{i≠j} v_i, and the
     * expression is then evaluated exactly on the v'.
     */
    @Override
    public double perturbedTarget(double[] x, int offset, double eps) {
        int n = variables.size();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[offset + i];
        }
        double[] perturbed = new double[n];
        for (int j = 0; j < n; j++) {
            double v = x[offset + j];
            perturbed[j] = (1 - eps) * v + eps * (sum - v);
        }
        return expression.evaluate(perturbed, 0);
    }

    /** The expression as parsed, with the fewest parentheses, e.g. {@code a * b}. */
    @Override
    public String describe() {
        return expression.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static Set<String> usedVariables(Expr expression, List<String> variables) {
        boolean[] used = new boolean[variables.size()];
        markUsed(expression, used);
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                names.add(variables.get(i));
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private static void markUsed(Expr expr, boolean[] used) {
        if (expr instanceof Expr.Var v) {
            used[v.column()] = true;
        } else if (expr instanceof Expr.Neg n) {
            markUsed(n.operand(), used);
        } else if (expr instanceof Expr.Sqrt s) {
            markUsed(s.operand(), used);
        } else if (expr instanceof Expr.Add a) {
            markUsed(a.left(), used);
            markUsed(a.right(), used);
        } else if (expr instanceof Expr.Sub s) {
            markUsed(s.left(), used);
            markUsed(s.right(), used);
        } else if (expr instanceof Expr.Mul m) {
            markUsed(m.left(), used);
            markUsed(m.right(), used);
        } else if (expr instanceof Expr.Div d) {
            markUsed(d.left(), used);
            markUsed(d.right(), used);
        } else if (expr instanceof Expr.Pow p) {
            markUsed(p.base(), used);
            markUsed(p.exponent(), used);
        }
    }
}
