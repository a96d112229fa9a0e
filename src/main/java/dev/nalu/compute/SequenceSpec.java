package dev.nalu.compute;

import java.util.Objects;

/**
 * A recurrent model: a cell over sequences of {@code inputs}-wide vectors with a state of
 * {@code hidden} values, then a head layer (hidden → outputs) on the final state h_T.
 * Madsen and Johansen's recurrent network: hidden size 2, the head the cell's own unit
 * (linear for the baselines), one output.
 *
 * <p>With {@code vocabulary} V &gt; 0 the model reads tokens instead: each time step is one value,
 * a token id in 1 … V (0 is padding: that step leaves the state as it is), which an embedding of
 * {@code embedding} values per token, learned per member, turns into the cell's input. A cell that
 * reads one-hot tokens itself ({@link CellKind#readsOneHot()}, the MAC cell) has no embedding
 * ({@code embedding} 0): its input is the token's one-hot row of V values.
 */
public record SequenceSpec(int inputs, CellKind cell, int hidden, Unit head, int outputs, int vocabulary,
                           int embedding) {
    public static final int DEFAULT_HIDDEN = 2;

    public SequenceSpec {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(head, "head");
        if (inputs < 1 || hidden < 1 || outputs < 1) {
            throw new IllegalArgumentException("a sequence model needs at least one input, one hidden value and one output");
        }
        if (vocabulary > 0 && cell.readsOneHot()) {
            if (inputs != 1 || embedding != 0) {
                throw new IllegalArgumentException("a " + cell.label() + " cell reads one token id per step through its own"
                        + " tables, without an embedding");
            }
        } else if (vocabulary < 0 || (vocabulary > 0 && (inputs != 1 || embedding < 1))) {
            throw new IllegalArgumentException("a token model reads one id per step into an embedding of at least one value");
        }
        if (vocabulary > 0 && !cell.embeds() && !cell.readsOneHot()) {
            throw new IllegalArgumentException("a " + cell.label() + " cell cannot read tokens: its input is not a linear map"
                    + " (use nau, rnn-tanh, rnn-relu, gru, lstm or mac)");
        }
    }

    /** One output, vector inputs. */
    public SequenceSpec(int inputs, CellKind cell, int hidden, Unit head) {
        this(inputs, cell, hidden, head, 1, 0, 0);
    }

    /** Hidden size 2 and the cell's default head. */
    public static SequenceSpec of(int inputs, CellKind cell) {
        return new SequenceSpec(inputs, cell, DEFAULT_HIDDEN, cell.defaultHead());
    }

    /**
     * A model over token ids 1 … vocabulary (0 padding): an embedding of {@code embedding} values per
     * token, then the cell (hidden size 2 and the cell's default head until changed).
     */
    public static SequenceSpec tokens(int vocabulary, int embedding, CellKind cell) {
        return new SequenceSpec(1, cell, DEFAULT_HIDDEN, cell.defaultHead(), 1, vocabulary, embedding);
    }

    /**
     * A model over token ids 1 … vocabulary (0 padding) whose cell reads each token's one-hot row
     * through its own per-token tables, without an embedding (hidden size 2 and the cell's default
     * head until changed).
     */
    public static SequenceSpec oneHotTokens(int vocabulary, CellKind cell) {
        return new SequenceSpec(1, cell, DEFAULT_HIDDEN, cell.defaultHead(), 1, vocabulary, 0);
    }

    public SequenceSpec withHead(Unit unit) {
        return new SequenceSpec(inputs, cell, hidden, unit, outputs, vocabulary, embedding);
    }

    public SequenceSpec withHidden(int n) {
        return new SequenceSpec(inputs, cell, n, head, outputs, vocabulary, embedding);
    }

    public SequenceSpec withOutputs(int n) {
        return new SequenceSpec(inputs, cell, hidden, head, n, vocabulary, embedding);
    }

    /** Whether each step is a token id read through an embedding. */
    public boolean readsTokens() {
        return vocabulary > 0;
    }

    /** Whether each step is a token id read through an embedding in front of the cell. */
    public boolean embedsTokens() {
        return readsTokens() && !cell.readsOneHot();
    }

    /**
     * The width of the cell's input x_t: the embedding's for tokens (the vocabulary's for a cell that
     * reads one-hot tokens), else {@link #inputs()}.
     */
    public int cellInputs() {
        return readsTokens() ? (cell.readsOneHot() ? vocabulary : embedding) : inputs;
    }

    LayerSpec headLayer() {
        return LayerSpec.of(head, outputs);
    }

    /**
     * "NAU cell(10→2) → NMU(2→1)", "embedding(29→8) → LSTM cell(8→10) → NALU(10→1)", "MAC cell(29→1) →
     * NAU(1→1)".
     */
    public String describe() {
        String front = embedsTokens() ? "embedding(" + vocabulary + "→" + embedding + ") → " : "";
        return front + cell + " cell(" + cellInputs() + "→" + hidden + ") → " + head + "(" + hidden + "→" + outputs + ")";
    }
}
