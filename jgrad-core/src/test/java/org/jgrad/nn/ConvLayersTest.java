package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The CNN layers as modules: printouts, output sizes, hand-computed numbers and gradient checks through the module. */
class ConvLayersTest {

    private static Tensor rand(long seed, float lo, float hi, int... shape) {
        return Tensor.uniform(new Generator(seed), lo, hi, shape);
    }

    /**
     * Gradient check of a fresh module (from {@code make}) with respect to the input and every
     * parameter: the checker's copies of the parameters are swapped into the module on each call.
     */
    private static void gradCheckModule(Supplier<Module> make, Tensor input) {
        gradCheckModule(GradCheck.create(), make, input);
    }

    private static void gradCheckModule(GradCheck checker, Supplier<Module> make, Tensor input) {
        Module ref = make.get();
        Map<String, Tensor> params = ref.namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        Tensor[] inputs = new Tensor[1 + names.size()];
        inputs[0] = input.cloneData().requiresGrad(true);
        for (int i = 0; i < names.size(); i++) inputs[i + 1] = params.get(names.get(i)).detach().cloneData().requiresGrad(true);
        GradCheck.Result r = checker.run(in -> {
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                int dot = n.lastIndexOf('.');
                Module owner = dot < 0 ? ref : ref.getSubmodule(n.substring(0, dot));
                owner.setParameter(n.substring(dot + 1), in[i + 1]);
            }
            return ref.call(in[0]);
        }, inputs);
        assertTrue(r.passed(), r.report());
    }

    private static int lectureFormula(int w, int f, int s, int p) {
        return Math.floorDiv(w + 2 * p - f, s) + 1;
    }

    // ------------------------------------------------------------------ Conv2d

    @Test
    void conv2dPrintsLikePyTorch() {
        assertEquals("Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", new Conv2d(3, 64, 3, 1, 1).toString());
        assertEquals("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))", new Conv2d(1, 6, 5).toString());
        assertEquals("Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)",
                new Conv2d(3, 64, 7, 2, 3, false).toString());
        assertEquals("Conv2d(8, 8, kernel_size=(3, 5), stride=(1, 1), padding=same, dilation=(2, 2), groups=4)",
                Conv2d.builder(8, 8, 3).kernelSize(3, 5).padding("same").dilation(2).groups(4).build().toString());
        assertEquals("Conv2d(4, 6, kernel_size=(3, 3), stride=(2, 1), padding=valid)",
                Conv2d.builder(4, 6, 3).stride(2, 1).padding("valid").build().toString());
        assertEquals("Conv2d(4, 6, kernel_size=(3, 3), stride=(1, 1), padding=(0, 2))",
                Conv2d.builder(4, 6, 3).padding(0, 2).build().toString());
    }

    @Test
    void conv2dShapesInitAndErrors() {
        Conv2d c = Conv2d.builder(6, 12, 3).groups(3).build();
        assertArrayEquals(new int[] {12, 2, 3, 3}, c.weight().shape());
        assertArrayEquals(new int[] {12}, c.bias().shape());
        assertEquals(List.of("weight", "bias"), new ArrayList<>(c.namedParameters().keySet()));
        // PyTorch's default: kaiming_uniform(a=√5) is U(±1/√fan_in), and the bias has the same bound
        double bound = 1 / Math.sqrt(2 * 9);
        float max = 0;
        for (float v : c.weight().toFloatArray()) max = Math.max(max, Math.abs(v));
        assertTrue(max <= bound && max > 0.8 * bound, "weight bound " + max + " vs " + bound);
        for (float v : c.bias().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(new int[] {2, 12, 5, 7}, c.call(Tensor.zeros(2, 6, 7, 9)).shape());
        assertArrayEquals(new int[] {12, 5, 7}, c.call(Tensor.zeros(6, 7, 9)).shape());
        assertNull(new Conv2d(3, 4, 3, 1, 0, false).bias());
        assertEquals(List.of("weight"), new ArrayList<>(new Conv2d(3, 4, 3, 1, 0, false).namedParameters().keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.call(Tensor.zeros(2, 5, 7, 9)));
        assertTrue(e.getMessage().contains("[2, 5, 7, 9]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(6, 12, 3).groups(4).build());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(6, 12, 3).stride(2).padding("same").build());
        // a null generator leaves the weights for the caller's own scheme
        assertEquals(0f, Conv2d.builder(3, 4, 3).generator(null).build().weight().abs().sum().item());
    }

    @Test
    void outputSizeFormulaThroughConvAndPoolModules() {
        int[][] cases = { // W, F, S, P
            {32, 5, 1, 0}, {28, 5, 1, 2}, {224, 11, 4, 2}, {227, 11, 4, 0}, {7, 3, 2, 1}, {32, 3, 1, 1},
            {224, 7, 2, 3}, {13, 3, 2, 0}, {10, 4, 3, 1}, {5, 5, 1, 0}, {9, 2, 2, 0}, {56, 1, 2, 0}};
        for (int[] k : cases) {
            int w = k[0], f = k[1], s = k[2], p = k[3];
            int expected = lectureFormula(w, f, s, p);
            Conv2d conv = new Conv2d(2, 3, f, s, p);
            assertArrayEquals(new int[] {1, 3, expected, expected}, conv.call(Tensor.zeros(1, 2, w, w)).shape(),
                    "conv W=" + w + " F=" + f + " S=" + s + " P=" + p);
            assertArrayEquals(new int[] {expected, expected}, conv.outputSize(w, w));
            // rectangular input: each axis follows the formula on its own
            assertArrayEquals(new int[] {1, 3, expected, lectureFormula(w + 3, f, s, p)},
                    conv.call(Tensor.zeros(1, 2, w, w + 3)).shape());
            assertArrayEquals(new int[] {1, 3, expected}, new Conv1d(2, 3, f, s, p).call(Tensor.zeros(1, 2, w)).shape());
            if (2 * p <= f) {
                assertArrayEquals(new int[] {1, 2, expected, expected},
                        new MaxPool2d(f, s, p).call(Tensor.zeros(1, 2, w, w)).shape(), "maxpool " + w + "," + f + "," + s + "," + p);
                assertArrayEquals(new int[] {1, 2, expected, expected},
                        new AvgPool2d(f, s, p).call(Tensor.zeros(1, 2, w, w)).shape());
                assertArrayEquals(new int[] {1, 2, expected}, new MaxPool1d(f, s, p, 1, false).call(Tensor.zeros(1, 2, w)).shape());
                assertArrayEquals(new int[] {1, 2, expected}, new AvgPool1d(f, s, p, false, true).call(Tensor.zeros(1, 2, w)).shape());
            }
        }
        // "same" keeps the size for odd and even kernels; ceil_mode rounds up
        assertArrayEquals(new int[] {1, 1, 9, 10}, Conv2d.builder(1, 1, 4).padding("same").build().call(Tensor.zeros(1, 1, 9, 10)).shape());
        assertArrayEquals(new int[] {1, 1, 4, 4}, new MaxPool2d(2, 2, 0, 1, true).call(Tensor.zeros(1, 1, 7, 7)).shape());
    }

    @Test
    void conv2dComputesCrossCorrelation() {
        Conv2d c = new Conv2d(1, 1, 2);
        try (NoGrad g = NoGrad.enter()) {
            c.weight().copyInPlace(Tensor.of(1, 0, 0, -1).reshape(1, 1, 2, 2));
            c.bias().copyInPlace(Tensor.of(0.5f));
        }
        Tensor x = Tensor.arange(9).toFloat().reshape(1, 1, 3, 3); // 0..8
        // out[i][j] = x[i][j] − x[i+1][j+1] + 0.5 = −4 + 0.5 everywhere
        assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, c.call(x).toFloatArray(), 0f);
        // stride 2 with padding 1 sees the zero border: out = x[2i−1][2j−1] − x[2i][2j] + 0.5
        Conv2d s = new Conv2d(1, 1, 2, 2, 1);
        try (NoGrad g = NoGrad.enter()) {
            s.weight().copyInPlace(c.weight());
            s.bias().copyInPlace(c.bias());
        }
        assertArrayEquals(new float[] {0.5f, -1.5f, -5.5f, -3.5f}, s.call(x).toFloatArray(), 1e-6f);
    }

    @Test
    void conv1dComputesAndPrints() {
        Conv1d c = new Conv1d(1, 1, 3);
        try (NoGrad g = NoGrad.enter()) {
            c.weight().copyInPlace(Tensor.of(1, 0, -1).reshape(1, 1, 3));
            c.bias().copyInPlace(Tensor.of(0.5f));
        }
        assertArrayEquals(new float[] {-1.5f, -1.5f}, c.call(Tensor.of(1, 2, 3, 4).reshape(1, 1, 4)).toFloatArray(), 0f);
        assertEquals("Conv1d(1, 1, kernel_size=(3,), stride=(1,))", c.toString());
        assertEquals("Conv1d(16, 33, kernel_size=(3,), stride=(2,), padding=(1,))", new Conv1d(16, 33, 3, 2, 1).toString());
        assertEquals("Conv1d(4, 8, kernel_size=(5,), stride=(1,), padding=same, dilation=(2,), groups=2, bias=False)",
                new Conv1d(4, 8, 5, "same", 2, 2, false, new Generator(1)).toString());
        assertArrayEquals(new int[] {8, 3, 5}, new Conv1d(3, 8, 5).weight().shape());
        assertArrayEquals(new int[] {2, 8, 11}, new Conv1d(4, 8, 5, "same", 2, 2, false, new Generator(1)).call(Tensor.zeros(2, 4, 11)).shape());
    }

    @Test
    void convGradChecksThroughModules() {
        gradCheckModule(() -> Conv2d.builder(4, 6, 3).stride(2, 1).padding(1, 0, 2, 1).dilation(1, 2).groups(2)
                .generator(new Generator(3)).build(), rand(1, -1, 1, 2, 4, 6, 7));
        gradCheckModule(() -> Conv2d.builder(2, 3, 2).padding("same").generator(new Generator(4)).build(), rand(2, -1, 1, 2, 2, 4, 5));
        gradCheckModule(() -> new Conv1d(2, 4, 3, 2, 1, 2, 2, 2, true, new Generator(5)), rand(3, -1, 1, 2, 2, 9));
    }

    // ------------------------------------------------------------------ pooling

    @Test
    void poolingPrintsLikePyTorch() {
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)", new MaxPool2d(3, 2, 1).toString());
        assertEquals("MaxPool2d(kernel_size=(3, 2), stride=(3, 2), padding=(0, 0), dilation=(1, 1), ceil_mode=True)",
                new MaxPool2d(Pool2dOptions.of(3, 2).ceilMode(true)).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(7, 7))", new AdaptiveAvgPool2d(7, 7).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        assertEquals("AdaptiveMaxPool2d(output_size=(2, 3))", new AdaptiveMaxPool2d(2, 3).toString());
        assertEquals("MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool1d(3, 2).toString());
        assertEquals("AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))", new AvgPool1d(3).toString());
    }

    @Test
    void poolingNumbers() {
        Tensor x = Tensor.arange(16).toFloat().reshape(1, 1, 4, 4);
        assertArrayEquals(new float[] {5, 7, 13, 15}, new MaxPool2d(2).call(x).toFloatArray(), 0f);
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, new AvgPool2d(2).call(x).toFloatArray(), 0f);
        assertArrayEquals(new float[] {5, 7, 13, 15}, new AdaptiveMaxPool2d(2).call(x).toFloatArray(), 0f);
        assertArrayEquals(new float[] {7.5f}, new AdaptiveAvgPool2d(1).call(x).toFloatArray(), 0f);
        // 3 of 4 rows/cols per window: rows {0,1},{1,2},{2,3}
        assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f, 6.5f, 7.5f, 8.5f, 10.5f, 11.5f, 12.5f},
                new AdaptiveAvgPool2d(3).call(x).toFloatArray(), 1e-6f);
        // an output larger than the input repeats it (VGG's 7×7 pool on a 1×1 map)
        Tensor one = Tensor.of(3f).reshape(1, 1, 1, 1);
        Tensor up = new AdaptiveAvgPool2d(7, 7).call(one);
        assertArrayEquals(new int[] {1, 1, 7, 7}, up.shape());
        for (float v : up.toFloatArray()) assertEquals(3f, v);
        Tensor s = Tensor.of(1, 3, 2, 5, 4).reshape(1, 1, 5);
        assertArrayEquals(new float[] {3, 5}, new MaxPool1d(2).call(s).toFloatArray(), 0f);
        assertArrayEquals(new float[] {2, 3.5f}, new AvgPool1d(2).call(s).toFloatArray(), 0f);
        // padding: −∞ for max, zeros (counted) for average
        assertArrayEquals(new float[] {0, 2, 3, 8, 10, 11, 12, 14, 15}, new MaxPool2d(2, 2, 1).call(x).toFloatArray(), 0f);
        assertArrayEquals(new float[] {0, 3f / 4, 3f / 4}, new AvgPool2d(2, 2, 1).call(x).narrow(2, 0, 1).toFloatArray(), 1e-6f);
    }

    @Test
    void poolingGradChecksThroughModules() {
        // distinct values spaced wider than the checker's step, so no max is ever tied
        GradCheck fine = GradCheck.create().eps(1e-3);
        Tensor x = Tensor.randperm(new Generator(5), 2 * 3 * 7 * 6).toFloat().mul(0.1f).reshape(2, 3, 7, 6);
        gradCheckModule(fine, () -> new MaxPool2d(3, 2, 1), x);
        gradCheckModule(fine, () -> new AvgPool2d(3, 2, 1, true, false), x);
        gradCheckModule(fine, () -> new AdaptiveAvgPool2d(3, 4), x);
        gradCheckModule(fine, () -> new AdaptiveMaxPool2d(2, 3), x);
        Tensor s = Tensor.randperm(new Generator(6), 2 * 3 * 9).toFloat().mul(0.1f).reshape(2, 3, 9);
        gradCheckModule(fine, () -> new MaxPool1d(3, 2, 1, 1, false), s);
        gradCheckModule(fine, () -> new AvgPool1d(3, 2), s);
    }

    // ------------------------------------------------------------------ BatchNorm2d

    @Test
    void batchNorm2dPrintsAndRegistersLikePyTorch() {
        BatchNorm2d bn = new BatchNorm2d(64);
        assertEquals("BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                new ArrayList<>(bn.stateDict().keySet()));
        assertEquals(DType.INT64, bn.stateDict().get("num_batches_tracked").dtype());
        assertEquals("BatchNorm2d(3, eps=0.001, momentum=None, affine=False, track_running_stats=False)",
                new BatchNorm2d(3, 1e-3, null, false, false).toString());
        assertEquals(List.of(), new ArrayList<>(new BatchNorm2d(3, 1e-3, null, false, false).stateDict().keySet()));
    }

    @Test
    void batchNorm2dNumbersRunningStatsAndEval() {
        BatchNorm2d bn = new BatchNorm2d(1);
        // one channel, values 1, 3, 5, 7: mean 4, biased variance 5, unbiased 20/3
        Tensor x = Tensor.of(1, 3, 5, 7).reshape(2, 1, 1, 2);
        Tensor y = bn.call(x);
        double is = 1 / Math.sqrt(5 + 1e-5);
        assertArrayEquals(new float[] {(float) (-3 * is), (float) (-is), (float) is, (float) (3 * is)}, y.toFloatArray(), 1e-6f);
        assertEquals(0.4f, bn.runningMean().item(), 1e-6f);
        assertEquals(0.9f + 0.1f * 20 / 3, bn.runningVar().item(), 1e-6f);
        assertEquals(1, bn.numBatchesTracked());
        bn.eval();
        Tensor e = bn.call(Tensor.of(2f, 0.4f).reshape(1, 1, 1, 2));
        double rv = 0.9 + 0.1 * 20.0 / 3;
        assertArrayEquals(new float[] {(float) ((2 - 0.4) / Math.sqrt(rv + 1e-5)), 0f}, e.toFloatArray(), 1e-6f);
        assertEquals(1, bn.numBatchesTracked());
        // momentum None: cumulative average over batches
        BatchNorm2d cum = new BatchNorm2d(1, 1e-5, null, true, true);
        cum.call(x);
        cum.call(x.add(2f));
        assertEquals(5f, cum.runningMean().item(), 1e-5f);
        // a one-value-per-channel batch is rejected before the counter moves
        assertThrows(IllegalArgumentException.class, () -> cum.call(Tensor.zeros(1, 1, 1, 1)));
        assertEquals(2, cum.numBatchesTracked());
        assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(2, 2, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(2, 1, 3)));
    }

    @Test
    void batchNorm2dGradChecksInTrainAndEval() {
        Tensor x = rand(11, -2, 2, 3, 2, 3, 2);
        gradCheckModule(() -> {
            BatchNorm2d bn = new BatchNorm2d(2);
            bn.setParameter("weight", rand(12, 0.5f, 1.5f, 2));
            bn.setParameter("bias", rand(13, -0.5f, 0.5f, 2));
            return bn;
        }, x);
        gradCheckModule(() -> {
            BatchNorm2d bn = new BatchNorm2d(2);
            bn.setParameter("weight", rand(12, 0.5f, 1.5f, 2));
            bn.setBuffer("running_mean", Tensor.of(0.3f, -0.2f));
            bn.setBuffer("running_var", Tensor.of(1.5f, 0.7f));
            bn.eval();
            return bn;
        }, x);
    }

    // ------------------------------------------------------------------ Dropout2d, LocalResponseNorm

    @Test
    void dropout2dDropsWholeChannelsInTrainingOnly() {
        Dropout2d d = new Dropout2d(0.5).setGenerator(new Generator(3));
        assertEquals("Dropout2d(p=0.5, inplace=False)", d.toString());
        Tensor x = Tensor.ones(4, 50, 3, 3);
        float[] y = d.call(x).toFloatArray();
        int dropped = 0;
        for (int ch = 0; ch < 200; ch++) {
            float first = y[ch * 9];
            assertTrue(first == 0f || first == 2f);
            for (int j = 1; j < 9; j++) assertEquals(first, y[ch * 9 + j]);
            if (first == 0f) dropped++;
        }
        assertTrue(dropped > 70 && dropped < 130, "dropped " + dropped + " of 200");
        d.eval();
        assertSame(x, d.call(x));
        assertThrows(IllegalArgumentException.class, () -> new Dropout2d(1.5));
        Tensor g = rand(4, -1, 1, 2, 3, 2, 2);
        // the same mask on every call of the checker: a fresh generator each time
        GradCheck.assertGradients(in -> new Dropout2d(0.5).setGenerator(new Generator(9)).call(in[0]), g);
    }

    @Test
    void localResponseNormNumbersAndGradients() {
        LocalResponseNorm lrn = new LocalResponseNorm(5, 1e-4, 0.75, 2.0);
        assertEquals("LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=2.0)", lrn.toString());
        assertEquals("LocalResponseNorm(3, alpha=0.0001, beta=0.75, k=1.0)", new LocalResponseNorm(3).toString());
        // channels 1, 2, 3 at one pixel, n = 3, α = 3, β = 1, k = 1: windows {0,1}, {0,1,2}, {1,2}
        Tensor y = new LocalResponseNorm(3, 3, 1, 1).call(Tensor.of(1, 2, 3).reshape(1, 3, 1, 1));
        assertArrayEquals(new float[] {1f / 6, 2f / 15, 3f / 14}, y.toFloatArray(), 1e-6f);
        gradCheckModule(() -> new LocalResponseNorm(3, 0.5, 0.75, 1.0), rand(5, -1, 1, 2, 4, 2, 3));
    }
}
