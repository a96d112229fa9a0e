package dev.nalu.model;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.Unit;

/**
 * A recurrent model as JSON (docs/sequence.md): its cell ({@link CellKind}: NAU, NMU, NAC_ADD, NAC_MUL, NALU, MAC,
 * RNN_TANH, RNN_RELU, GRU, LSTM), the size of its state, the head ({@link Unit}) on the final state and its
 * outputs (null: one; counting has one per symbol). A model that reads tokens (number words) has the size of its
 * vocabulary and of its embedding (values per token; 0 for the MAC cell, whose tables read the tokens) too; both are
 * null for a model over vectors.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record CellDefinition(String cell, int hidden, String head, Integer outputs, Integer vocabulary,
                             Integer embedding) {

    /** One output (stored without the field, as before outputs existed). */
    public CellDefinition(String cell, int hidden, String head) {
        this(cell, hidden, head, null);
    }

    /** A model over vectors. */
    public CellDefinition(String cell, int hidden, String head, Integer outputs) {
        this(cell, hidden, head, outputs, null, null);
    }

    public static CellDefinition of(SequenceSpec spec) {
        return new CellDefinition(spec.cell().name(), spec.hidden(), spec.head().name(),
                spec.outputs() == 1 ? null : spec.outputs(), spec.readsTokens() ? spec.vocabulary() : null,
                spec.readsTokens() ? spec.embedding() : null);
    }

    /** @throws IllegalArgumentException if the cell or the head is unknown, or the sizes are not positive */
    public SequenceSpec toSpec(int inputs) {
        if (cell == null || head == null) {
            throw new IllegalArgumentException("a recurrent model needs its cell and its head");
        }
        if ((vocabulary == null) != (embedding == null)) {
            throw new IllegalArgumentException("a model that reads tokens has both its vocabulary and its embedding");
        }
        return new SequenceSpec(inputs, CellKind.parse(cell), hidden, Unit.parse(head), outputs == null ? 1 : outputs,
                vocabulary == null ? 0 : vocabulary, embedding == null ? 0 : embedding);
    }
}
