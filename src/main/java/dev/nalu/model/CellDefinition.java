package dev.nalu.model;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.Unit;

/**
 * A recurrent model as JSON (docs/sequence.md): its cell ({@link CellKind}: NAU, NMU, NAC_ADD, NAC_MUL, NALU,
 * RNN_TANH, RNN_RELU, GRU, LSTM), the size of its state, the head ({@link Unit}) on the final state and its
 * outputs (null: one; counting has one per symbol).
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record CellDefinition(String cell, int hidden, String head, Integer outputs) {

    /** One output (stored without the field, as before outputs existed). */
    public CellDefinition(String cell, int hidden, String head) {
        this(cell, hidden, head, null);
    }

    public static CellDefinition of(SequenceSpec spec) {
        return new CellDefinition(spec.cell().name(), spec.hidden(), spec.head().name(),
                spec.outputs() == 1 ? null : spec.outputs());
    }

    /** @throws IllegalArgumentException if the cell or the head is unknown, or the sizes are not positive */
    public SequenceSpec toSpec(int inputs) {
        if (cell == null || head == null) {
            throw new IllegalArgumentException("a recurrent model needs its cell and its head");
        }
        return new SequenceSpec(inputs, CellKind.parse(cell), hidden, Unit.parse(head)).withOutputs(outputs == null ? 1
                : outputs);
    }
}
