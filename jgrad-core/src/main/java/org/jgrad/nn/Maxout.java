package org.jgrad.nn;

import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Maxout (Goodfellow et al.): {@code max(w₁ᵀx + b₁, …, w_kᵀx + b_k)} for each of {@code out} units.
 * One {@link Linear} computes all {@code out·k} pieces; output unit j takes the max over pieces
 * {@code j·k … j·k + k − 1} (state-dict keys {@code linear.weight}, {@code linear.bias}).
 */
public class Maxout extends Module {
    private final int inFeatures, outFeatures, pieces;
    private final Linear linear;

    /** {@code outFeatures} units, each the max of {@code pieces} affine maps, initialized from the default generator. */
    public Maxout(int inFeatures, int outFeatures, int pieces) {
        this(inFeatures, outFeatures, pieces, DefaultGenerator.get());
    }

    /** As {@link #Maxout(int, int, int)}, initialized from {@code gen}. */
    public Maxout(int inFeatures, int outFeatures, int pieces, Generator gen) {
        if (pieces < 1) throw new IllegalArgumentException("Maxout: pieces must be at least 1, got " + pieces);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.pieces = pieces;
        this.linear = registerModule("linear", new Linear(inFeatures, outFeatures * pieces, true, gen));
    }

    /** The layer computing all pieces. */
    public Linear linear() {
        return linear;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor z = linear.call(input);
        int[] s = z.shape();
        int[] split = java.util.Arrays.copyOf(s, s.length + 1);
        split[s.length - 1] = outFeatures;
        split[s.length] = pieces;
        return z.reshape(split).max(-1, false).values();
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", pieces=" + pieces;
    }
}
