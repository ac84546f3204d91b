package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/** How a loss combines its per-element values, like PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** Keep the per-element (or per-sample) losses. */
    NONE("none"),
    /** Average them (a 0-d tensor). Some losses divide by a weighted count; see each loss. */
    MEAN("mean"),
    /** Add them up (a 0-d tensor). */
    SUM("sum");

    private final String pyName;

    Reduction(String pyName) {
        this.pyName = pyName;
    }

    /** PyTorch's spelling: {@code "none"}, {@code "mean"} or {@code "sum"}. */
    public String pyName() {
        return pyName;
    }

    /** Parses PyTorch's spelling. */
    public static Reduction of(String name) {
        for (Reduction r : values()) if (r.pyName.equals(name)) return r;
        throw new IllegalArgumentException("reduction: expected one of none, mean, sum, got '" + name + "'");
    }

    /** Applies this reduction with a plain element count for the mean. */
    public Tensor apply(Tensor losses) {
        return switch (this) {
            case NONE -> losses;
            case MEAN -> losses.mean();
            case SUM -> losses.sum();
        };
    }

    /** Applies this reduction with {@code divisor} in place of the element count for the mean. */
    Tensor apply(Tensor losses, double divisor) {
        return switch (this) {
            case NONE -> losses;
            case MEAN -> losses.sum().div((float) divisor);
            case SUM -> losses.sum();
        };
    }
}
