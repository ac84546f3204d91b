package org.jgrad.nn;

import org.jgrad.ops.MatmulOps;

import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * A fully connected layer {@code y = x Wᵀ + b} on the last dimension, like {@code torch.nn.Linear}:
 * weight {@code [out_features, in_features]}, bias {@code [out_features]}. Initialized as PyTorch
 * does: Kaiming uniform with a = √5 for the weight, which is U(−1/√in, 1/√in), and the same bound
 * for the bias.
 */
public class Linear extends Module {
    private final int inFeatures, outFeatures;

    /** A layer with bias, initialized from {@link DefaultGenerator#get()}. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, DefaultGenerator.get());
    }

    /** A layer with or without bias, initialized from {@link DefaultGenerator#get()}. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, DefaultGenerator.get());
    }

    /**
     * A layer initialized from {@code gen}; a null {@code gen} leaves the parameters zero for a caller
     * that applies its own scheme right after (so a large layer is not drawn twice).
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures < 0 || outFeatures < 0)
            throw new IllegalArgumentException("Linear: feature counts must be non-negative, got in_features="
                    + inFeatures + ", out_features=" + outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        registerParameter("bias", bias ? Tensor.zeros(outFeatures) : null);
        if (gen != null) resetParameters(gen);
    }

    /** Re-draws the parameters with PyTorch's default scheme. */
    public void resetParameters(Generator gen) {
        Init.kaimingUniform(weight(), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", gen);
        if (bias() != null && inFeatures > 0) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform(bias(), -bound, bound, gen);
        }
    }

    /** The weight, shape [out_features, in_features]. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for a layer built with {@code bias=false}. */
    public Tensor bias() {
        return parameter("bias");
    }

    /** The size of each input sample. */
    public int inFeatures() {
        return inFeatures;
    }

    /** The size of each output sample. */
    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.linear(input, weight(), bias());
    }

    /** {@code relu(forward(input))} with the bias and the ReLU in one pass ({@link Sequential} fuses Linear, ReLU). */
    Tensor forwardRelu(Tensor input) {
        return input.dim() == 2 ? MatmulOps.linearRelu(input, weight(), bias()) : forward(input).relu();
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyRepr.pyBool(bias() != null);
    }
}
