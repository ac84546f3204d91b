package org.jgrad.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * Partial sums that the ranges of a {@link Parallel#forRange} fill side by side, added into their
 * target in the order of the ranges once all have run: the same float sum whichever thread ran which
 * range and whichever finished first. Adding each partial under a lock as it finished made a weight
 * gradient, and with it a training run, differ in the last bits from run to run.
 */
public final class PartialSums {
    private final ConcurrentSkipListMap<Integer, float[]> parts = new ConcurrentSkipListMap<>();

    /** Records range {@code from}'s partial sum (called from the range's own thread). */
    public void put(int from, float[] part) {
        parts.put(from, part);
    }

    /** Hands the partial sums to {@code combine} in range order (call after the ranges have run). */
    public void combineInOrder(Consumer<float[]> combine) {
        for (float[] p : parts.values()) combine.accept(p);
    }

    /** The partial sums in range order (call after the ranges have run). */
    public List<float[]> inOrder() {
        return new ArrayList<>(parts.values());
    }

    /**
     * {@code target[j] += part[j]} for every partial sum, in range order; large targets are cut into
     * ranges of elements across the pool (each element's additions keep their order).
     */
    public void addInto(float[] target) {
        List<float[]> list = inOrder();
        if (list.isEmpty()) return;
        Parallel.forRange(target.length, (int) Math.max(1 << 14, (1L << 16) / list.size()), (a, b) -> {
            for (float[] p : list)
                for (int j = a; j < b; j++) target[j] += p[j];
        });
    }
}
