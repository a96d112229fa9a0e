package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Prepared op lists of a recurrent step, one per set of arrays it is called with, found by the
 * arrays' identity. A training step always sees the same arrays (its own x_t, h_{t−1}, h_t); an
 * evaluation step sees two alternating states. Building an ND4J op costs as much as running it on
 * small arrays ({@link Nd.Kernel}), so each op list is built once and run every step.
 */
final class KernelCache {
    private final List<Object[]> keys = new ArrayList<>();
    private final List<Nd.Kernel[]> kernels = new ArrayList<>();

    Nd.Kernel[] get(Supplier<Nd.Kernel[]> build, Object... arrays) {
        for (int i = 0; i < keys.size(); i++) {
            if (same(keys.get(i), arrays)) {
                return kernels.get(i);
            }
        }
        Nd.Kernel[] built = build.get();
        keys.add(arrays);
        kernels.add(built);
        return built;
    }

    private static boolean same(Object[] a, Object[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
