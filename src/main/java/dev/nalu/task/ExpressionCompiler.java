package dev.nalu.task;

import com.ezylang.evalex.BaseException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.config.ExpressionConfiguration;
import com.ezylang.evalex.config.MapBasedFunctionDictionary;
import com.ezylang.evalex.config.MapBasedOperatorDictionary;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.functions.basic.SqrtFunction;
import com.ezylang.evalex.operators.AbstractOperator;
import com.ezylang.evalex.operators.OperatorIfc;
import com.ezylang.evalex.operators.PrefixOperator;
import com.ezylang.evalex.operators.arithmetic.InfixDivisionOperator;
import com.ezylang.evalex.operators.arithmetic.InfixMinusOperator;
import com.ezylang.evalex.operators.arithmetic.InfixMultiplicationOperator;
import com.ezylang.evalex.operators.arithmetic.InfixPlusOperator;
import com.ezylang.evalex.operators.arithmetic.InfixPowerOfOperator;
import com.ezylang.evalex.parser.ASTNode;
import com.ezylang.evalex.parser.Token;
import java.util.List;
import java.util.Map;

/**
 * Turns expression text into an {@link Expr}. EvalEx only tokenises and parses (shunting yard);
 * nothing in the text is ever evaluated by EvalEx or executed. Its dictionaries hold exactly the
 * operators this package supports and the one function sqrt, with no constants, arrays, structures
 * or implicit multiplication, so anything else fails to parse; the resulting EvalEx tree is then
 * compiled node by node, rejecting what is left (string literals, unknown variables).
 *
 * <p>Grammar, tightest first: numbers, variables, parentheses and {@code sqrt(…)}; {@code ^}
 * (right-associative: 2^3^2 = 2^9); unary − + √ (so {@code -a^2} = −(a²), {@code a^-1} = 1/a and
 * {@code √a^2} = √(a²)); × ÷ and * /; + − and -. The Unicode signs × ÷ − √ are accepted alongside
 * the ASCII ones.
 */
final class ExpressionCompiler {

    static final String MINUS_SIGN = "\u2212";
    static final String TIMES_SIGN = "\u00d7";
    static final String DIVISION_SIGN = "\u00f7";
    static final String SQUARE_ROOT_SIGN = "\u221a";

    private static final String ALLOWED = "+ - * / ^ × ÷ − √, sqrt(…), numbers, parentheses and declared variables";

    private static final ExpressionConfiguration CONFIGURATION = configuration();

    private final List<String> variables;

    private ExpressionCompiler(List<String> variables) {
        this.variables = variables;
    }

    @SuppressWarnings("unchecked") // EvalEx's ofOperators takes generic varargs of Map.Entry
    private static ExpressionConfiguration configuration() {
        return ExpressionConfiguration.builder()
            .operatorDictionary(MapBasedOperatorDictionary.ofOperators(
                    Map.entry("+", new InfixPlusOperator()),
                    Map.entry("-", new InfixMinusOperator()),
                    Map.entry(MINUS_SIGN, new InfixMinusOperator()),
                    Map.entry("*", new InfixMultiplicationOperator()),
                    Map.entry(TIMES_SIGN, new InfixMultiplicationOperator()),
                    Map.entry("/", new InfixDivisionOperator()),
                    Map.entry(DIVISION_SIGN, new InfixDivisionOperator()),
                    Map.entry("^", new InfixPowerOfOperator()),
                    Map.entry("+", new UnaryOperator()),
                    Map.entry("-", new UnaryOperator()),
                    Map.entry(MINUS_SIGN, new UnaryOperator()),
                    Map.entry(SQUARE_ROOT_SIGN, new UnaryOperator())))
            .functionDictionary(MapBasedFunctionDictionary.ofFunctions(Map.entry("sqrt", new SqrtFunction())))
            .defaultConstants(Map.of())
            .arraysAllowed(false)
            .structuresAllowed(false)
            .implicitMultiplicationAllowed(false)
            .singleQuoteStringLiteralsAllowed(false)
            .powerOfPrecedence(OperatorIfc.OPERATOR_PRECEDENCE_POWER_HIGHER)
            .build();
    }

    /**
     * @param variables the declared variables; {@link Expr.Var#column()} is the index in this list
     * @throws ExpressionException if the text is not an expression of this grammar over these variables
     */
    static Expr compile(String text, List<String> variables, ExpressionLimits limits) {
        if (text.length() > limits.maxLength()) {
            throw new ExpressionException("expression is " + text.length()
                    + " characters long, over the maxLength limit of " + limits.maxLength());
        }
        if (text.isBlank()) {
            throw new ExpressionException("expression is empty");
        }
        ASTNode tree = parse(text);
        int depth = depth(tree);
        if (depth > limits.maxDepth()) {
            throw new ExpressionException("expression nests " + depth
                    + " levels deep, over the maxDepth limit of " + limits.maxDepth());
        }
        return new ExpressionCompiler(variables).compile(tree);
    }

    private static ASTNode parse(String text) {
        try {
            return new Expression(text, CONFIGURATION).getAbstractSyntaxTree();
        } catch (BaseException e) {
            throw new ExpressionException(explain(e.getMessage()), e.getStartPosition(), e.getTokenString());
        } catch (RuntimeException e) {
            throw new ExpressionException("cannot parse expression: " + e.getMessage());
        }
    }

    /** EvalEx's parse messages, reworded to say what is allowed instead. */
    private static String explain(String evalExMessage) {
        if (evalExMessage.startsWith("Undefined function")) {
            return "unsupported function " + evalExMessage.substring("Undefined function ".length())
                    + "; allowed: " + ALLOWED;
        }
        if (evalExMessage.startsWith("Undefined operator")) {
            return "unsupported operator " + evalExMessage.substring("Undefined operator ".length())
                    + "; allowed: " + ALLOWED;
        }
        if (evalExMessage.equals("Missing operator")) {
            return "missing operator (write 2 * a, not 2a)";
        }
        return Character.toLowerCase(evalExMessage.charAt(0)) + evalExMessage.substring(1);
    }

    private static int depth(ASTNode node) {
        int deepest = 0;
        for (ASTNode child : node.getParameters()) {
            deepest = Math.max(deepest, depth(child));
        }
        return deepest + 1;
    }

    private Expr compile(ASTNode node) {
        Token token = node.getToken();
        List<ASTNode> operands = node.getParameters();
        return switch (token.getType()) {
            case NUMBER_LITERAL -> number(token);
            case VARIABLE_OR_CONSTANT -> variable(token);
            case PREFIX_OPERATOR -> unary(token, compile(operands.get(0)));
            case INFIX_OPERATOR -> binary(token, compile(operands.get(0)), compile(operands.get(1)));
            case FUNCTION -> new Expr.Sqrt(compile(operands.get(0)));
            case STRING_LITERAL -> throw new ExpressionException("string literals are not allowed",
                    token.getStartPosition(), "\"" + token.getValue() + "\"");
            default -> throw new ExpressionException("unsupported token; allowed: " + ALLOWED,
                    token.getStartPosition(), token.getValue());
        };
    }

    private static Expr number(Token token) {
        double value;
        try {
            value = Double.parseDouble(token.getValue());
        } catch (NumberFormatException e) {
            throw new ExpressionException("unsupported number literal (write decimal numbers such as 2.5 or 1e-3)",
                    token.getStartPosition(), token.getValue());
        }
        if (!Double.isFinite(value)) {
            throw new ExpressionException("number is out of the float64 range",
                    token.getStartPosition(), token.getValue());
        }
        return new Expr.Const(value);
    }

    private Expr variable(Token token) {
        int column = variables.indexOf(token.getValue());
        if (column < 0) {
            throw new ExpressionException("unknown variable '" + token.getValue() + "' (declared: "
                    + String.join(", ", variables) + ")", token.getStartPosition(), token.getValue());
        }
        return new Expr.Var(token.getValue(), column);
    }

    private static Expr unary(Token token, Expr operand) {
        return switch (token.getValue()) {
            case "+" -> operand;
            case "-", MINUS_SIGN -> new Expr.Neg(operand);
            case SQUARE_ROOT_SIGN -> new Expr.Sqrt(operand);
            default -> throw new ExpressionException("unsupported prefix operator",
                    token.getStartPosition(), token.getValue());
        };
    }

    private static Expr binary(Token token, Expr left, Expr right) {
        return switch (token.getValue()) {
            case "+" -> new Expr.Add(left, right);
            case "-", MINUS_SIGN -> new Expr.Sub(left, right);
            case "*", TIMES_SIGN -> new Expr.Mul(left, right);
            case "/", DIVISION_SIGN -> new Expr.Div(left, right);
            case "^" -> new Expr.Pow(left, right);
            default -> throw new ExpressionException("unsupported operator",
                    token.getStartPosition(), token.getValue());
        };
    }

    /**
     * Parse-time marker for the prefix operators − + √. They bind as tightly as ^ and group to the
     * right, so that a prefix operator never pops a pending ^ off EvalEx's shunting-yard stack
     * (which would reject {@code a^-1}) while {@code -a^2} still parses as −(a²).
     */
    @PrefixOperator(precedence = OperatorIfc.OPERATOR_PRECEDENCE_POWER_HIGHER, leftAssociative = false)
    private static final class UnaryOperator extends AbstractOperator {
        @Override
        public EvaluationValue evaluate(Expression expression, Token operator, EvaluationValue... operands) {
            throw new IllegalStateException("EvalEx only parses here; " + Expr.class.getName() + " evaluates");
        }
    }
}
