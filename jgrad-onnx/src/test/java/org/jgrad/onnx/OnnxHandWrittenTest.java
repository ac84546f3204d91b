package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Hardsigmoid;
import org.jgrad.nn.Hardswish;
import org.jgrad.nn.Linear;
import org.jgrad.nn.LocalResponseNorm;
import org.jgrad.nn.Module;
import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export of hand-written {@code forward()} code: every op the exporter translates, with the settings
 * that differ between frameworks (grouped and dilated convolutions, ceil-mode and padded poolings
 * with and without the padding in the average, unequal adaptive windows), checked against ONNX
 * Runtime and against the re-imported model on a batch of another size than the traced one.
 */
class OnnxHandWrittenTest {
    @TempDir
    Path dir;

    /** A network that is no zoo model: branches, concatenations, and most of jgrad's ops. */
    static final class Everything extends Module {
        final Conv2d stem = registerModule("stem", new Conv2d(3, 8, 3, 1, 1));
        final BatchNorm2d bn = registerModule("bn", new BatchNorm2d(8));
        final Conv2d grouped = registerModule("grouped", new Conv2d(8, 8, 3, 3,
                Conv2dOptions.defaults().padding(2).dilation(2).groups(4), true, DefaultGenerator.get()));
        final Conv2d same = registerModule("same", new Conv2d(16, 6, 4, 4, Conv2dOptions.defaults().padding("same"), false,
                DefaultGenerator.get()));
        final ZeroPad2d pad = registerModule("pad", new ZeroPad2d(1));
        final LocalResponseNorm lrn = registerModule("lrn", new LocalResponseNorm(3, 1e-2, 0.75, 2));
        final Linear fc = registerModule("fc", new Linear(6 * 3 * 3, 5));

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = F.relu(bn.call(stem.call(x)));
            Tensor z = Tensor.cat(1, F.leakyRelu(grouped.call(y), 0.1), y.sigmoid().mul(2f).sub(y.tanh()));
            z = F.maxPool2d(pad.call(z), Pool2dOptions.of(3).stride(2).padding(1).ceilMode(true));
            z = F.gelu(same.call(z)).add(F.elu(z.narrow(1, 0, 6), 1.0)).clamp(-3f, 3f);
            z = lrn.call(F.avgPool2d(z, Pool2dOptions.of(3).stride(2).padding(1).countIncludePad(false)));
            z = F.adaptiveAvgPool2d(z, 3, 3).add(z.mean(new int[] {2, 3}, true).div(4f));
            Tensor flat = z.permute(0, 2, 3, 1).reshape(x.size(0), -1);
            Tensor h = fc.call(flat).add(F.softplus(flat.narrow(1, 0, 5)).pow(2f).sqrt());
            h = Hardswish.hardswish(h).add(Hardsigmoid.hardsigmoid(h.mul(4f)));
            h = h.div(h.std(new int[] {1}, 1, true).add(1f)).sub(h.var(new int[] {1}, 0, true).mul(0.1f))
                    .add(h.max(1, true).values()).sub(h.min().mul(0.5f));
            return F.logSoftmax(h.unsqueeze(1).squeeze(1), 1).add(F.softmax(h, 1).sum(1, true));
        }
    }

    private static Everything model() {
        DefaultGenerator.manualSeed(3);
        Everything m = new Everything();
        Generator g = new Generator(5);
        m.bn.buffer("running_mean").copyInPlace(Tensor.uniform(g, -0.5f, 0.5f, 8));
        m.bn.buffer("running_var").copyInPlace(Tensor.uniform(g, 0.5f, 2f, 8));
        return m;
    }

    @Test
    void handWrittenForwardExportsAndRuns() throws Exception {
        Everything m = model();
        Path file = dir.resolve("everything.onnx");
        Onnx.export(m, Tensor.randn(new Generator(1), 1, 3, 19, 19), file);
        m.eval();
        Tensor x = Tensor.randn(new Generator(2), 4, 3, 19, 19);
        float[] expected;
        try (NoGrad g = NoGrad.enter()) {
            expected = m.call(x).toFloatArray();
        }
        if (OrtRunner.available()) {
            double err = Norms.relativeError(OrtRunner.run(java.nio.file.Files.readAllBytes(file), x), expected);
            System.out.printf("onnx: hand-written forward: ONNX Runtime vs jgrad relative error %.3g%n", err);
            assertTrue(err <= 1e-5, "ONNX Runtime's relative error " + err);
        } else System.out.println("onnx: ONNX Runtime cannot load here, its check is skipped: " + OrtRunner.why());
        OnnxModel loaded = Onnx.load(file);
        loaded.eval();
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = loaded.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        assertTrue(err <= 1e-5, "imported relative error " + err);
        assertEquals(m.stateDict().keySet(), loaded.stateDict().keySet());
    }

    @Test
    void importedModelTrainsWithBatchStatisticsAndKeepsItsStateDict() throws Exception {
        Everything m = model();
        Path file = dir.resolve("everything.onnx");
        Onnx.export(m, Tensor.randn(new Generator(1), 2, 3, 19, 19), file);
        OnnxModel loaded = Onnx.load(file);
        Tensor x = Tensor.randn(new Generator(2), 4, 3, 19, 19);
        m.train();
        loaded.train();
        Tensor a = m.call(x), b = loaded.call(x);
        assertTrue(Norms.relativeError(b.toFloatArray(), a.toFloatArray()) <= 1e-5, "training-mode outputs agree");
        assertTrue(Norms.relativeError(loaded.stateDict().get("bn.running_mean").toFloatArray(),
                m.stateDict().get("bn.running_mean").toFloatArray()) <= 1e-5, "running statistics are updated alike");
        b.sum().backward();
        a.sum().backward();
        for (var e : m.namedParameters().entrySet()) {
            Tensor gl = loaded.namedParameters().get(e.getKey()).grad();
            assertNotNull(gl, e.getKey());
            // A bias before a training-mode batch norm has a gradient of zero up to rounding: compare absolutely there.
            float[] ga = gl.toFloatArray(), gb = e.getValue().grad().toFloatArray();
            double scale = Math.sqrt(java.util.stream.IntStream.range(0, gb.length).mapToDouble(i -> gb[i] * gb[i]).sum());
            assertTrue(Norms.relativeError(ga, gb) * scale <= 1e-4 * scale + 1e-5, "gradient of " + e.getKey());
        }
        // The imported weights load back into the original architecture.
        Everything fresh = new Everything();
        fresh.loadStateDict(loaded.stateDict());
    }

    /** A model using ops with no ONNX translation: one error names each. */
    static final class Unexportable extends Module {
        final Linear fc = registerModule("fc", new Linear(4, 4));

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = fc.call(x);
            // Training-mode RReLU with its per-element slopes, and a loss: neither has an ONNX translation.
            Tensor slopes = Tensor.full(0.2f, 2, 4);
            Tensor stepped = org.jgrad.ops.ActivationOps.rrelu(y, slopes);
            Tensor loss = F.nllLoss(F.logSoftmax(y, 1), Tensor.zerosLong(2));
            return stepped.add(org.jgrad.ops.ActivationOps.rrelu(y.mul(2f), slopes)).add(loss);
        }
    }

    @Test
    void unsupportedOpsAreAllNamedInOneError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(new Unexportable(), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("rrelu_with_noise (2 nodes") && e.getMessage().contains("nll_loss (1 node"), e.getMessage());
    }

    @Test
    void modelWhoseOutputIgnoresTheInputIsRefused() {
        Module constant = new Module() {
            final Tensor w = registerParameter("w", Tensor.ones(3));

            @Override
            public Tensor forward(Tensor x) {
                return w.mul(2f);
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(constant, Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("does not depend on its input"), e.getMessage());
    }
}
