package org.jgrad.nn.functional;

import org.jgrad.autograd.NoGrad;
import org.jgrad.ops.MatmulOps;
import org.jgrad.ops.ActivationOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Stateless functions behind the layers, like {@code torch.nn.functional}: {@code F.relu(x)},
 * {@code F.softmax(x, 1)}, {@code F.linear(x, w, b)}. Randomized functions take a {@link Generator}.
 */
public final class F {
    private F() {}

    /** {@code x Wᵀ + b} on the last dimension; {@code bias} may be null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2)
            throw new IllegalArgumentException("linear: weight must be 2-D [out_features, in_features], got "
                    + Shape.str(weight.shape()));
        if (input.dim() == 0 || input.size(-1) != weight.size(1))
            throw new IllegalArgumentException("linear: input " + Shape.str(input.shape())
                    + " does not end in in_features=" + weight.size(1) + " (weight " + Shape.str(weight.shape()) + ")");
        return MatmulOps.linear(input, weight, bias);
    }

    /** max(0, x). */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** x for x > 0, {@code negativeSlope}·x otherwise. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return ActivationOps.leakyRelu(x, (float) negativeSlope);
    }

    /** Leaky ReLU with PyTorch's default slope 0.01. */
    public static Tensor leakyRelu(Tensor x) {
        return leakyRelu(x, 0.01);
    }

    /**
     * Randomized leaky ReLU: in training each negative element gets its own slope from
     * U(lower, upper); in evaluation the slope is the mean {@code (lower + upper)/2}.
     */
    public static Tensor rrelu(Tensor x, double lower, double upper, boolean training, Generator gen) {
        if (!(lower <= upper))
            throw new IllegalArgumentException("rrelu: lower " + lower + " is greater than upper " + upper);
        if (!training) return leakyRelu(x, (lower + upper) / 2);
        Tensor slopes = Tensor.uniform(gen, (float) lower, (float) upper, x.shape());
        return ActivationOps.rrelu(x, slopes);
    }

    /** x for x > 0, α(eˣ − 1) otherwise. */
    public static Tensor elu(Tensor x, double alpha) {
        return ActivationOps.elu(x, (float) alpha);
    }

    /** log(1 + e^{βx})/β, linear where βx > threshold. */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        return ActivationOps.softplus(x, (float) beta, (float) threshold);
    }

    /** Softplus with PyTorch's defaults β = 1, threshold = 20 (the lectures' ln(1 + eˣ)). */
    public static Tensor softplus(Tensor x) {
        return softplus(x, 1, 20);
    }

    /** 1/(1 + e^{−x}). */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    /** The lectures' sigmoid with slope β: 1/(1 + e^{−βx}). */
    public static Tensor sigmoid(Tensor x, double beta) {
        return beta == 1 ? x.sigmoid() : x.mul((float) beta).sigmoid();
    }

    /** tanh(x). */
    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** The perceptron's step: 1 where x > threshold, else 0; zero gradient. */
    public static Tensor step(Tensor x, double threshold) {
        return ActivationOps.step(x, (float) threshold);
    }

    /** Exact GELU x·Φ(x). */
    public static Tensor gelu(Tensor x) {
        return ActivationOps.gelu(x, false);
    }

    /** GELU with {@code approximate} "none" (exact) or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        return switch (approximate) {
            case "none" -> ActivationOps.gelu(x, false);
            case "tanh" -> ActivationOps.gelu(x, true);
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        };
    }

    /** x·σ(x). */
    public static Tensor silu(Tensor x) {
        return ActivationOps.silu(x);
    }

    /** Softmax along {@code dim}, numerically stable. */
    public static Tensor softmax(Tensor x, int dim) {
        return ActivationOps.softmax(x, dim);
    }

    /** log(softmax(x)) along {@code dim}, numerically stable. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return ActivationOps.logSoftmax(x, dim);
    }

    /**
     * Inverted dropout: in training, zeroes each element with probability p and scales the rest by
     * 1/(1 − p), so that evaluation needs no rescaling; identity when not training or p = 0.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException("dropout: probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0f);
        float keep = (float) (1 - p), scale = 1 / keep;
        float[] mask = new float[x.numel()];
        for (int i = 0; i < mask.length; i++) mask[i] = gen.nextFloat() < keep ? scale : 0f;
        return x.mul(Tensor.wrap(mask, x.shape()));
    }

    /**
     * Batch normalization over dim 1 of an [N, C] or [N, C, L] input. In training (or without running
     * statistics) it normalizes with the batch's biased variance and, when running statistics are
     * given, updates them in place with the unbiased variance:
     * {@code running = (1 − momentum)·running + momentum·batch}.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        int r = x.dim();
        if (r < 2)
            throw new IllegalArgumentException("batch_norm: expected at least 2-D input [N, C, ...], got "
                    + Shape.str(x.shape()));
        int c = x.size(1);
        int[] statShape = new int[r];
        java.util.Arrays.fill(statShape, 1);
        statShape[1] = c;
        int[] dims = new int[r - 1];
        dims[0] = 0;
        for (int i = 2; i < r; i++) dims[i - 1] = i;
        Tensor mean, var;
        boolean useBatch = training || runningMean == null || runningVar == null;
        if (useBatch) {
            int n = x.numel() / Math.max(c, 1);
            if (training && n <= 1)
                throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, "
                        + "got input size " + Shape.str(x.shape()));
            mean = x.mean(dims, true);
            var = x.var(dims, 0, true);
            if (training && runningMean != null && runningVar != null) {
                try (NoGrad g = NoGrad.enter()) {
                    float m = (float) momentum;
                    Tensor unbiased = var.detach().mul((float) n / (n - 1)).reshape(c);
                    runningMean.mulInPlace(1 - m).addInPlace(mean.detach().reshape(c), m);
                    runningVar.mulInPlace(1 - m).addInPlace(unbiased, m);
                }
            }
        } else {
            mean = runningMean.reshape(statShape);
            var = runningVar.reshape(statShape);
        }
        Tensor y = x.sub(mean).div(var.add((float) eps).sqrt());
        if (weight != null) y = y.mul(weight.reshape(statShape));
        if (bias != null) y = y.add(bias.reshape(statShape));
        return y;
    }
}
