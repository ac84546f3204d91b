package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jgrad.kernels.Parallel;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused training fast paths (Linear as one addmm node, the one-pass ReLU backward) against
 * the compositions they replace, bit for bit, on odd shapes and non-contiguous operands.
 */
class FastPathTest {

    private static final int[][] SHAPES = { // rows, in, out
        {1, 1, 1}, {1, 7, 3}, {3, 1, 5}, {2, 3, 1}, {64, 784, 500}, {13, 17, 19}, {31, 300, 97}, {5, 257, 33},
        {64, 125, 10}, {1000, 400, 120}, {7, 2, 129}};

    private static Tensor randn(Generator g, int... shape) {
        return Tensor.randn(g, shape);
    }

    private static Tensor[] run(boolean fused, Tensor x0, Tensor w0, Tensor b0, Tensor up, boolean transX) {
        Tensor x = x0.detach().requiresGrad(true), w = w0.detach().requiresGrad(true);
        Tensor b = b0 == null ? null : b0.detach().requiresGrad(true);
        Tensor xin = transX ? x.t() : x;
        Tensor y = fused ? F.linear(xin, w, b) : (b == null ? xin.matmul(w.t()) : xin.matmul(w.t()).add(b));
        y.backward(up);
        return new Tensor[] {y, x.grad(), w.grad(), b == null ? null : b.grad()};
    }

    private static void same(Tensor a, Tensor b, String what) {
        if (a == null || b == null) {
            assertEquals(a == null, b == null, what);
            return;
        }
        assertArrayEquals(a.shape(), b.shape(), what);
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        for (int i = 0; i < x.length; i++)
            assertEquals(Float.floatToIntBits(x[i]), Float.floatToIntBits(y[i]), what + " at " + i + ": " + x[i] + " vs " + y[i]);
    }

    @Test
    void linearMatchesMatmulPlusBiasBitwise() {
        Generator gen = new Generator(42);
        for (int[] s : SHAPES) {
            int rows = s[0], in = s[1], out = s[2];
            for (int variant = 0; variant < 4; variant++) {
                boolean transX = (variant & 1) != 0, bias = (variant & 2) == 0;
                Tensor x = transX ? randn(gen, in, rows) : randn(gen, rows, in);
                Tensor w = randn(gen, out, in), b = bias ? randn(gen, out) : null;
                // an upstream gradient that is a non-contiguous view half the time
                Tensor up = (variant & 1) == 0 ? randn(gen, rows, out) : randn(gen, out, rows).t();
                Tensor[] f = run(true, x, w, b, up, transX), r = run(false, x, w, b, up, transX);
                String what = "rows=" + rows + " in=" + in + " out=" + out + " transX=" + transX + " bias=" + bias;
                same(f[0], r[0], what + " output");
                same(f[1], r[1], what + " input grad");
                same(f[2], r[2], what + " weight grad");
                same(f[3], r[3], what + " bias grad");
            }
        }
    }

    /**
     * On two threads a Linear backward computes its input and weight gradients side by side (from 2²²
     * multiply-adds, 2²⁰ while a worker polls), each whole on one thread: the same bits as on one thread,
     * including the weight gradient written into the storage zeroGrad() kept from the step before. Odd shapes:
     * partial GEMM panels, products just above both thresholds, a swapped forward, a transposed input.
     */
    @Test
    void pairedBackwardOnTwoThreadsMatchesOneThreadBitwise() {
        int saved = Parallel.threads();
        try {
            // from 2²² multiply-adds the pair runs whether the worker polls or is parked; below, only while it polls
            for (int[] s : new int[][] {{64, 250, 500}, {37, 301, 401}, {64, 125, 250}, {37, 301, 97}, {13, 1000, 83}}) {
                for (boolean transX : new boolean[] {false, true}) {
                    Tensor[][] byThreads = new Tensor[3][];
                    for (int threads = 1; threads <= 3; threads++) {
                        Parallel.setThreads(threads);
                        byThreads[threads - 1] = twoSteps(s[0], s[1], s[2], transX);
                    }
                    for (int threads = 2; threads <= 3; threads++)
                        for (int i = 0; i < byThreads[0].length; i++)
                            same(byThreads[threads - 1][i], byThreads[0][i], java.util.Arrays.toString(s) + " transX="
                                    + transX + " threads=" + threads + " tensor " + i);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** The gradients of two SGD steps of one Linear layer (the second into the first's kept storage), and the weights after. */
    private static Tensor[] twoSteps(int rows, int in, int out, boolean transX) {
        Generator gen = new Generator(rows * 31L + in);
        Tensor w = randn(gen, out, in).requiresGrad(true), b = randn(gen, out).requiresGrad(true);
        org.jgrad.optim.SGD opt = new org.jgrad.optim.SGD(java.util.List.of(w, b), 0.01);
        Tensor[] res = new Tensor[8];
        for (int step = 0; step < 2; step++) {
            Tensor x0 = transX ? randn(gen, in, rows) : randn(gen, rows, in);
            Tensor x = x0.requiresGrad(true), up = randn(gen, rows, out);
            opt.zeroGrad();
            F.linear(transX ? x.t() : x, w, b).backward(up);
            res[4 * step] = x.grad();
            res[4 * step + 1] = org.jgrad.internal.TensorData.peekGrad(w).clone();
            res[4 * step + 2] = org.jgrad.internal.TensorData.peekGrad(b).clone();
            opt.step();
            res[4 * step + 3] = w.detach().clone();
        }
        return res;
    }

    @Test
    void linearNamesItsNodeLikePyTorch() {
        Tensor x = Tensor.ones(2, 3), w = Tensor.ones(4, 3).requiresGrad(true), b = Tensor.ones(4).requiresGrad(true);
        assertEquals("AddmmBackward0", F.linear(x, w, b).gradFn().displayName());
        assertEquals("MmBackward0", F.linear(x, w, null).gradFn().displayName());
    }

    @Test
    void linearSkipsGradientsNobodyNeeds() {
        Generator gen = new Generator(1);
        Tensor x = randn(gen, 5, 3), w = randn(gen, 4, 3).requiresGrad(true), b = randn(gen, 4);
        F.linear(x, w, b).sum().backward();
        assertNull(x.grad());
        assertNull(b.grad());
        assertEquals(12, w.grad().numel());
    }

    @Test
    void linearOnOtherRanksAndBroadcastBiasKeepsTheGeneralPath() {
        Generator gen = new Generator(3);
        Tensor x3 = randn(gen, 2, 5, 3), w = randn(gen, 4, 3), b1 = randn(gen, 1), x1 = randn(gen, 3);
        same(F.linear(x3, w, b1), x3.matmul(w.t()).add(b1), "3-D input");
        same(F.linear(x1, w, null), x1.matmul(w.t()), "1-D input");
    }

    @Test
    void reluBackwardMatchesMaskProductBitwise() {
        Generator gen = new Generator(7);
        for (int n : new int[] {1, 2, 15, 16, 17, 97, 1000}) {
            Tensor x = randn(gen, n);
            float[] xd = x.toFloatArray();
            xd[0] = 0f; // the kink: gradient 0 there, as in PyTorch
            x = Tensor.fromArray(xd, n);
            float[] gd = randn(gen, n).toFloatArray();
            gd[n - 1] = Float.NaN; // NaN·0 stays NaN like g.mul(mask)
            if (n > 2) gd[1] = Float.NEGATIVE_INFINITY;
            Tensor g = Tensor.fromArray(gd, n);
            Tensor a = x.detach().requiresGrad(true), c = x.detach().requiresGrad(true);
            a.relu().backward(g);
            Tensor outC = c.relu();
            same(a.grad(), g.mul(outC.detach().gt(0f)), "relu grad n=" + n);
        }
        // non-contiguous upstream gradient
        Tensor x = randn(gen, 6, 5).requiresGrad(true);
        Tensor g = randn(gen, 5, 6).t();
        x.relu().backward(g);
        same(x.grad(), g.mul(x.detach().relu().gt(0f)), "relu grad, transposed g");
    }

    @Test
    void maxPool2x2MatchesBruteForceIncludingTiesNaNAndSignedZeros() {
        Generator gen = new Generator(11);
        int[][] shapes = {{1, 1, 2, 2}, {2, 3, 5, 7}, {3, 6, 28, 28}, {1, 16, 10, 10}, {2, 1, 3, 3}, {1, 2, 13, 2}};
        for (int[] sh : shapes) {
            int n = sh[0] * sh[1] * sh[2] * sh[3];
            float[] d = randn(gen, n).toFloatArray();
            // ties, signed zeros, NaN and -inf so the index choice is exercised
            for (int i = 0; i < n; i += 5) d[i] = (i % 3 == 0) ? 0f : -0f;
            for (int i = 3; i < n; i += 17) d[i] = Float.NaN;
            for (int i = 7; i < n; i += 23) d[i] = Float.NEGATIVE_INFINITY;
            for (int i = 11; i + 1 < n; i += 13) d[i + 1] = d[i];
            Tensor x = Tensor.fromArray(d, sh);
            for (Tensor in : new Tensor[] {x, x.transpose(2, 3).contiguous().transpose(2, 3)}) {
                Tensor.ValuesIndices r = PoolOps.maxPool2dWithIndices(in, Pool2dOptions.of(2));
                int planes = sh[0] * sh[1], h = sh[2], w = sh[3], oh = h / 2, ow = w / 2;
                float[] vals = r.values().toFloatArray();
                long[] idx = r.indices().toLongArray();
                for (int p = 0; p < planes; p++)
                    for (int i = 0; i < oh; i++)
                        for (int j = 0; j < ow; j++) {
                            float best = Float.NEGATIVE_INFINITY;
                            int bi = -1;
                            for (int u = 0; u < 2 && !(best != best); u++)
                                for (int v = 0; v < 2; v++) {
                                    int q = (2 * i + u) * w + 2 * j + v;
                                    float val = d[p * h * w + q];
                                    if (bi < 0 || val > best || val != val) {
                                        best = val;
                                        bi = q;
                                        if (val != val) break;
                                    }
                                }
                            int o = p * oh * ow + i * ow + j;
                            assertEquals(Float.floatToIntBits(best), Float.floatToIntBits(vals[o]), "value " + o);
                            assertEquals(bi, idx[o], "index " + o);
                        }
            }
        }
    }

    /**
     * conv2d over a batch (images grouped into chunks, one GEMM per chunk) against conv2d of each
     * image alone: forward and input gradient bitwise, the weight and bias gradients to rounding.
     */
    @Test
    void batchedConvolutionMatchesImageByImage() {
        Generator gen = new Generator(5);
        // {n, c, h, w, o, k, stride, pad, dilation, groups}; the last has several chunks (7 images each)
        int[][] cases = {{3, 1, 28, 28, 6, 5, 1, 2, 1, 1}, {5, 6, 14, 14, 16, 5, 1, 0, 1, 1}, {2, 4, 7, 9, 6, 3, 2, 1, 1, 2},
            {1, 3, 5, 5, 2, 3, 1, 0, 2, 1}, {4, 8, 4, 4, 12, 3, 1, 1, 1, 4}, {3, 5, 11, 13, 7, 1, 2, 0, 1, 1},
            {9, 64, 32, 32, 8, 3, 1, 1, 1, 1}};
        for (int[] cs : cases) {
            int n = cs[0], c = cs[1], h = cs[2], w = cs[3], o = cs[4], k = cs[5], groups = cs[9];
            Conv2dOptions opt = Conv2dOptions.defaults().stride(cs[6]).padding(cs[7]).dilation(cs[8]).groups(groups);
            Tensor x = randn(gen, n, c, h, w), wt = randn(gen, o, c / groups, k, k), b = randn(gen, o);
            Tensor xb = x.detach().requiresGrad(true), wb = wt.detach().requiresGrad(true), bb = b.detach().requiresGrad(true);
            Tensor yb = ConvOps.conv2d(xb, wb, bb, opt);
            Tensor up = randn(gen, yb.shape());
            yb.backward(up);
            Tensor[] ys = new Tensor[n], gxs = new Tensor[n];
            Tensor ws = wt.detach().requiresGrad(true), bs = b.detach().requiresGrad(true);
            for (int i = 0; i < n; i++) {
                Tensor xi = x.narrow(0, i, 1).detach().requiresGrad(true);
                ys[i] = ConvOps.conv2d(xi, ws, bs, opt);
                ys[i].backward(up.narrow(0, i, 1));
                gxs[i] = xi.grad();
            }
            String what = java.util.Arrays.toString(cs);
            same(yb, Tensor.cat(0, ys), what + " output");
            same(xb.grad(), Tensor.cat(0, gxs), what + " input grad");
            float[] g1 = wb.grad().toFloatArray(), g2 = ws.grad().toFloatArray();
            for (int i = 0; i < g1.length; i++)
                assertEquals(g2[i], g1[i], 1e-4 * (1 + Math.abs(g2[i])), what + " weight grad " + i);
            float[] b1 = bb.grad().toFloatArray(), b2 = bs.grad().toFloatArray();
            for (int i = 0; i < b1.length; i++) assertEquals(b2[i], b1[i], 1e-4 * (1 + Math.abs(b2[i])), what + " bias grad");
        }
    }
}
