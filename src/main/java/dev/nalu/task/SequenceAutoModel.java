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

    /** An explicit number-words model's defaults: an embedding of 16 values and an LSTM of 10 (Trask et al.'s sizes). */
    public static final int WORDS_EMBEDDING = 16;
    public static final int WORDS_HIDDEN = 10;
    /** The MAC cell's state for number words: the one value the recursion needs. */
    public static final int WORDS_MAC_HIDDEN = 1;
    /** The widest embedding a number-words model may have: Trask et al.'s (about 256). */
    public static final int MAX_EMBEDDING = 256;

    /**
     * The model for number words (docs/sequence.md, "Number words"): the MAC cell, h_t = h_{t−1}·M[w_t] + A[w_t]
     * with per-token tables (one state value), then an NAU head, refitted and snapped to integer tables at the end of a
     * job ({@code MacRefit}). The one place the choice is made. Measured with {@code NumberWordsBenchmark}
     * (docs/results/number-words.md): at its training defaults (3000 steps, 16 members) every number of every split
     * read exactly on 21 of 21 seeds; an embedding, an LSTM of 10 and a NALU head reached test MAE 31 to 47 on seeds
     * 1–3 (2000 steps), a linear head 79 to 83.
     */
    public static Choice numberWords() {
        return new Choice(SequenceSpec.oneHotTokens(NumberWords.VOCABULARY, CellKind.MAC).withHidden(WORDS_MAC_HIDDEN)
                .withHead(Unit.NAU), "number-words-mac",
                "the MAC cell (h = h·M[word] + A[word], per-token tables, one state value) then an NAU head, refitted and "
                        + "snapped to integer tables: every number read exactly on 21 of 21 seeds (docs/results/number-words.md)");
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
