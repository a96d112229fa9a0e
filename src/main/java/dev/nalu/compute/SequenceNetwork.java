package dev.nalu.compute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trained recurrent member in float64: its cell (with its initial state) and its head, stepping
 * through a sequence of any length without ND4J, for prediction, evaluation at lengths far beyond
 * training, and snapping.
 */
public record SequenceNetwork(SequenceSpec spec, CellWeights cell, LayerWeights head) {

    /** The initial state parts, h_0 (and c_0). */
    public double[][] initialState() {
        int parts = spec.cell() == CellKind.LSTM ? 2 : 1;
        double[][] s = new double[parts][];
        for (int p = 0; p < parts; p++) {
            s[p] = cell.get(p == 0 ? "h0" : "c0").data().clone();
        }
        return s;
    }

    /**
     * The final state's parts after {@code length} steps of x (length × inputs values, row-major).
     * A token model reads each step's token id through its embedding and skips padding (id 0).
     */
    public double[][] finalState(double[] x, int offset, int length) {
        int n = spec.inputs();
        double[][] state = initialState();
        double[] xt = new double[n];
        for (int t = 0; t < length; t++) {
            if (spec.readsTokens()) {
                int id = (int) x[offset + t];
                if (id != x[offset + t] || id < 0 || id > spec.vocabulary()) {
                    throw new IllegalArgumentException("token id " + x[offset + t] + " is not in 0 … " + spec.vocabulary());
                }
                if (id > 0) {
                    state = spec.cell().step(cell, spec.embedsTokens() ? TokenEmbedding.row(cell, id) : oneHot(id), state);
                }
                continue;
            }
            System.arraycopy(x, offset + t * n, xt, 0, n);
            state = spec.cell().step(cell, xt, state);
        }
        return state;
    }

    /** Token id (1 … V) as a one-hot row of V values, the input of a cell that reads one-hot tokens. */
    private double[] oneHot(int id) {
        double[] x = new double[spec.vocabulary()];
        x[id - 1] = 1;
        return x;
    }

    /** y = head(h_T) for one sequence of {@code length} steps starting at {@code offset}: its first output. */
    public double predictOne(double[] x, int offset, int length) {
        return predictAll(x, offset, length)[0];
    }

    /** Every output of head(h_T) for one sequence of {@code length} steps starting at {@code offset}. */
    public double[] predictAll(double[] x, int offset, int length) {
        return Network.apply(head, finalState(x, offset, length)[0]);
    }

    /**
     * Predictions for rows sequences of {@code length} steps each, [rows, length, inputs] row-major:
     * rows × outputs values, row by row.
     */
    public double[] predict(double[] x, int rows, int length) {
        int outputs = spec.outputs();
        double[] y = new double[rows * outputs];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(predictAll(x, r * length * spec.inputs(), length), 0, y, r * outputs, outputs);
        }
        return y;
    }

    /** Receives one chunk of a set: its rows, their predictions and their targets (rows × outputs each, row by row). */
    @FunctionalInterface
    public interface Chunk {
        void accept(int rows, double[] predictions, double[] targets);
    }

    /** Predicts every row of a set, a chunk of rows at a time, so long sequences never sit in memory whole. */
    public void predictSet(SequenceData.EvalSet set, Chunk chunk) {
        predictSet(set, chunk, set.rows(), () -> false);
    }

    /** As {@link #predictSet(SequenceData.EvalSet, Chunk)}, at most {@code most} rows a chunk, ending before a chunk once {@code enough}. */
    public void predictSet(SequenceData.EvalSet set, Chunk chunk, int most, java.util.function.BooleanSupplier enough) {
        int n = spec.inputs();
        int outputs = spec.outputs();
        int size = (int) Math.max(1, Math.min(Math.min(set.rows(), most),
                SequenceTrainer.EVAL_VALUES / ((long) set.length() * n)));
        double[] x = new double[size * set.length() * n];
        double[] y = new double[size * outputs];
        for (int first = 0; first < set.rows() && !enough.getAsBoolean(); first += size) {
            int rows = Math.min(size, set.rows() - first);
            set.source().fill(first, rows, x, y);
            chunk.accept(rows, predict(x, rows, set.length()), y);
        }
    }

    /** Whether every weight is finite. */
    public boolean finite() {
        return java.util.stream.Stream.concat(cell.tensors().values().stream(), head.tensors().values().stream())
                .flatMapToDouble(t -> java.util.Arrays.stream(t.data())).allMatch(Double::isFinite);
    }

    /**
     * Madsen and Johansen's sparsity error over the discrete-valued weights of the cell (NAU, NMU,
     * NAC: W = tanh(Ŵ) ⊙ σ(M̂)) and of the head: max over weights of min(|W|, |1 − |W||); 0 for
     * the baselines' cells.
     */
    public double sparsityError() {
        double worst = Sparsity.error(head);
        for (Tensor w : discreteWeights()) {
            for (double v : w.data()) {
                double a = Math.abs(v);
                worst = Math.max(worst, Math.min(a, Math.abs(1 - a)));
            }
        }
        return worst;
    }

    private List<Tensor> discreteWeights() {
        return switch (spec.cell()) {
            case NAU, NMU -> List.of(cell.get("Wx"), cell.get("Wh"));
            case NAC_ADD, NAC_MUL, NALU -> List.of(NacCellWeight.weight(cell, "x"), NacCellWeight.weight(cell, "h"));
            default -> List.of();
        };
    }

    /**
     * The NAU, NMU or MAC cell and an NAU or NMU head with every weight and the initial state rounded
     * to the nearest integer (the NAU and NMU weights are clamped to [−1, 1] or [0, 1], so to
     * {−1, 0, 1}; the MAC cell's A and its factors M = exp(L) are not clamped, so to any integer:
     * L becomes ln rint(e^L)), or null for other cells and heads. The rounded network is a formula: a
     * snapped NAU cell adds, for example h_t = h_{t−1} + x_t, exactly in float64; a snapped MAC cell
     * over tokens is the integer recursion h_t = h_{t−1} ⊙ M[w_t] + A[w_t], which its float64 network
     * computes to within the rounding of exp(ln m) (a few units in the last place of each factor, so
     * about 10⁻¹³ on numbers below 1000): its formula is exact, its float64 predictions within that.
     */
    public SequenceNetwork snapped() {
        if ((spec.cell() != CellKind.NAU && spec.cell() != CellKind.NMU && spec.cell() != CellKind.MAC)
                || (spec.head() != Unit.NAU && spec.head() != Unit.NMU)) {
            return null;
        }
        Map<String, Tensor> c = new LinkedHashMap<>();
        // the MAC cell's factors M = exp(L) round, not their logarithms
        cell.tensors().forEach((name, t) -> c.put(name, t.map(spec.cell() == CellKind.MAC && name.equals("L")
                ? v -> Math.log(Math.rint(Math.exp(v))) : Math::rint)));
        LayerWeights h = head;
        for (Map.Entry<String, Tensor> e : head.tensors().entrySet()) {
            h = h.with(e.getKey(), e.getValue().map(Math::rint));
        }
        return new SequenceNetwork(spec, new CellWeights(cell.kind(), cell.in(), cell.hidden(), c), h);
    }

    /**
     * A snapped NAU or NMU network as equations, one line per state value and one for y:
     * "h0[t] = h0[t−1] + x0[t]", …, "y = h0[T]"; null when not snapped (a weight off {−1, 0, 1}).
     * A snapped MAC network's equations also list its integer tables ({@link #macFormula()}).
     */
    public List<String> formula() {
        if (spec.cell() == CellKind.MAC) {
            return macFormula();
        }
        boolean product = spec.cell() == CellKind.NMU;
        List<String> lines = new ArrayList<>();
        Tensor wx = cell.get("Wx");
        Tensor wh = cell.get("Wh");
        double[] h0 = cell.get("h0").data();
        for (int j = 0; j < spec.hidden(); j++) {
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < wh.rows(); i++) {
                String term = term(wh.at(i, j), "h" + i + "[t−1]", product);
                if (term == null) {
                    return null;
                }
                if (!term.isEmpty()) {
                    terms.add(term);
                }
            }
            for (int i = 0; i < wx.rows(); i++) {
                String term = term(wx.at(i, j), "x" + i + "[t]", product);
                if (term == null) {
                    return null;
                }
                if (!term.isEmpty()) {
                    terms.add(term);
                }
            }
            String rhs = terms.isEmpty() ? (product ? "1" : "0") : String.join(product ? " · " : " + ", terms)
                    .replace("+ −", "− ");
            lines.add("h" + j + "[t] = " + rhs + ", h" + j + "[0] = " + format(h0[j]));
        }
        return headFormula(lines);
    }

    /**
     * A snapped MAC network as equations: "h0[t] = h0[t−1] · M0[x_t] + A0[x_t], h0[0] = 0" per state
     * value, then its tables, one line each: "M0 = [1, 1, …, 100]" (row i for token or input i + 1;
     * M = exp(L) read as the integer it is within 10⁻⁹, relative), then y; null when a table value or
     * the initial state is not an integer, or the head's weights are off {−1, 0, 1}.
     */
    private List<String> macFormula() {
        List<String> lines = new ArrayList<>();
        double[] h0 = cell.get("h0").data();
        Tensor m = MacCell.factors(cell).map(v -> Math.abs(v - Math.rint(v)) < 1e-9 * Math.max(1, v) ? Math.rint(v) : v);
        Tensor a = cell.get("A");
        for (int j = 0; j < spec.hidden(); j++) {
            if (h0[j] != Math.rint(h0[j])) {
                return null;
            }
            lines.add("h" + j + "[t] = h" + j + "[t−1] · M" + j + "[x_t] + A" + j + "[x_t], h" + j + "[0] = " + format(h0[j]));
        }
        for (int j = 0; j < spec.hidden(); j++) {
            for (Tensor table : List.of(m, a)) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < table.rows(); i++) {
                    if (table.at(i, j) != Math.rint(table.at(i, j))) {
                        return null;
                    }
                    values.add(format(table.at(i, j)));
                }
                lines.add((table == m ? "M" : "A") + j + " = [" + String.join(", ", values) + "]");
            }
        }
        return headFormula(lines);
    }

    /** Adds the head's equation to the cell's, or null when a head weight is off {−1, 0, 1}. */
    private List<String> headFormula(List<String> lines) {
        Tensor w = head.get("W");
        boolean headProduct = spec.head() == Unit.NMU;
        for (int o = 0; o < w.cols(); o++) {
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < w.rows(); i++) {
                String term = term(w.at(i, o), "h" + i + "[T]", headProduct);
                if (term == null) {
                    return null;
                }
                if (!term.isEmpty()) {
                    terms.add(term);
                }
            }
            lines.add((w.cols() == 1 ? "y" : "y" + o) + " = " + (terms.isEmpty() ? (headProduct ? "1" : "0")
                    : String.join(headProduct ? " · " : " + ", terms).replace("+ −", "− ")));
        }
        return lines;
    }

    /** "" for a weight of 0 (a factor of 1 in a product), the variable for 1, −variable for −1, null otherwise. */
    private static String term(double w, String variable, boolean product) {
        if (w == 0) {
            return "";
        }
        if (w == 1) {
            return variable;
        }
        if (w == -1 && !product) {
            return "−" + variable;
        }
        return null;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
