package org.jgrad.nn.functional;

import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.loss.Losses;
import org.jgrad.nn.loss.Reduction;
import org.jgrad.ops.ActivationOps;
import org.jgrad.ops.AdaptivePoolOps;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ConvOps;
import org.jgrad.ops.EmbeddingBagOps;
import org.jgrad.ops.EmbeddingOps;
import org.jgrad.ops.LayerNormOps;
import org.jgrad.ops.MatmulOps;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.ops.PoolOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Stateless functions behind the layers, like {@code torch.nn.functional}: {@code F.relu(x)},
 * {@code F.softmax(x, 1)}, {@code F.linear(x, w, b)}, {@code F.conv2d(x, w, b, 1, 1)},
 * {@code F.maxPool2d(x, 2)}, {@code F.crossEntropy(logits, labels)}. Names are torch's in Java's
 * camel case ({@code max_pool2d} → {@code maxPool2d}), arguments in torch's order; an overload with
 * fewer arguments uses torch's defaults. Randomized functions take a {@link Generator}.
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

    /** Rows of {@code weight} [num_embeddings, dim] picked by the int64 {@code input}, like {@code F.embedding}. */
    public static Tensor embedding(Tensor input, Tensor weight) {
        return EmbeddingOps.embedding(weight, input, -1);
    }

    /** {@link #embedding(Tensor, Tensor)} whose row {@code paddingIdx} gets no gradient. */
    public static Tensor embedding(Tensor input, Tensor weight, int paddingIdx) {
        return EmbeddingOps.embedding(weight, input, paddingIdx);
    }

    /**
     * Sums, means or maxima of the rows of {@code weight} over bags of indices, like {@code F.embedding_bag}:
     * {@code input} 2-D (one bag a row, {@code offsets} null) or 1-D with {@code offsets}; see
     * {@link EmbeddingBagOps#embeddingBag} for every argument. {@code mode} is "sum", "mean" or "max";
     * {@code perSampleWeights} (or null) goes with "sum"; {@code paddingIdx} may be null or count from the end.
     */
    public static Tensor embeddingBag(Tensor input, Tensor weight, Tensor offsets, String mode, Tensor perSampleWeights,
            boolean includeLastOffset, Integer paddingIdx) {
        long pad = -1;
        if (paddingIdx != null) {
            int rows = weight.dim() == 2 ? weight.size(0) : 0;
            if (paddingIdx < -rows || paddingIdx >= rows)
                throw new IllegalArgumentException("embedding_bag: padding_idx " + paddingIdx + " must be within num_embeddings " + rows);
            pad = paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
        }
        return EmbeddingBagOps.embeddingBag(weight, input, offsets, EmbeddingBagOps.Mode.of(mode), perSampleWeights,
                includeLastOffset, pad);
    }

    /**
     * Layer normalization over the trailing {@code normalizedShape} of {@code input}, like
     * {@code F.layer_norm}; {@code weight} and {@code bias} may be null.
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return LayerNormOps.layerNorm(input, normalizedShape, weight, bias, eps);
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

    /** {@link #dropout(Tensor, double, boolean, Generator)} drawing from the default generator ({@code nn.DefaultGenerator}). */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, org.jgrad.nn.DefaultGenerator.get());
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
        return x.mul(TensorData.wrap(mask, x.shape()));
    }

    /**
     * Batch normalization over dim 1 of an [N, C], [N, C, L] or [N, C, H, W] input, as torch's
     * {@code batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)}. In training (or without running
     * statistics) it normalizes with the batch's biased variance and, when running statistics are
     * given, updates them in place with the unbiased variance:
     * {@code running = (1 − momentum)·running + momentum·batch}.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        return batchNormImpl(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** {@code batch_norm(input, running_mean, running_var)}: evaluation with the running statistics, no affine, eps 1e-5. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar) {
        return batchNormImpl(x, runningMean, runningVar, null, null, false, 0.1, 1e-5);
    }

    private static Tensor batchNormImpl(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
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

    // ------------------------------------------------------------------ matrix products

    /**
     * Batched matrix product of {@code [B, n, m]} and {@code [B, m, p]} into {@code [B, n, p]}, as
     * {@code torch.bmm} (no broadcasting: use {@code matmul} for that).
     */
    public static Tensor bmm(Tensor input, Tensor mat2) {
        if (input.dim() != 3 || mat2.dim() != 3)
            throw new IllegalArgumentException("bmm: expected 3-D tensors [B, n, m] and [B, m, p], got "
                    + Shape.str(input.shape()) + " and " + Shape.str(mat2.shape()));
        if (input.size(0) != mat2.size(0))
            throw new IllegalArgumentException("bmm: batch sizes differ: " + Shape.str(input.shape()) + " and " + Shape.str(mat2.shape()));
        if (input.size(2) != mat2.size(1))
            throw new IllegalArgumentException("bmm: inner dimensions differ: " + Shape.str(input.shape()) + " @ " + Shape.str(mat2.shape()));
        return MatmulOps.matmul(input, mat2);
    }

    // ------------------------------------------------------------------ convolution

    /** {@code conv1d(input, weight, bias)} with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return ConvOps.conv1d(input, weight, bias);
    }

    /**
     * 1-D convolution (cross-correlation) of {@code [N, C_in, L]} with {@code weight} {@code [C_out,
     * C_in/groups, K]}; {@code bias} may be null.
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return ConvOps.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@link #conv1d(Tensor, Tensor, Tensor, int, int, int, int)} with torch's string padding: {@code "valid"} or {@code "same"} (stride 1). */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, String padding, int dilation, int groups) {
        return ConvOps.conv1d(input, weight, bias, padding, dilation, groups);
    }

    /** {@code conv2d(input, weight, bias)} with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return ConvOps.conv2d(input, weight, bias, Conv2dOptions.defaults());
    }

    /** 2-D convolution with the same stride and zero padding on both axes, dilation 1, one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return ConvOps.conv2d(input, weight, bias, Conv2dOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * 2-D convolution (cross-correlation) of {@code [N, C_in, H, W]} with {@code weight} {@code [C_out,
     * C_in/groups, kH, kW]}, as {@code torch.nn.functional.conv2d(input, weight, bias, stride, padding,
     * dilation, groups)}; {@code bias} may be null.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return ConvOps.conv2d(input, weight, bias,
                Conv2dOptions.defaults().stride(stride).padding(padding).dilation(dilation).groups(groups));
    }

    /** 2-D convolution with per-axis or asymmetric settings, or {@code "same"} padding ({@link Conv2dOptions}). */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options) {
        return ConvOps.conv2d(input, weight, bias, options);
    }

    // ------------------------------------------------------------------ pooling

    /** {@code max_pool1d(input, kernel_size)}: stride = kernel, no padding. */
    public static Tensor maxPool1d(Tensor input, int kernelSize) {
        return PoolOps.maxPool1d(input, kernelSize);
    }

    /** 1-D max pooling of {@code [N, C, L]} or {@code [C, L]}, as torch's {@code max_pool1d}. */
    public static Tensor maxPool1d(Tensor input, int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        return PoolOps.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code avg_pool1d(input, kernel_size)}: stride = kernel, no padding. */
    public static Tensor avgPool1d(Tensor input, int kernelSize) {
        return PoolOps.avgPool1d(input, kernelSize);
    }

    /** 1-D average pooling, as torch's {@code avg_pool1d}. */
    public static Tensor avgPool1d(Tensor input, int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return PoolOps.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    /** {@code max_pool2d(input, kernel_size)}: stride = kernel, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return PoolOps.maxPool2d(input, kernelSize);
    }

    /** 2-D max pooling with square kernel, stride and padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return PoolOps.maxPool2d(input, kernelSize, stride, padding);
    }

    /** 2-D max pooling of {@code [N, C, H, W]} or {@code [C, H, W]}, as torch's {@code max_pool2d}. */
    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        return PoolOps.maxPool2d(input, Pool2dOptions.of(kernelSize).stride(stride).padding(padding).dilation(dilation)
                .ceilMode(ceilMode));
    }

    /** 2-D max pooling with per-axis settings ({@link Pool2dOptions}). */
    public static Tensor maxPool2d(Tensor input, Pool2dOptions options) {
        return PoolOps.maxPool2d(input, options);
    }

    /** {@code avg_pool2d(input, kernel_size)}: stride = kernel, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return PoolOps.avgPool2d(input, kernelSize);
    }

    /** 2-D average pooling with square kernel, stride and padding (padding counted in the average, as torch's default). */
    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return PoolOps.avgPool2d(input, kernelSize, stride, padding);
    }

    /** 2-D average pooling, as torch's {@code avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)}. */
    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return PoolOps.avgPool2d(input, Pool2dOptions.of(kernelSize).stride(stride).padding(padding).ceilMode(ceilMode)
                .countIncludePad(countIncludePad));
    }

    /** 2-D average pooling with per-axis settings or a divisor override ({@link Pool2dOptions}). */
    public static Tensor avgPool2d(Tensor input, Pool2dOptions options) {
        return PoolOps.avgPool2d(input, options);
    }

    /** Adaptive average pooling to {@code outputSize × outputSize}. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
        return AdaptivePoolOps.adaptiveAvgPool2d(input, outputSize, outputSize);
    }

    /** Adaptive average pooling to {@code outH × outW}, torch's bin edges (floor and ceil of i·in/out). */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return AdaptivePoolOps.adaptiveAvgPool2d(input, outH, outW);
    }

    /** Adaptive max pooling to {@code outputSize × outputSize}. */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outputSize) {
        return AdaptivePoolOps.adaptiveMaxPool2d(input, outputSize, outputSize);
    }

    /** Adaptive max pooling to {@code outH × outW}. */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outH, int outW) {
        return AdaptivePoolOps.adaptiveMaxPool2d(input, outH, outW);
    }

    // ------------------------------------------------------------------ losses (torch's defaults: mean reduction)

    /** Cross-entropy of logits {@code [N, C]} (or {@code [N, C, d...]}) against class indices or probabilities, mean over samples. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target);
    }

    /**
     * Cross-entropy as {@code torch.nn.functional.cross_entropy(input, target, weight, ignore_index=ignoreIndex,
     * reduction, label_smoothing)}; {@code weight} (per class) may be null.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
            double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C]} at int64 class indices, mean over samples. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target);
    }

    /** Negative log-likelihood as torch's {@code nll_loss(input, target, weight, ignore_index, reduction)}. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /** Mean squared error. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, Reduction.MEAN);
    }

    /** Squared error with the given reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mseLoss(input, target, reduction);
    }

    /** Mean absolute error. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, Reduction.MEAN);
    }

    /** Absolute error with the given reduction. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.l1Loss(input, target, reduction);
    }

    /** Smooth L1 loss with {@code beta} 1, mean reduction. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, 1.0, Reduction.MEAN);
    }

    /** Smooth L1 loss: quadratic ({@code 0.5 d²/beta}) below {@code beta}, linear above. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Losses.smoothL1Loss(input, target, beta, reduction);
    }

    /** Huber loss with {@code delta} 1, mean reduction. */
    public static Tensor huberLoss(Tensor input, Tensor target) {
        return Losses.huberLoss(input, target, 1.0, Reduction.MEAN);
    }

    /** Huber loss: {@code 0.5 d²} below {@code delta}, {@code delta (|d| − 0.5 delta)} above. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return Losses.huberLoss(input, target, delta, reduction);
    }

    /** Binary cross-entropy of probabilities in [0, 1], mean reduction. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /** Binary cross-entropy with optional per-element {@code weight} (may be null). */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    /** Binary cross-entropy of logits (a numerically stable sigmoid + BCE), mean reduction. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /** Binary cross-entropy of logits with optional {@code weight} and {@code posWeight} (either may be null). */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction,
            Tensor posWeight) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }
}
