package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.kernels.Elementwise;
import org.jgrad.kernels.Parallel;
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
        Dims d = dims("batch_norm", x, weight, bias);
        if (d.m <= 1)
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input "
                    + Shape.str(x.shape()));
        Tensor xc = x.detach().contiguous();
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset();
        float[] gamma = weight == null ? null : weight.detach().contiguous().toFloatArray();
        float[] beta = bias == null ? null : bias.detach().contiguous().toFloatArray();
        float[] mean = new float[d.c], var = new float[d.c], uvar = new float[d.c], invStd = new float[d.c];
        float[] out = new float[d.n * d.c * d.s];
        boolean rows = d.s < BatchNormRows.MAX_PLANE;
        if (rows) BatchNormRows.forward(xd, xo, d.n, d.c, d.s, gamma, beta, eps, mean, var, uvar, invStd, out);
        else forChannels(d, c -> {
            // Two passes (mean, then squared deviations from it), each plane summed in vector lanes
            // and the planes in double.
            double sum = 0;
            for (int i = 0; i < d.n; i++) sum += Elementwise.sumCentered(xd, xo + (i * d.c + c) * d.s, d.s, 0f, false);
            double mu = sum / d.m, sq = 0;
            for (int i = 0; i < d.n; i++) sq += Elementwise.sumCentered(xd, xo + (i * d.c + c) * d.s, d.s, (float) mu, true);
            double v = sq / d.m;
            mean[c] = (float) mu;
            var[c] = (float) v;
            uvar[c] = (float) (sq / (d.m - 1));
            double is = 1 / Math.sqrt(v + eps);
            invStd[c] = (float) is;
            float scale = (float) (is * (gamma == null ? 1 : gamma[c]));
            float shift = (float) ((beta == null ? 0 : beta[c]) - mu * is * (gamma == null ? 1 : gamma[c]));
            for (int i = 0; i < d.n; i++) {
                int b = (i * d.c + c) * d.s;
                Elementwise.scaleShift(xd, xo + b, scale, shift, out, b, d.s);
            }
        });
        Tensor res = TensorData.wrap(out, x.shape());
        if (Autograd.needsGraph(x, weight, bias))
            Autograd.record(res, "native_batch_norm", new NormAttributes.BatchNorm(true, eps, momentum, null, null), g -> {
            Tensor gc = g.contiguous();
            float[] gd = TensorData.floats(gc);
            int go = gc.offset();
            float[] dx = x.requiresGrad() ? new float[out.length] : null;
            float[] dgamma = new float[d.c], dbeta = new float[d.c];
            if (rows) BatchNormRows.backward(gd, go, xd, xo, d.n, d.c, d.s, gamma, mean, invStd, dgamma, dbeta, dx);
            else forChannels(d, c -> {
                double sdy = 0, sdyx = 0;
                float mu = mean[c], is = invStd[c];
                for (int i = 0; i < d.n; i++) {
                    int b = (i * d.c + c) * d.s;
                    sdy += Elementwise.sumCentered(gd, go + b, d.s, 0f, false);
                    sdyx += Elementwise.dotCentered(gd, go + b, xd, xo + b, d.s, mu);
                }
                sdyx *= is;
                dbeta[c] = (float) sdy;
                dgamma[c] = (float) sdyx;
                if (dx == null) return;
                float k = is * (gamma == null ? 1 : gamma[c]);
                float mdy = (float) (sdy / d.m), mdyx = (float) (sdyx / d.m);
                for (int i = 0; i < d.n; i++) {
                    int b = (i * d.c + c) * d.s;
                    Elementwise.batchNormBackward(gd, go + b, xd, xo + b, mu, is, k, mdy, mdyx, dx, b, d.s);
                }
            });
            return new Tensor[] {dx == null ? null : TensorData.wrapGradient(dx, x.shape()),
                weight == null ? null : TensorData.wrapGradient(dgamma, d.c), bias == null ? null : TensorData.wrapGradient(dbeta, d.c)};
        }, x, weight, bias);
        return new BatchNormResult(res, TensorData.wrap(mean, d.c), TensorData.wrap(var, d.c), TensorData.wrap(uvar, d.c));
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
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset();
        float[] gamma = weight == null ? null : weight.detach().contiguous().toFloatArray();
        float[] beta = bias == null ? null : bias.detach().contiguous().toFloatArray();
        float[] rm = runningMean.toFloatArray(), rv = runningVar.toFloatArray();
        float[] invStd = new float[d.c];
        float[] out = new float[d.n * d.c * d.s];
        forChannels(d, c -> {
            invStd[c] = (float) (1 / Math.sqrt((double) rv[c] + eps));
            float scale = invStd[c] * (gamma == null ? 1 : gamma[c]);
            float shift = (beta == null ? 0 : beta[c]) - rm[c] * scale;
            for (int i = 0; i < d.n; i++) {
                int b = (i * d.c + c) * d.s;
                for (int j = 0; j < d.s; j++) out[b + j] = xd[xo + b + j] * scale + shift;
            }
        });
        Tensor res = TensorData.wrap(out, x.shape());
        if (!Autograd.needsGraph(x, weight, bias)) return res;
        return Autograd.record(res, "native_batch_norm",
                new NormAttributes.BatchNorm(false, eps, null, runningMean, runningVar), g -> {
            Tensor gc = g.contiguous();
            float[] gd = TensorData.floats(gc);
            int go = gc.offset();
            float[] dx = x.requiresGrad() ? new float[out.length] : null;
            float[] dgamma = new float[d.c], dbeta = new float[d.c];
            forChannels(d, c -> {
                double sdy = 0, sdyx = 0;
                float is = invStd[c], k = is * (gamma == null ? 1 : gamma[c]);
                for (int i = 0; i < d.n; i++) {
                    int b = (i * d.c + c) * d.s;
                    for (int j = 0; j < d.s; j++) {
                        float dy = gd[go + b + j];
                        sdy += dy;
                        sdyx += dy * ((xd[xo + b + j] - rm[c]) * is);
                        if (dx != null) dx[b + j] = dy * k;
                    }
                }
                dbeta[c] = (float) sdy;
                dgamma[c] = (float) sdyx;
            });
            return new Tensor[] {dx == null ? null : TensorData.wrapGradient(dx, x.shape()),
                weight == null ? null : TensorData.wrapGradient(dgamma, d.c), bias == null ? null : TensorData.wrapGradient(dbeta, d.c)};
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

    private interface ChannelBody {
        void run(int c);
    }

    private static void forChannels(Dims d, ChannelBody body) {
        int grain = (int) Math.max(1, (1L << 16) / Math.max(1, (long) d.m));
        Parallel.forRange(d.c, grain, (a, b) -> {
            for (int c = a; c < b; c++) body.run(c);
        });
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
        float[] m = new float[Shape.numel(maskShape)];
        float keep = p == 1 ? 0f : 1f / (1 - p);
        for (int i = 0; i < m.length; i++) m[i] = gen.nextFloat() < p ? 0f : keep;
        return x.mul(TensorData.wrap(m, maskShape));
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
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset();
        float[] out = new float[n * c * s];
        int grain = (int) Math.max(1, (1L << 16) / Math.max(1, (long) c * s * (before + after + 1)));
        Parallel.forRange(n, grain, (a, b) -> {
            for (int i = a; i < b; i++)
                for (int ch = 0; ch < c; ch++) {
                    int dst = (i * c + ch) * s;
                    for (int q = Math.max(0, ch - before); q <= Math.min(c - 1, ch + after); q++) {
                        int src = xo + (i * c + q) * s;
                        for (int j = 0; j < s; j++) out[dst + j] += xd[src + j];
                    }
                }
        });
        Tensor res = TensorData.wrap(out, sh);
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "channel_window_sum", new NormAttributes.ChannelWindowSum(before, after),
                g -> new Tensor[] {channelWindowSum(g, after, before)}, x);
    }
}
