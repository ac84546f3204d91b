package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.Graph;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused training batch norm + residual add + ReLU ({@link NormOps#batchNormTrainRelu}) gives bitwise the
 * values, gradients, statistics and graph of the separate ops, on planes taken plane by plane and image
 * row by image row, with and without γ, β and residual, with NaN and ±0 in the input; its gradients pass
 * a numerical check; and it matches PyTorch's values (batch_norm_relu.safetensors, written by
 * make_batch_norm_relu_fixtures.py next to it).
 */
class FusedBatchNormReluTest {

    /** Fused and unfused on the same leaves: outputs, statistics and every leaf's gradient bitwise equal. */
    private static void sameAsUnfused(Tensor[] leaves, Function<Tensor[], NormOps.BatchNormResult> fused,
            Function<Tensor[], NormOps.BatchNormResult> unfused, String what) {
        Tensor gy = null;
        float[][][] all = new float[2][leaves.length][];
        float[][][] outs = new float[2][4][];
        for (int pass = 0; pass < 2; pass++) {
            for (Tensor t : leaves) if (t != null) t.zeroGrad();
            NormOps.BatchNormResult r = (pass == 0 ? fused : unfused).apply(leaves);
            if (gy == null) gy = Tensor.randn(new Generator(99), r.output().shape());
            r.output().backward(gy);
            outs[pass] = new float[][] {r.output().toFloatArray(), r.mean().toFloatArray(), r.var().toFloatArray(),
                r.unbiasedVar().toFloatArray()};
            for (int i = 0; i < leaves.length; i++)
                all[pass][i] = leaves[i] == null || leaves[i].grad() == null ? null : leaves[i].grad().toFloatArray();
        }
        for (int k = 0; k < 4; k++) assertArrayEquals(outs[1][k], outs[0][k], 0f, what + " output/statistic " + k);
        for (int i = 0; i < leaves.length; i++) {
            if (all[1][i] == null) assertNull(all[0][i], what + " gradient " + i);
            else assertArrayEquals(all[1][i], all[0][i], 0f, what + " gradient " + i);
        }
    }

    private static NormOps.BatchNormResult unfused(Tensor x, Tensor w, Tensor b, Tensor r) {
        NormOps.BatchNormResult bn = NormOps.batchNormTrain(x, w, b, 1e-5f, 0.1);
        Tensor y = r == null ? bn.output() : bn.output().add(r);
        return new NormOps.BatchNormResult(y.relu(), bn.mean(), bn.var(), bn.unbiasedVar());
    }

    @Test
    void matchesBatchNormAddReluBitwise() {
        Generator gen = new Generator(7);
        // {n, c, h, w}: planes of 20 and 64 (plane by plane), 4 and 1 (image rows), 16 (the boundary)
        int[][] shapes = {{3, 4, 5, 4}, {4, 3, 8, 8}, {5, 3, 2, 2}, {6, 5, 1, 1}, {2, 3, 4, 4}};
        for (int[] s : shapes)
            for (int variant = 0; variant < 4; variant++) {
                boolean affine = variant != 1, residual = variant >= 2, residualGrad = variant == 3;
                float[] xs = Tensor.randn(gen, s).toFloatArray();
                xs[0] = Float.NaN;
                xs[1] = -0f;
                Tensor x = TensorData.wrap(xs, s).requiresGrad(true);
                Tensor w = affine ? Tensor.rand(gen, s[1]).add(0.5f).requiresGrad(true) : null;
                Tensor b = affine ? Tensor.randn(gen, s[1]).requiresGrad(true) : null;
                Tensor r = residual ? Tensor.randn(gen, s).requiresGrad(residualGrad) : null;
                String what = java.util.Arrays.toString(s) + " variant " + variant;
                sameAsUnfused(new Tensor[] {x, w, b, r}, t -> NormOps.batchNormTrainRelu(t[0], t[1], t[2], t[3], 1e-5f, 0.1),
                        t -> unfused(t[0], t[1], t[2], t[3]), what);
            }
    }

    @Test
    void recordsTheSeparateOpsNodes() {
        Generator gen = new Generator(8);
        Tensor x = Tensor.randn(gen, 2, 3, 4, 4).requiresGrad(true), r = Tensor.randn(gen, 2, 3, 4, 4);
        Tensor w = Tensor.ones(3).requiresGrad(true), b = Tensor.zeros(3).requiresGrad(true);
        List<String> fused = new ArrayList<>(), unfused = new ArrayList<>();
        for (Graph.Op op : Graph.trace(NormOps.batchNormTrainRelu(x, w, b, r, 1e-5f, 0.1).output()).ops()) fused.add(op.type());
        for (Graph.Op op : Graph.trace(unfused(x, w, b, r).output()).ops()) unfused.add(op.type());
        assertEquals(unfused, fused);
        assertTrue(fused.contains("native_batch_norm") && fused.contains("add") && fused.contains("relu"), fused.toString());
    }

    @Test
    void gradientsPassTheNumericalCheck() {
        Generator gen = new Generator(9);
        GradCheck.assertGradients(in -> NormOps.batchNormTrainRelu(in[0], in[1], in[2], in[3], 1e-5f, 0.1).output(),
                Tensor.randn(gen, 3, 2, 4, 5), Tensor.rand(gen, 2).add(0.5f), Tensor.randn(gen, 2), Tensor.randn(gen, 3, 2, 4, 5));
        GradCheck.assertGradients(in -> NormOps.batchNormTrainRelu(in[0], in[1], in[2], null, 1e-5f, 0.1).output(),
                Tensor.randn(gen, 4, 3, 2, 2), Tensor.rand(gen, 3).add(0.5f), Tensor.randn(gen, 3));
        GradCheck.assertGradients(in -> NormOps.batchNormTrainRelu(in[0], null, null, in[1], 1e-5f, 0.1).output(),
                Tensor.randn(gen, 5, 2, 1, 1), Tensor.randn(gen, 5, 2, 1, 1));
    }

    @Test
    void matchesPyTorch() throws IOException {
        Map<String, Tensor> f = load();
        for (String c : new String[] {"a", "b", "c"})
            for (String k : new String[] {"y1", "y2"}) {
                // fresh leaves per output, so that gradients do not accumulate across the two
                Tensor x = leaf(f, c + ".x"), r = leaf(f, c + ".r"), w = leaf(f, c + ".weight"), b = leaf(f, c + ".bias");
                boolean withResidual = k.equals("y2");
                NormOps.BatchNormResult res = NormOps.batchNormTrainRelu(x, w, b, withResidual ? r : null, 1e-5f, 0.1);
                res.output().backward(f.get(c + ".gy"));
                String what = c + "." + k;
                close(f.get(what), res.output(), what);
                close(f.get(what + ".gx"), x.grad(), what + " dx");
                close(f.get(what + ".gweight"), w.grad(), what + " dweight");
                close(f.get(what + ".gbias"), b.grad(), what + " dbias");
                if (withResidual) close(f.get(what + ".gr"), r.grad(), what + " dresidual");
                else assertNull(r.grad(), what + ": the residual was not used");
                Tensor rm = Tensor.zeros(w.size(0)), rv = Tensor.ones(w.size(0));
                res.updateRunningStats(rm, rv, 0.1f);
                close(f.get(what + ".running_mean"), rm, what + " running mean");
                close(f.get(what + ".running_var"), rv, what + " running var");
            }
    }

    @Test
    void rejectsAResidualOfAnotherShape() {
        Tensor x = Tensor.randn(new Generator(1), 2, 3, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NormOps.batchNormTrainRelu(x, null, null, Tensor.zeros(2, 3, 4, 1), 1e-5f, 0.1));
        assertTrue(e.getMessage().contains("[2, 3, 4, 1]") && e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
    }

    @Test
    void withoutGradientsNothingIsRecorded() {
        Tensor x = Tensor.randn(new Generator(2), 2, 3, 4, 4), w = Tensor.ones(3).requiresGrad(true);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor y = NormOps.batchNormTrainRelu(x, w, null, Tensor.ones(2, 3, 4, 4), 1e-5f, 0.1).output();
            assertNull(y.gradFn());
            assertEquals(0f, Math.min(0f, y.min().item()), "no negative output");
        }
    }

    private static Tensor leaf(Map<String, Tensor> f, String key) {
        return f.get(key).cloneData().requiresGrad(true);
    }

    private static void close(Tensor expected, Tensor actual, String what) {
        assertNotNull(actual, what);
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertEquals(e[i], a[i], 1e-4 + 1e-4 * Math.abs(e[i]), what + " [" + i + "]");
    }

    private static Map<String, Tensor> load() throws IOException {
        try (InputStream in = FusedBatchNormReluTest.class.getResourceAsStream("batch_norm_relu.safetensors")) {
            assertNotNull(in, "missing test resource batch_norm_relu.safetensors");
            Path tmp = Files.createTempFile("batch-norm-relu", ".safetensors");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return SafeTensors.load(tmp).tensors();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
