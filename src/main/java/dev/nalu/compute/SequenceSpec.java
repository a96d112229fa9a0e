package dev.nalu.compute;

import java.util.Objects;

/**
 * A recurrent model: a cell over sequences of {@code inputs}-wide vectors with a state of
 * {@code hidden} values, then a head layer (hidden → 1) on the final state h_T.
 * Madsen and Johansen's recurrent network: hidden size 2, the head the cell's own unit
 * (linear for the baselines).
 */
public record SequenceSpec(int inputs, CellKind cell, int hidden, Unit head) {
    public static final int DEFAULT_HIDDEN = 2;

    public SequenceSpec {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(head, "head");
        if (inputs < 1 || hidden < 1) {
            throw new IllegalArgumentException("a sequence model needs at least one input and one hidden value");
        }
    }

    /** Hidden size 2 and the cell's default head. */
    public static SequenceSpec of(int inputs, CellKind cell) {
        return new SequenceSpec(inputs, cell, DEFAULT_HIDDEN, cell.defaultHead());
    }

    public SequenceSpec withHead(Unit unit) {
        return new SequenceSpec(inputs, cell, hidden, unit);
    }

    public SequenceSpec withHidden(int n) {
        return new SequenceSpec(inputs, cell, n, head);
    }

    LayerSpec headLayer() {
        return LayerSpec.of(head, 1);
    }

    /** "NAU cell(10→2) → NMU(2→1)". */
    public String describe() {
        return cell + " cell(" + inputs + "→" + hidden + ") → " + head + "(" + hidden + "→1)";
    }
}
