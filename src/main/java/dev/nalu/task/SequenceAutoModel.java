package dev.nalu.task;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.Unit;

/**
 * The recurrent model {@code "model": "auto"} trains for a sequence task, chosen from the op alone (never from
 * its subsets or any weight: the model still learns which values to sum and with what sign). As the static
 * {@link AutoModel} picks for the arithmetic task, the cell accumulates and the head combines:
 *
 * <ul>
 *   <li><b>sum</b> (add, sub, running sum): NAU cell (hidden 2) → NAU head. The NAU cell is the reliable
 *       accumulator: docs/sequence.md ("What the tests show") has it learning the running sum and recurrent +
 *       with fixed seeds, snapped exact to lengths 10,000 and 1000.</li>
 *   <li><b>product of sums</b> (mul, square): NAU cell (hidden 2) → NMU head: the cell keeps a and b (for a²
 *       both state values learn a), the head multiplies them, as NAU → NMU on the static task.</li>
 *   <li><b>quotient</b> (div): NAU cell (hidden 2) → RealNPU head (a¹ · b⁻¹: its exponents are learned reals).
 *       It has no exact snapped form here: a RealNPU head does not snap.</li>
 *   <li><b>root</b> (sqrt): NAU cell (hidden 1) → RealNPU head: √a reads one running sum, as NAU(n→1) →
 *       RealNPU on the static task. No exact snapped form either.</li>
 *   <li><b>running product</b>: NMU cell (hidden 2) → NMU head: docs/sequence.md shows it snapping to
 *       y_t = y_{t−1} · x_t.</li>
 * </ul>
 *
 * Unmeasured at the protocol's budget: docs/results/recurrent.md has one small run (5,000 steps, one seed),
 * where only the NAU cell on + succeeded.
 */
public final class SequenceAutoModel {

    /** The chosen model, the rule that chose it and why. */
    public record Choice(SequenceSpec spec, String rule, String reason) {
    }

    private SequenceAutoModel() {
    }

    /** The embedding, state size and head of {@link #numberWords()}: NumberWordsBenchmark's best row. */
    public static final int WORDS_EMBEDDING = 16;
    public static final int WORDS_HIDDEN = 10;
    /** The widest embedding a number-words model may have: Trask et al.'s (about 256). */
    public static final int MAX_EMBEDDING = 256;

    /**
     * The model for number words (docs/sequence.md, "Number words"): an embedding of the 29 tokens, a recurrent
     * encoder and a head on its final state. The one place the choice is made: a better encoder or head plugs in
     * here. Measured with {@code NumberWordsBenchmark} (docs/results/number-words.md, one seed, 2000 steps): the
     * LSTM encoder with a NALU head had the lowest test MAE (47), against 83 with a linear head and 259 with a GRU;
     * NAC and NAU heads cannot leave the LSTM's range (MAE about 490).
     */
    public static Choice numberWords() {
        return new Choice(SequenceSpec.tokens(NumberWords.VOCABULARY, WORDS_EMBEDDING, CellKind.LSTM)
                .withHidden(WORDS_HIDDEN).withHead(Unit.NALU), "number-words-lstm-nalu",
                "an embedding of the 29 tokens read by an LSTM (hidden 10), then a NALU on its final state: the lowest "
                        + "test MAE measured (47 after 2000 steps; docs/results/number-words.md), far from exact");
    }

    /** The model for {@code op} over steps of {@code inputs} values. */
    public static Choice choose(String op, int inputs) {
        return switch (op) {
            case "add", "sub", "sum" -> new Choice(new SequenceSpec(inputs, CellKind.NAU, 2, Unit.NAU), "sequence-sum",
                    "a running sum (NAU cell) then a signed sum of its state (NAU head)");
            case "mul", "square" -> new Choice(new SequenceSpec(inputs, CellKind.NAU, 2, Unit.NMU), "sequence-product-of-sums",
                    "two running sums (NAU cell) then their product (NMU head); a² is a · a");
            case "div" -> new Choice(new SequenceSpec(inputs, CellKind.NAU, 2, Unit.REAL_NPU), "sequence-quotient",
                    "two running sums (NAU cell) then their quotient (RealNPU head); it does not snap to a formula");
            case "sqrt" -> new Choice(new SequenceSpec(inputs, CellKind.NAU, 1, Unit.REAL_NPU), "sequence-root",
                    "one running sum (NAU cell, hidden 1) then its power (RealNPU head): √a reads only a; it does not "
                            + "snap to a formula");
            case "product" -> new Choice(new SequenceSpec(inputs, CellKind.NMU, 2, Unit.NMU), "sequence-running-product",
                    "a running product (NMU cell) then a product of its state (NMU head)");
            case "count" -> new Choice(new SequenceSpec(inputs, CellKind.NAU, inputs, Unit.NAU).withOutputs(inputs),
                    "sequence-count", "a running sum of each one-hot symbol (NAU cell, hidden k) then a signed sum of "
                            + "its state per count (NAU head, k outputs)");
            default -> throw new IllegalArgumentException("no sequence op '" + op + "'");
        };
    }
}
