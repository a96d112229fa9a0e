package dev.nalu.search;

import dev.nalu.evaluation.Formula;

/**
 * Size of a formula, the "simplest" of the front: the nodes of its tree. An input or a constant is one
 * node; a sum or product is one node plus its terms, plus one for every coefficient other than ±1 and
 * every exponent other than 1 (so a/b = a·b⁻¹ counts 4 and a + b counts 3).
 */
public final class Complexity {
    private Complexity() {
    }

    public static int of(Formula f) {
        if (f instanceof Formula.Sum s) {
            int n = 1;
            for (int i = 0; i < s.terms().size(); i++) {
                n += of(s.terms().get(i)) + (Math.abs(s.coefficients().get(i)) == 1 ? 0 : 1);
            }
            return n;
        }
        if (f instanceof Formula.Product p) {
            int n = 1;
            for (int i = 0; i < p.factors().size(); i++) {
                n += of(p.factors().get(i)) + (p.exponents().get(i) == 1 ? 0 : 1);
            }
            return n;
        }
        return 1;
    }
}
