package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.NoGrad;
import org.jgrad.backend.Backends;
import org.jgrad.backend.NormBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Normalization and regularization ops of CNNs: batch normalization, channel dropout
 * ({@code dropout2d}) and AlexNet's local response normalization, with PyTorch's semantics.
 * Channels are dim 1 of [N, C, *] inputs.
 */
public final class NormOps {
    private NormOps() {}

    // ------------------------------------------------------------------ batch norm

    /**
     * What a batch-norm call produced: the normalized output, and the statistics it used (per
     * channel, shape [C], off the graph). In training these are the batch mean and the biased batch
     * variance that normalized the batch, plus the unbiased variance that PyTorch folds into the
     * running variance; in evaluation they are the running statistics passed in.
     */
    public record BatchNormResult(Tensor output, Tensor mean, Tensor var, Tensor unbiasedVar) {
        /**
         * Updates running statistics in place the way {@code nn.BatchNorm2d} does in training:
         * {@code running = (1 − momentum)·running + momentum·batch}, with the unbiased batch variance.
         */
        public void updateRunningStats(Tensor runningMean, Tensor runningVar, float momentum) {
            try (NoGrad _ = NoGrad.enter()) {
                if (runningMean != null) runningMean.mulInPlace(1 - momentum).addInPlace(mean, momentum);
                if (runningVar != null) runningVar.mulInPlace(1 - momentum).addInPlace(unbiasedVar, momentum);
            }
        }
    }

    /**
     * Batch normalization of a 4-D [N, C, H, W] batch, like {@code torch.nn.functional.batch_norm}.
     * In training, each channel is normalized with its mean and biased variance over (N, H, W); in
     * evaluation, with {@code runningMean}/{@code runningVar}. Running statistics are not modified:
     * call {@link BatchNormResult#updateRunningStats} for that.
     *
     * @param weight per-channel scale γ [C], or null for 1
     * @param bias per-channel shift β [C], or null for 0
     */
    public static BatchNormResult batchNorm2d(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, float eps) {
        if (x.dim() != 4)
            throw new IllegalArgumentException("batch_norm2d: expected a 4-D [N, C, H, W] input, got " + Shape.str(x.shape()));
        if (training) return batchNormTrain(x, weight, bias, eps);
        return new BatchNormResult(batchNormEval(x, runningMean, runningVar, weight, bias, eps), runningMean, runningVar,
                runningVar);
    }

    /**
     * Training-mode batch norm of any [N, C, *] input: {@code y = γ·(x − μ)/√(σ² + eps) + β} with μ and
     * the biased σ² over every dim but 1. The backward is the closed form
     * {@code dx = γ/√(σ²+eps) · (dy − mean(dy) − x̂·mean(dy·x̂))}.
     */
    public static BatchNormResult batchNormTrain(Tensor x, Tensor weight, Tensor bias, float eps) {
        return batchNormTrain(x, weight, bias, eps, null);
    }

    /**
     * {@link #batchNormTrain(Tensor, Tensor, Tensor, float)} that also records, on the graph node,
     * the {@code momentum} with which the caller will update its running statistics (null: a
     * cumulative average), so that the graph describes the layer completely (ONNX's
     * BatchNormalization). The update itself stays the caller's, through
     * {@link BatchNormResult#updateRunningStats}.
     */
    public static BatchNormResult batchNormTrain(Tensor x, Tensor weight, Tensor bias, float eps, Double momentum) {
        return batchNormTrain(x, weight, bias, eps, momentum, null, false);
    }

    /**
     * {@code relu(batchNormTrain(x, weight, bias, eps, momentum).output() + residual)} as one pass over each
     * plane: a ResNet block's {@code relu(bn1(conv1(x)))} ({@code residual} null) and
     * {@code relu(bn2(conv2(·)) + identity)}. The output and the gradients are bitwise those of the separate
     * ops, and so is the graph: the same batch-norm, add and ReLU nodes, over tensors that share the one
     * output array (the batch norm's and the add's backward never read their outputs). The statistics in
     * the result are the batch norm's.
     *
     * @param residual a tensor of x's shape, or null for none
     * @throws IllegalArgumentException as {@link #batchNormTrain(Tensor, Tensor, Tensor, float)}, or when the
     *     residual's shape is not x's
     */
    public static BatchNormResult batchNormTrainRelu(Tensor x, Tensor weight, Tensor bias, Tensor residual, float eps,
            Double momentum) {
        if (residual != null) {
            ElementwiseOps.requireFloat("batch_norm", residual);
            if (!Shape.same(residual.shape(), x.shape()))
                throw new IllegalArgumentException("batch_norm: the residual added before the ReLU must have the input's"
                        + " shape " + Shape.str(x.shape()) + ", got " + Shape.str(residual.shape()));
        }
        return batchNormTrain(x, weight, bias, eps, momentum, residual, true);
    }

    private static BatchNormResult batchNormTrain(Tensor x, Tensor weight, Tensor bias, float eps, Double momentum,
            Tensor residual, boolean relu) {
        Dims d = dims("batch_norm", x, weight, bias);
        if (d.m <= 1)
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input "
                    + Shape.str(x.shape()));
        Tensor xc = x.detach().contiguous();
        Tensor gamma = perChannel(weight), beta = perChannel(bias);
        Tensor rc = residual == null ? null : residual.detach().contiguous();
        NormBackend.BatchNormForward f = backend().batchNormTrain(TensorData.storage(xc), xc.offset(), d.n, d.c, d.s,
                storageOrNull(gamma), offset(gamma), storageOrNull(beta), offset(beta), eps, storageOrNull(rc), offset(rc),
                relu);
        Tensor res = TensorData.wrap(f.out(), x.shape());
        // relu(bn(x)) without a residual: the ReLU's node passes its gradient on unchanged and the batch
        // norm's backward applies the ReLU's mask [y > 0] itself, plane by plane, while summing (the
        // intermediate bn(x) is internal to this op, so only the ReLU's node ever hands it a gradient).
        // Bitwise the same gradients as the two backward passes, without the masked gradient's array.
        boolean maskInBatchNorm = relu && residual == null;
        if (Autograd.needsGraph(x, weight, bias))
            Autograd.record(res, "native_batch_norm", new NormAttributes.BatchNorm(true, eps, momentum, null, null), g -> {
            Tensor gc = g.contiguous();
            NormBackend.BatchNormGradients gr = backend().batchNormTrainBackward(TensorData.storage(gc), gc.offset(),
                    TensorData.storage(xc), xc.offset(), d.n, d.c, d.s, storageOrNull(gamma), offset(gamma), f.mean(), f.invStd(),
                    x.requiresGrad(), maskInBatchNorm ? f.out() : null);
            return gradients(gr, x, weight, bias, d);
        }, x, weight, bias);
        Tensor out = res;
        if (residual != null) {
            // the add's node, over the same array: its backward passes the gradient to both sides unchanged
            out = Autograd.record(TensorData.wrap(f.out(), x.shape()), "add", g -> new Tensor[] {g, g}, res, residual);
        }
        if (maskInBatchNorm) out = ElementwiseOps.reluFusedInto(out, true);
        else if (relu) out = ElementwiseOps.reluFusedInto(out);
        return new BatchNormResult(out, TensorData.wrap(f.mean(), d.c), TensorData.wrap(f.var(), d.c),
                TensorData.wrap(f.unbiasedVar(), d.c));
    }

    private static NormBackend backend() {
        return Backends.current().norms();
    }

    /**
     * A copy of a per-channel parameter or statistic (contiguous, off the graph), or null: the backward
     * uses the values the forward saw even if the parameter is updated in place before it runs.
     */
    private static Tensor perChannel(Tensor p) {
        return p == null ? null : p.detach().cloneData();
    }

    private static Storage storageOrNull(Tensor t) {
        return t == null ? null : TensorData.storage(t);
    }

    private static int offset(Tensor t) {
        return t == null ? 0 : t.offset();
    }

    /** The gradients a batch-norm backward returns for (x, weight, bias). */
    private static Tensor[] gradients(NormBackend.BatchNormGradients gr, Tensor x, Tensor weight, Tensor bias, Dims d) {
        return new Tensor[] {gr.dx() == null ? null : TensorData.wrapGradient(gr.dx(), x.shape()),
            weight == null ? null : TensorData.wrapGradient(gr.dgamma(), d.c),
            bias == null ? null : TensorData.wrapGradient(gr.dbeta(), d.c)};
    }

    /**
     * Evaluation-mode batch norm of any [N, C, *] input with fixed statistics:
     * {@code y = γ·(x − runningMean)/√(runningVar + eps) + β}. Gradients flow to x, γ and β (the running
     * statistics are buffers and get none).
     */
    public static Tensor batchNormEval(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            float eps) {
        Dims d = dims("batch_norm", x, weight, bias);
        if (runningMean == null || runningVar == null)
            throw new IllegalArgumentException("batch_norm: evaluation needs running mean and variance");
        checkPerChannel("batch_norm", "running_mean", runningMean, d.c, x);
        checkPerChannel("batch_norm", "running_var", runningVar, d.c, x);
        Tensor xc = x.detach().contiguous();
        Tensor gamma = perChannel(weight), beta = perChannel(bias);
        Tensor rm = perChannel(runningMean), rv = perChannel(runningVar);
        NormBackend.BatchNormForward f = backend().batchNormEval(TensorData.storage(xc), xc.offset(), d.n, d.c, d.s,
                storageOrNull(gamma), offset(gamma), storageOrNull(beta), offset(beta), TensorData.storage(rm), rm.offset(),
                TensorData.storage(rv), rv.offset(), eps);
        Tensor res = TensorData.wrap(f.out(), x.shape());
        if (!Autograd.needsGraph(x, weight, bias)) return res;
        return Autograd.record(res, "native_batch_norm",
                new NormAttributes.BatchNorm(false, eps, null, runningMean, runningVar), g -> {
            Tensor gc = g.contiguous();
            NormBackend.BatchNormGradients gr = backend().batchNormEvalBackward(TensorData.storage(gc), gc.offset(),
                    TensorData.storage(xc), xc.offset(), d.n, d.c, d.s, storageOrNull(gamma), offset(gamma), TensorData.storage(rm),
                    rm.offset(), f.invStd(), x.requiresGrad());
            return gradients(gr, x, weight, bias, d);
        }, x, weight, bias);
    }

    /** N, C, the size of the trailing dims, and M = N·S values per channel. */
    private record Dims(int n, int c, int s, int m) {}

    private static Dims dims(String op, Tensor x, Tensor weight, Tensor bias) {
        ElementwiseOps.requireFloat(op, x);
        int[] sh = x.shape();
        if (sh.length < 2)
            throw new IllegalArgumentException(op + ": expected an input of at least 2 dims [N, C, *], got " + Shape.str(sh));
        int n = sh[0], c = sh[1], s = Shape.numel(java.util.Arrays.copyOfRange(sh, 2, sh.length));
        if (weight != null) checkPerChannel(op, "weight", weight, c, x);
        if (bias != null) checkPerChannel(op, "bias", bias, c, x);
        return new Dims(n, c, s, n * s);
    }

    private static void checkPerChannel(String op, String name, Tensor t, int c, Tensor x) {
        ElementwiseOps.requireFloat(op, t);
        if (t.dim() != 1 || t.size(0) != c)
            throw new IllegalArgumentException(op + ": expected " + name + " of shape [" + c + "] for input "
                    + Shape.str(x.shape()) + ", got " + Shape.str(t.shape()));
    }

    // ------------------------------------------------------------------ dropout2d

    /**
     * Channel dropout, like {@code torch.nn.functional.dropout2d}: in training, each (n, c) channel of
     * [N, C, H, W] (or each c of unbatched [C, H, W]) is zeroed with probability {@code p} and the kept
     * ones are scaled by {@code 1/(1−p)}; in evaluation (or with p = 0) the input is returned as is.
     * The mask is drawn from {@code gen}, one draw per channel in row-major order.
     */
    public static Tensor dropout2d(Tensor x, float p, boolean training, Generator gen) {
        ElementwiseOps.requireFloat("dropout2d", x);
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException("dropout2d: probability has to be between 0 and 1, but got " + p);
        if (x.dim() != 3 && x.dim() != 4)
            throw new IllegalArgumentException("dropout2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got "
                    + Shape.str(x.shape()));
        if (!training || p == 0) return x;
        if (gen == null) throw new IllegalArgumentException("dropout2d: a Generator is needed in training");
        int[] sh = x.shape();
        int lead = sh.length - 2;
        int[] maskShape = sh.clone();
        maskShape[lead] = 1;
        maskShape[lead + 1] = 1;
        float keep = p == 1 ? 0f : 1f / (1 - p);
        // one uniform draw per channel in row-major order (rand's values are the generator's floats)
        Tensor m = Tensor.where(Tensor.rand(gen, maskShape).lt(p), Tensor.scalar(0f), Tensor.scalar(keep));
        return x.mul(m);
    }

    // ------------------------------------------------------------------ local response norm

    /**
     * AlexNet's local response normalization across channels, exactly as
     * {@code torch.nn.functional.local_response_norm}:
     * {@code b_c = a_c · (k + α/n · Σ_{c'} a_{c'}²)^(−β)}, where c' runs over the window
     * {@code [c − ⌊n/2⌋, c + ⌊(n−1)/2⌋]} clipped to the channels, and the sum is always divided by n
     * (PyTorch averages the squares over a zero-padded window). Composed of differentiable ops.
     *
     * @param x [N, C, *] with at least 3 dims
     * @param size the window n (AlexNet: 5)
     * @param alpha α (PyTorch's default 1e-4)
     * @param beta β (default 0.75)
     * @param k k (default 1; AlexNet used 2)
     */
    public static Tensor localResponseNorm(Tensor x, int size, float alpha, float beta, float k) {
        ElementwiseOps.requireFloat("local_response_norm", x);
        if (x.dim() < 3)
            throw new IllegalArgumentException("local_response_norm: expected 3-D or higher input [N, C, *], got "
                    + Shape.str(x.shape()));
        if (size < 1) throw new IllegalArgumentException("local_response_norm: size must be >= 1, got " + size);
        Tensor s = channelWindowSum(x.square(), size / 2, (size - 1) / 2);
        return x.div(s.mul(alpha / size).add(k).pow(beta));
    }

    /** {@link #localResponseNorm(Tensor, int, float, float, float)} with PyTorch's defaults α=1e-4, β=0.75, k=1. */
    public static Tensor localResponseNorm(Tensor x, int size) {
        return localResponseNorm(x, size, 1e-4f, 0.75f, 1f);
    }

    /**
     * {@code out[n, c, …] = Σ x[n, c', …]} over {@code c' ∈ [c − before, c + after] ∩ [0, C)}. Its backward
     * is the same sum with the window mirrored.
     */
    static Tensor channelWindowSum(Tensor x, int before, int after) {
        int[] sh = x.shape();
        int n = sh[0], c = sh[1], s = Shape.numel(java.util.Arrays.copyOfRange(sh, 2, sh.length));
        Tensor xc = x.detach().contiguous();
        Tensor res = TensorData.wrap(backend().channelWindowSum(TensorData.storage(xc), xc.offset(), n, c, s, before, after), sh);
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "channel_window_sum", new NormAttributes.ChannelWindowSum(before, after),
                g -> new Tensor[] {channelWindowSum(g, after, before)}, x);
    }
}
