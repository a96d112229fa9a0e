package dev.nalu.model;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.Unit;

/**
 * A recurrent model as JSON (docs/sequence.md): its cell ({@link CellKind}: NAU, NMU, NAC_ADD, NAC_MUL, NALU,
 * RNN_TANH, RNN_RELU, GRU, LSTM), the size of its state, and the head ({@link Unit}) on the final state.
 */
public record CellDefinition(String cell, int hidden, String head) {

    public static CellDefinition of(SequenceSpec spec) {
        return new CellDefinition(spec.cell().name(), spec.hidden(), spec.head().name());
    }

    /** @throws IllegalArgumentException if the cell or the head is unknown, or the sizes are not positive */
    public SequenceSpec toSpec(int inputs) {
        if (cell == null || head == null) {
            throw new IllegalArgumentException("a recurrent model needs its cell and its head");
        }
        return new SequenceSpec(inputs, CellKind.parse(cell), hidden, Unit.parse(head));
    }
}
