package dev.nalu.search;

import java.util.ArrayList;
import java.util.List;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.TrainingData;
import dev.nalu.compute.Unit;

/**
 * The architectures a search races, simplest first, chosen from the shape of the data only (number
 * of inputs, their signs, the targets' signs on the interpolation validation set), never from a
 * formula: the search still learns which inputs each unit uses, with which sign, exponent and
 * constant. Each family is a closed form the units can express exactly (docs/search.md):
 *
 * <ol>
 *   <li><b>sum</b> NAU(n+1→1): a signed sum of inputs and a constant;</li>
 *   <li><b>monomial</b> NPU(n→1)·c: a product of powers with a constant factor (a·b·c/d, x²/2, 4πr²);
 *       left out when every input is positive and some target is not, since c·∏xᵢ^wᵢ is then positive;</li>
 *   <li><b>sum of products</b> NMU(n→t) → NAU(t+1→1) and <b>sum of monomials</b> NPU(n→t)·c →
 *       NAU(t+1→1), t = 2, then 3 when n ≥ 3 (a·b + c·d, a² + b², (a + b)·c − a = a·c + b·c − a,
 *       1 − v²/c²);</li>
 *   <li><b>quotient or power of sums</b> NAU(n+1→2) → NPU(2→1)·c ((a + b)/(c + d)) and <b>product of
 *       sums</b> NAU(n+1→2) → NMU(2→1), with n ≥ 2;</li>
 *   <li><b>product of powers of many sums</b> NAU(n+1→m) → NPU(m→1)·c, m = min(n + 1, {@value #MAX_SUMS}), with
 *       n ≥ 2: each NAU output an input or a sum, so m₀·c·(c − v)^−½·(c + v)^−½ = m₀/√(1 − v²/c²) and
 *       ω₀·c/(c − v) = ω₀/(1 − v/c) are one product;</li>
 *   <li><b>power of a sum of monomials</b> NPU(n→2)·c → NAU(2+1→1) → NPU(1→1)·c (√(a² + b²));</li>
 *   <li><b>ratio of powers of sums of monomials</b> NPU(n→t)·c → NAU(t+1→2) → NPU(2→1)·c, t = min(n + 1,
 *       {@value #MAX_TERMS}), with 2 ≤ n ≤ {@value #MAX_RATIO_INPUTS}: (u + v)/(1 + uv/c²) =
 *       (c²/v + c²/u)/(c²/(uv) + 1), (m₁r₁ + m₂r₂)/(m₁ + m₂), m₀/√(1 − v²/c²) = (1/m₀² − v²/(c²m₀²))^−½.</li>
 * </ol>
 *
 * With one input the families collapse to the sum, the monomial, NPU(1→2)·c → NAU(2+1→1) and the
 * power of a shifted input NAU(1+1→1) → NPU(1→1)·c.
 *
 * @param candidates the architectures, simplest first (the order that breaks ties and early stop)
 * @param rule       which data-shape rule chose them
 * @param reason     the rule in a sentence a user can read
 */
public record SearchPlan(List<Candidate> candidates, String rule, String reason) {
    public SearchPlan {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one candidate architecture");
        }
    }

    /** One architecture in the race: its readable name ("NPU(3→1)·c") and its model. */
    public record Candidate(String name, ModelSpec spec) {
        public static Candidate of(ModelSpec spec) {
            return new Candidate(nameOf(spec), spec);
        }
    }

    /** The candidates for this data, from its shape only. */
    public static SearchPlan forData(TrainingData data) {
        TrainingData.EvalSet v = data.validation();
        boolean inputsPositive = true;
        for (double x : v.x()) {
            inputsPositive &= x > 0;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double y : v.y()) {
            min = Math.min(min, y);
            max = Math.max(max, y);
        }
        return forShape(data.inputs(), inputsPositive, new dev.nalu.task.Bounds(min, max));
    }

    /**
     * The candidates for data of {@code n} inputs, all positive or not, whose targets span {@code targets}: the
     * shape {@link #forData} reads from validation rows, or a job from its dataset's column statistics.
     */
    public static SearchPlan forShape(int n, boolean inputsPositive, dev.nalu.task.Bounds targets) {
        double min = targets.lo();
        double max = targets.hi();
        boolean monomialPossible = !inputsPositive || min > 0;
        List<ModelSpec> specs = new ArrayList<>();
        LayerSpec out = LayerSpec.withConstant(Unit.NAU, 1);
        specs.add(ModelSpec.of(n, out));
        if (monomialPossible) {
            specs.add(ModelSpec.of(n, npu(1)));
        }
        if (n == 1) {
            specs.add(ModelSpec.of(n, npu(2), out));
            specs.add(ModelSpec.of(n, LayerSpec.withConstant(Unit.NAU, 1), npu(1)));
        } else {
            specs.add(ModelSpec.of(n, LayerSpec.of(Unit.NMU, 2), out));
            specs.add(ModelSpec.of(n, npu(2), out));
            specs.add(ModelSpec.of(n, LayerSpec.withConstant(Unit.NAU, 2), npu(1)));
            specs.add(ModelSpec.of(n, LayerSpec.withConstant(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1)));
            if (n >= 3) {
                specs.add(ModelSpec.of(n, LayerSpec.of(Unit.NMU, 3), out));
                specs.add(ModelSpec.of(n, npu(3), out));
            }
            int wide = Math.min(n + 1, MAX_SUMS);
            specs.add(ModelSpec.of(n, LayerSpec.withConstant(Unit.NAU, wide), npu(1)));
        }
        specs.add(ModelSpec.of(n, npu(2), LayerSpec.withConstant(Unit.NAU, 1), npu(1)));
        if (n >= 2 && n <= MAX_RATIO_INPUTS) {
            int terms = Math.min(n + 1, MAX_TERMS);
            specs.add(ModelSpec.of(n, npu(terms), LayerSpec.withConstant(Unit.NAU, 2), npu(1)));
        }
        List<Candidate> candidates = specs.stream().map(Candidate::of).toList();
        String signs = (inputsPositive ? "positive inputs" : "inputs of both signs") + ", targets "
                + (min > 0 ? "positive" : max < 0 ? "negative" : "of both signs");
        String rule = (n == 1 ? "one-input" : n == 2 ? "two-input" : "many-input") + (monomialPossible ? "" : "-no-monomial");
        String reason = n + " input" + (n == 1 ? "" : "s") + ", " + signs + ": " + candidates.size()
                + " families, simplest first" + (monomialPossible ? ""
                        : "; no lone monomial, since c·∏xᵢ^wᵢ is positive on positive inputs and some targets are not")
                + (n >= 3 ? "; sums of up to 3 terms" : n == 2 ? "; sums of up to 2 terms" : "");
        return new SearchPlan(candidates, rule, reason);
    }

    /** The widest NAU under a RealNPU: products of powers of up to this many sums. */
    static final int MAX_SUMS = 6;

    /** The most monomials under the two sums of a ratio of powers of sums. */
    static final int MAX_TERMS = 4;

    /**
     * The most inputs a ratio of powers of sums is raced on: with 9 inputs (Feynman I.9.18) its 64 parameters made
     * the refit on training rows take the search from 252 s to 1204 s, twice the budget of a job.
     */
    static final int MAX_RATIO_INPUTS = 6;

    private static LayerSpec npu(int out) {
        return LayerSpec.withConstant(Unit.REAL_NPU, out);
    }

    /** "NPU(3→1)·c", "NAU(4+1→2) → NMU(2→1)". */
    static String nameOf(ModelSpec spec) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            String unit = l.unit() == Unit.REAL_NPU ? "NPU" : l.unit().toString();
            String in = l.constant() && l.unit() == Unit.NAU ? spec.in(i) + "+1" : Integer.toString(spec.in(i));
            String scale = l.constant() && l.unit() == Unit.REAL_NPU ? "·c" : "";
            parts.add(unit + "(" + in + "→" + l.out() + ")" + scale);
        }
        return String.join(" → ", parts);
    }
}
