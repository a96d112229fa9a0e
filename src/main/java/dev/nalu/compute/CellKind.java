package dev.nalu.compute;

import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;

/** The recurrent cells: the arithmetic units and the baselines they are compared with. */
public enum CellKind {
    /** Madsen and Johansen 2020: h_t = [h_{t−1}, x_t]·W, W ∈ [−1, 1]. */
    NAU(Unit.NAU),
    /** Madsen and Johansen 2020: h_t,j = ∏_i (W_ij v_i + 1 − W_ij), W ∈ [0, 1]. */
    NMU(Unit.NMU),
    /** Trask et al. 2018: h_t = [h_{t−1}, x_t]·(tanh(Ŵ) ⊙ σ(M̂)). */
    NAC_ADD(Unit.NAC_ADD),
    /** Trask et al. 2018: h_t = exp(log(|v| + ε)·W). */
    NAC_MUL(Unit.NAC_MUL),
    /** Trask et al. 2018: the gated NALU over [h_{t−1}, x_t]. */
    NALU(Unit.NALU),
    /** Elman RNN with tanh. */
    RNN_TANH(Unit.DENSE),
    /** Elman RNN with ReLU. */
    RNN_RELU(Unit.DENSE),
    /** Gated recurrent unit. */
    GRU(Unit.DENSE),
    /** Long short-term memory. */
    LSTM(Unit.DENSE),
    /**
     * Multiply-accumulate: h_t = h_{t−1} ⊙ (x_t·M) + x_t·A; over tokens h_t = h_{t−1} ⊙ M[w_t] + A[w_t]
     * ({@link MacCell}).
     */
    MAC(Unit.NAU);

    /**
     * The output layer on the final state in Madsen and Johansen's recurrent network: the same unit
     * for the arithmetic cells, a linear layer for the baselines.
     */
    private final Unit defaultHead;

    CellKind(Unit defaultHead) {
        this.defaultHead = defaultHead;
    }

    public Unit defaultHead() {
        return defaultHead;
    }

    /** Parses "nau", "NAC+", "nac-mul", "rnn-tanh", "RNN-ReLU", "gru", "lstm", … */
    public static CellKind parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return switch (t) {
            case "NAC+", "NAC", "NACADD" -> NAC_ADD;
            case "NAC*", "NAC•", "NACMUL" -> NAC_MUL;
            case "RNN" -> RNN_TANH;
            default -> valueOf(t);
        };
    }

    /**
     * Whether the cell's input enters only through linear maps x·W_x, so that a token embedding
     * can sit in front of it ({@link SequenceSpec#tokens}): the NAU and the baselines.
     */
    public boolean embeds() {
        return this == NAU || this == RNN_TANH || this == RNN_RELU || this == GRU || this == LSTM;
    }

    /**
     * Whether the cell reads a token's one-hot row itself, its data weights being per-token tables, so
     * that a token model ({@link SequenceSpec#tokens}) has no embedding in front of it: the MAC cell.
     */
    public boolean readsOneHot() {
        return this == MAC;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    RecurrentCell create(int in, int hidden, int members, DataType type) {
        return switch (this) {
            case NAU -> new NauCell(in, hidden, members, type);
            case NMU -> new NmuCell(in, hidden, members, type);
            case NAC_ADD -> new NacAddCell(in, hidden, members, type);
            case NAC_MUL -> new NacMulCell(in, hidden, members, type);
            case NALU -> new NaluCell(in, hidden, members, type);
            case RNN_TANH, RNN_RELU -> new RnnCell(this, in, hidden, members, type);
            case GRU -> new GruCell(in, hidden, members, type);
            case LSTM -> new LstmCell(in, hidden, members, type);
            case MAC -> new MacCell(in, hidden, members, type);
        };
    }

    /** One step of the cell in float64: the next state parts from the input and the previous ones. */
    double[][] step(CellWeights w, double[] x, double[][] prev) {
        return switch (this) {
            case NAU -> NauCell.step(w, x, prev);
            case NMU -> NmuCell.step(w, x, prev);
            case NAC_ADD -> NacAddCell.step(w, x, prev);
            case NAC_MUL -> NacMulCell.step(w, x, prev);
            case NALU -> NaluCell.step(w, x, prev);
            case RNN_TANH, RNN_RELU -> RnnCell.step(w, x, prev);
            case GRU -> GruCell.step(w, x, prev);
            case LSTM -> LstmCell.step(w, x, prev);
            case MAC -> MacCell.step(w, x, prev);
        };
    }
}
