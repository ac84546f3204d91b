package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Stochastic depth (Huang et al., "Deep Networks with Stochastic Depth"), like
 * {@code torchvision.ops.StochasticDepth}: in training, the residual branch it wraps is dropped with
 * probability {@code p} and kept, scaled by {@code 1/(1 − p)}, with the survival rate {@code 1 − p};
 * in evaluation it is the identity. Put it on a block's residual branch, before the addition:
 * {@code out = x + stochasticDepth(branch(x))}.
 *
 * <p>Mode {@code "row"} decides per sample (one draw for each index of dim 0, so each example of a
 * batch takes its own depth); mode {@code "batch"} makes one draw for the whole batch. With
 * {@code p = 1} every branch is dropped and the output is zero (no scaling, as in torchvision).
 * The draws come from the module's {@link Generator} (see {@link Stochastic}), so a run repeats
 * exactly from the same seed.
 *
 * <p>The paper's <b>linear decay rule</b> sets block {@code l}'s drop probability to
 * {@code p_l = p · l / L} for {@code L} blocks: the first blocks, which compute low-level features
 * every later block uses, are almost always kept, and the last one is dropped with {@code p}; see
 * {@link #linearDecay}.
 */
public class StochasticDepth extends Module implements Stochastic {
    private final double p;
    private final String mode;
    private Generator generator;

    /**
     * @param p    the probability of dropping the branch, in [0, 1]
     * @param mode {@code "row"} (one draw per sample) or {@code "batch"} (one draw for the batch)
     * @throws IllegalArgumentException naming the bad value
     */
    public StochasticDepth(double p, String mode) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException("StochasticDepth: drop probability has to be between 0 and 1, but got " + p);
        if (!"row".equals(mode) && !"batch".equals(mode))
            throw new IllegalArgumentException("StochasticDepth: mode has to be either 'batch' or 'row', but got " + mode);
        this.p = p;
        this.mode = mode;
    }

    /**
     * The linear decay rule: the drop probability {@code p · l / L} of block {@code l} of
     * {@code numBlocks = L}. Counting blocks from 0, as torchvision's EfficientNet and ConvNeXt do
     * ({@code l = 0 … L−1}), the first block is never dropped and the last is dropped with
     * {@code p·(L−1)/L}; counting from 1, as the paper does ({@code l = 1 … L}), the last is dropped with
     * {@code p} exactly.
     *
     * @throws IllegalArgumentException when {@code p} is outside [0, 1], {@code numBlocks < 1} or
     *                                  {@code l} outside [0, numBlocks]
     */
    public static double linearDecay(double p, int l, int numBlocks) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException("StochasticDepth.linearDecay: p has to be between 0 and 1, but got " + p);
        if (numBlocks < 1 || l < 0 || l > numBlocks)
            throw new IllegalArgumentException("StochasticDepth.linearDecay: block " + l + " of " + numBlocks
                    + " blocks; need numBlocks >= 1 and 0 <= l <= numBlocks");
        return p * l / numBlocks;
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    /** {@code "row"} or {@code "batch"}. */
    public String mode() {
        return mode;
    }

    @Override
    public StochasticDepth setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    @Override
    public Generator generator() {
        return generator != null ? generator : DefaultGenerator.get();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) return input;
        if (input.dim() == 0)
            throw new IllegalArgumentException("StochasticDepth: expected an input with a batch dimension, got a scalar");
        Generator gen = generator();
        double survival = 1 - p;
        boolean[] keep = new boolean["row".equals(mode) ? input.size(0) : 1];
        for (int i = 0; i < keep.length; i++) keep[i] = gen.nextDouble() < survival;
        return apply(input, keep, p, mode);
    }

    /**
     * The training-mode output for given keep decisions: {@code keep[i]} for sample {@code i} in
     * mode "row" (length N), {@code keep[0]} for the whole batch in mode "batch" (length 1); kept
     * entries are scaled by {@code 1/(1 − p)}. For reproducing another library's draws.
     */
    public static Tensor apply(Tensor input, boolean[] keep, double p, String mode) {
        int[] shape = new int[input.dim()];
        Arrays.fill(shape, 1);
        boolean row = "row".equals(mode);
        if (row) shape[0] = input.size(0);
        if (keep.length != (row ? input.size(0) : 1))
            throw new IllegalArgumentException("StochasticDepth: mode " + mode + " needs " + (row ? input.size(0) : 1)
                    + " keep decisions for input shape " + Arrays.toString(input.shape()) + ", got " + keep.length);
        float scale = p < 1 ? (float) (1 / (1 - p)) : 0f;
        float[] noise = new float[keep.length];
        for (int i = 0; i < keep.length; i++) noise[i] = keep[i] ? scale : 0f;
        return input.mul(TensorData.wrap(noise, shape));
    }

    /** torchvision prints the mode unquoted: {@code StochasticDepth(p=0.2, mode=row)}. */
    @Override
    public String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", mode=" + mode;
    }
}
