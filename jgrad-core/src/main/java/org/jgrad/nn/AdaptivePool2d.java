package org.jgrad.nn;

/**
 * What {@link AdaptiveAvgPool2d} and {@link AdaptiveMaxPool2d} share: a fixed output size whatever
 * the input size, and PyTorch's printout ({@code output_size=7} for a square size given as one
 * number, {@code output_size=(7, 7)} for a pair).
 */
public abstract class AdaptivePool2d extends Module {
    private final int outH, outW;
    private final boolean tuple;

    /** @param tuple whether the size was given as a pair, which decides how it prints */
    protected AdaptivePool2d(int outH, int outW, boolean tuple) {
        if (outH <= 0 || outW <= 0)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": output size must be positive, got ("
                    + outH + ", " + outW + ")");
        this.outH = outH;
        this.outW = outW;
        this.tuple = tuple;
    }

    /** The output height and width. */
    public int[] outputSize() {
        return new int[] {outH, outW};
    }

    /** The fixed output height, for subclasses' forward passes. */
    protected int outH() {
        return outH;
    }

    /** The fixed output width, for subclasses' forward passes. */
    protected int outW() {
        return outW;
    }

    @Override
    public String extraRepr() {
        return "output_size=" + PyTuple.intOrPair(outH, outW, tuple);
    }
}
