package org.jgrad.keras;

import org.jgrad.io.MemoryBudget;

/**
 * How many parameter values a model built from a config may have, checked layer by layer before the
 * layer's tensors are allocated: a config is a claim like a header is. Loading from a file allows what
 * the file's weights hold (every parameter of a Keras model is stored in it, so a config asking for
 * more is wrong); a config alone allows what {@link MemoryBudget} allows.
 */
final class ParameterBudget {
    private final long maxValues;
    private final String why;
    private long used;

    private ParameterBudget(long maxValues, String why) {
        this.maxValues = maxValues;
        this.why = why;
    }

    /** At most the values stored in a weights file (plus a little for layers Keras stores nothing for). */
    static ParameterBudget ofWeights(long storedValues) {
        return new ParameterBudget(storedValues + 4096, "the " + storedValues + " values the file's weights hold");
    }

    /** At most what the reader memory budget allows as float32. */
    static ParameterBudget ofMemory() {
        return new ParameterBudget(MemoryBudget.bytes() / 4, "the readers' memory budget of "
                + (MemoryBudget.bytes() >> 20) + " MiB");
    }

    /** A fresh budget with the same limit. */
    ParameterBudget copy() {
        return new ParameterBudget(maxValues, why);
    }

    /** Claims {@code values} more parameter values (products computed without overflow) for the layer. */
    void claim(LayerArgs a, long... factors) throws KerasFormatException {
        long v = 1;
        for (long f : factors) {
            if (f < 0) return;
            v = f != 0 && v > Long.MAX_VALUE / f ? Long.MAX_VALUE : v * f;
        }
        used = v > Long.MAX_VALUE - used ? Long.MAX_VALUE : used + v;
        if (used > maxValues)
            throw a.error(null, "the layer brings the model to " + (used == Long.MAX_VALUE ? "more than 2^63" : used)
                    + " parameter values, more than " + why);
    }
}
