package dev.nalu.compute;

import java.util.Objects;

/**
 * A recurrent model: a cell over sequences of {@code inputs}-wide vectors with a state of
 * {@code hidden} values, then a head layer (hidden → 1) on the final state h_T.
 * Madsen and Johansen's recurrent network: hidden size 2, the head the cell's own unit
 * (linear for the baselines).
 *
 * @param identityState the NAU cell's state weights W_h start at the identity instead of the NAU's
 *                      uniform initialisation (Le, Jaitly and Hinton's IRNN initialisation, 2015:
 *                      every state value starts by carrying itself over; the data weights W_x
 *                      keep the NAU's). The same for every task and op; NAU cell only.
 */
public record SequenceSpec(int inputs, CellKind cell, int hidden, Unit head, boolean identityState) {
    public static final int DEFAULT_HIDDEN = 2;

    public SequenceSpec {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(head, "head");
        if (inputs < 1 || hidden < 1) {
            throw new IllegalArgumentException("a sequence model needs at least one input and one hidden value");
        }
        if (identityState && cell != CellKind.NAU) {
            throw new IllegalArgumentException("the identity state initialisation is for the NAU cell, not " + cell);
        }
    }

    /** The NAU's own initialisation for every weight. */
    public SequenceSpec(int inputs, CellKind cell, int hidden, Unit head) {
        this(inputs, cell, hidden, head, false);
    }

    /** Hidden size 2 and the cell's default head. */
    public static SequenceSpec of(int inputs, CellKind cell) {
        return new SequenceSpec(inputs, cell, DEFAULT_HIDDEN, cell.defaultHead());
    }

    public SequenceSpec withHead(Unit unit) {
        return new SequenceSpec(inputs, cell, hidden, unit, identityState);
    }

    public SequenceSpec withHidden(int n) {
        return new SequenceSpec(inputs, cell, n, head, identityState);
    }

    /** The NAU cell with W_h starting at the identity (see {@code identityState}). */
    public SequenceSpec withIdentityState(boolean on) {
        return new SequenceSpec(inputs, cell, hidden, head, on);
    }

    LayerSpec headLayer() {
        return LayerSpec.of(head, 1);
    }

    /** "NAU cell(10→2) → NMU(2→1)". */
    public String describe() {
        return cell + " cell(" + inputs + "→" + hidden + (identityState ? ", W_h = I at start" : "") + ") → " + head
                + "(" + hidden + "→1)";
    }
}
