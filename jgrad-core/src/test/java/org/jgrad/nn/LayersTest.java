package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Shapes, hand-computed numbers and gradient checks for Linear, BatchNorm1d, Dropout, Flatten, Identity, Maxout. */
class LayersTest {

    private static Tensor rand(long seed, float lo, float hi, int... shape) {
        return Tensor.uniform(new Generator(seed), lo, hi, shape);
    }

    // ------------------------------------------------------------------ Linear

    @Test
    void linearShapesAndPrintout() {
        Linear l = new Linear(3, 5);
        assertArrayEquals(new int[] {5, 3}, l.weight().shape());
        assertArrayEquals(new int[] {5}, l.bias().shape());
        assertArrayEquals(new int[] {7, 5}, l.call(Tensor.zeros(7, 3)).shape());
        assertArrayEquals(new int[] {2, 4, 5}, l.call(Tensor.zeros(2, 4, 3)).shape());
        assertArrayEquals(new int[] {5}, l.call(Tensor.zeros(3)).shape());
        assertEquals("Linear(in_features=3, out_features=5, bias=True)", l.toString());
        Linear nb = new Linear(3, 5, false);
        assertNull(nb.bias());
        assertEquals(List.of("weight"), new ArrayList<>(nb.namedParameters().keySet()));
        assertEquals("Linear(in_features=3, out_features=5, bias=False)", nb.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.call(Tensor.zeros(7, 4)));
        assertTrue(e.getMessage().contains("[7, 4]"), e.getMessage());
    }

    @Test
    void linearComputesXWTransposePlusB() {
        Linear l = new Linear(2, 2);
        try (NoGrad g = NoGrad.enter()) {
            l.weight().copyInPlace(Tensor.of(new float[][] {{1, 2}, {3, 4}}));
            l.bias().copyInPlace(Tensor.of(0.5f, -0.5f));
        }
        Tensor y = l.call(Tensor.of(new float[][] {{1, 1}, {2, -1}}));
        assertArrayEquals(new float[] {3.5f, 6.5f, 0.5f, 1.5f}, y.toFloatArray(), 0f);
    }

    @Test
    void linearDefaultInitIsUniformWithinOneOverSqrtFanIn() {
        DefaultGenerator.manualSeed(0);
        Linear l = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        float[] w = l.weight().toFloatArray();
        double sum = 0, sq = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound);
            sum += v;
            sq += v * v;
        }
        double mean = sum / w.length, var = sq / w.length - mean * mean;
        assertEquals(0, mean, 1e-3);
        assertEquals(bound * bound / 3, var, bound * bound / 3 * 0.02); // U(-b, b) has variance b²/3
        for (float v : l.bias().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        // the same seed gives the same weights
        DefaultGenerator.manualSeed(0);
        assertArrayEquals(w, new Linear(400, 300).weight().toFloatArray(), 0f);
        assertArrayEquals(w, new Linear(400, 300, true, new Generator(DefaultGenerator.DEFAULT_SEED).manualSeed(0)).weight().toFloatArray(), 0f);
    }

    @Test
    void linearGradCheckWithRespectToInputAndParameters() {
        Linear l = new Linear(3, 4);
        GradCheck.assertGradients(in -> {
            Linear m = new Linear(3, 4);
            m.setParameter("weight", in[1]);
            m.setParameter("bias", in[2]);
            return m.call(in[0]);
        }, rand(1, -1, 1, 5, 3), l.weight().detach(), l.bias().detach());
    }

    // ------------------------------------------------------------------ BatchNorm1d

    @Test
    void batchNormPrintoutParametersAndBuffers() {
        BatchNorm1d bn = new BatchNorm1d(4);
        assertEquals("BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                new ArrayList<>(bn.stateDict().keySet()));
        assertEquals(DType.INT64, bn.stateDict().get("num_batches_tracked").dtype());
        assertEquals(0, bn.stateDict().get("num_batches_tracked").dim());
        BatchNorm1d plain = new BatchNorm1d(3, 1e-3, null, false, false);
        assertEquals("BatchNorm1d(3, eps=0.001, momentum=None, affine=False, track_running_stats=False)", plain.toString());
        assertTrue(plain.stateDict().isEmpty());
    }

    @Test
    void batchNormTrainingNormalizesWithBiasedVarianceAndTracksUnbiased() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 6}});
        Tensor y = bn.call(x);
        // channel 0: mean 2, biased var 1; channel 1: mean 4, biased var 4
        float a = 0.9999950000f, b = 0.9999987500f;
        assertArrayEquals(new float[] {-a, -b, a, b}, y.toFloatArray(), 1e-6f);
        // running = 0.9·init + 0.1·batch, with the unbiased variances 2 and 8
        assertArrayEquals(new float[] {0.2f, 0.4f}, bn.runningMean().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1.1f, 1.7f}, bn.runningVar().toFloatArray(), 1e-6f);
        assertEquals(1, bn.numBatchesTracked());
        bn.eval();
        Tensor e = bn.call(x);
        assertArrayEquals(new float[] {0.7627666042f, 1.2271403729f, 2.6696831150f, 4.2949913052f}, e.toFloatArray(), 1e-5f);
        assertEquals(1, bn.numBatchesTracked(), "evaluation does not count batches");
        assertArrayEquals(new float[] {0.2f, 0.4f}, bn.runningMean().toFloatArray(), 1e-6f);
    }

    @Test
    void batchNormOnNCLUsesBatchAndLengthStatistics() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor x = rand(5, -2, 2, 4, 3, 6);
        Tensor y = bn.call(x);
        assertArrayEquals(new int[] {4, 3, 6}, y.shape());
        Tensor mean = y.mean(new int[] {0, 2}, false), var = y.var(new int[] {0, 2}, 0, false);
        assertArrayEquals(new float[3], mean.toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {1, 1, 1}, var.toFloatArray(), 1e-3f);
        Tensor expectedRm = x.mean(new int[] {0, 2}, false).mul(0.1f);
        assertTrue(bn.runningMean().allClose(expectedRm, 1e-5f, 1e-6f));
    }

    @Test
    void batchNormCumulativeMomentumAndErrors() {
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5, null, true, true);
        bn.call(Tensor.of(new float[][] {{0}, {2}}));
        bn.call(Tensor.of(new float[][] {{4}, {6}}));
        // cumulative average of the batch means 1 and 5
        assertEquals(3f, bn.runningMean().item(), 1e-6f);
        assertEquals(2, bn.numBatchesTracked());
        assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(1, 1)));
        assertEquals(2, bn.numBatchesTracked(), "a rejected batch is not counted");
        assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(4, 2)));
        assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(4, 1, 2, 2)));
    }

    @Test
    void batchNormGradCheckInTrainingMode() {
        BatchNorm1d ref = new BatchNorm1d(3);
        Tensor w = rand(6, 0.5f, 1.5f, 3), b = rand(7, -0.5f, 0.5f, 3);
        GradCheck.Result r = GradCheck.create().run(in -> {
            BatchNorm1d bn = new BatchNorm1d(3);
            bn.setParameter("weight", in[1]);
            bn.setParameter("bias", in[2]);
            return bn.call(in[0]);
        }, rand(8, -2, 2, 5, 3), w, b);
        assertTrue(r.passed(), r.report());
        GradCheck.assertGradients(in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                rand(9, -2, 2, 4, 3, 5), w, b);
        assertTrue(ref.isTraining());
    }

    @Test
    void batchNormStateDictRoundTripKeepsCounterAsInt64() {
        BatchNorm1d a = new BatchNorm1d(2);
        a.call(rand(10, -1, 1, 6, 2));
        a.call(rand(11, -1, 1, 6, 2));
        BatchNorm1d b = new BatchNorm1d(2);
        b.loadStateDict(a.stateDict());
        assertEquals(2, b.numBatchesTracked());
        assertEquals(DType.INT64, b.buffer("num_batches_tracked").dtype());
        assertArrayEquals(a.runningVar().toFloatArray(), b.runningVar().toFloatArray(), 0f);
    }

    // ------------------------------------------------------------------ Dropout

    @Test
    void dropoutZeroesAndRescalesInTrainingOnly() {
        Dropout d = new Dropout(0.25).setGenerator(new Generator(3));
        assertEquals("Dropout(p=0.25, inplace=False)", d.toString());
        assertEquals("Dropout(p=0.5, inplace=False)", new Dropout().toString());
        Tensor x = Tensor.ones(100, 100).requiresGrad(true);
        Tensor y = d.call(x);
        int zeros = 0;
        for (float v : y.toFloatArray()) {
            assertTrue(v == 0f || Math.abs(v - 4f / 3) < 1e-6, "value " + v);
            if (v == 0f) zeros++;
        }
        assertEquals(0.25, zeros / 10000.0, 0.02);
        y.sum().backward();
        assertArrayEquals(y.toFloatArray(), x.grad().toFloatArray(), 0f);
        d.eval();
        assertSame(x, d.call(x));
        // the same generator seed gives the same mask
        Tensor m1 = new Dropout(0.5).setGenerator(new Generator(5)).call(Tensor.ones(50));
        Tensor m2 = new Dropout(0.5).setGenerator(new Generator(5)).call(Tensor.ones(50));
        assertArrayEquals(m1.toFloatArray(), m2.toFloatArray(), 0f);
        assertArrayEquals(new float[4], new Dropout(1.0).call(Tensor.ones(4)).toFloatArray(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    // ------------------------------------------------------------------ Flatten, Identity, Maxout

    @Test
    void flattenAndIdentity() {
        Tensor x = rand(12, -1, 1, 2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, new Flatten().call(x).shape());
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).call(x).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).call(x).shape());
        assertArrayEquals(x.toFloatArray(), new Flatten().call(x).toFloatArray(), 0f);
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
        assertSame(x, new Identity().call(x));
        assertEquals("Identity()", new Identity().toString());
    }

    @Test
    void maxoutTakesTheMaxOverEachUnitsPieces() {
        Maxout m = new Maxout(2, 2, 3);
        assertEquals(List.of("linear.weight", "linear.bias"), new ArrayList<>(m.stateDict().keySet()));
        assertArrayEquals(new int[] {6, 2}, m.linear().weight().shape());
        try (NoGrad g = NoGrad.enter()) {
            // unit 0 pieces: x0, x1, -x0; unit 1 pieces: x0+x1, 0, 1 (bias)
            m.linear().weight().copyInPlace(Tensor.of(new float[][] {{1, 0}, {0, 1}, {-1, 0}, {1, 1}, {0, 0}, {0, 0}}));
            m.linear().bias().copyInPlace(Tensor.of(0f, 0f, 0f, 0f, 0f, 1f));
        }
        Tensor y = m.call(Tensor.of(new float[][] {{2, 3}, {-4, 1}}));
        assertArrayEquals(new float[] {3, 5, 4, 1}, y.toFloatArray(), 0f);
        assertArrayEquals(new int[] {3, 4, 2}, m.call(Tensor.zeros(3, 4, 2)).shape());
        Maxout fresh = new Maxout(3, 2, 2);
        GradCheck.assertGradients(in -> {
            Maxout mm = new Maxout(3, 2, 2);
            mm.linear().setParameter("weight", in[1]);
            mm.linear().setParameter("bias", in[2]);
            return mm.call(in[0]);
        }, rand(13, -1, 1, 4, 3), fresh.linear().weight().detach(), fresh.linear().bias().detach());
    }

    @Test
    void layersValidateTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Linear(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(0));
        assertThrows(IllegalArgumentException.class, () -> new Maxout(2, 2, 0));
        assertFalse(new Linear(1, 1).weight().isLeaf() == false);
    }
}
