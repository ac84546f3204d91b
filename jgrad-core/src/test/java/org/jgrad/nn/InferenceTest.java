package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jgrad.autograd.NoGrad;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.PackedConv2d;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Inference#prepare}: which conv + batch norm + ReLU chains it folds (following the recorded
 * graph, in hand-written forwards and in Sequentials) and which it must leave alone, that the prepared
 * model computes what the original did (within float rounding) at the traced size and at others,
 * from several threads at once, and with gradients to an input that asks for them.
 */
class InferenceTest {

    /** Random running statistics and affine terms, so that an eval-mode batch norm is not the identity. */
    private static void randomizeStats(Module m, long seed) {
        Generator g = new Generator(seed);
        try (NoGrad ng = NoGrad.enter()) {
            for (Module mod : m.modules())
                if (mod instanceof BatchNorm bn) {
                    int c = bn.numFeatures();
                    if (bn.runningMean() != null) {
                        bn.runningMean().copyInPlace(Tensor.uniform(g, -0.5f, 0.5f, c));
                        bn.runningVar().copyInPlace(Tensor.uniform(g, 0.5f, 2f, c));
                    }
                    if (bn.weight() != null) bn.weight().copyInPlace(Tensor.uniform(g, 0.5f, 1.5f, c));
                    if (bn.bias() != null) bn.bias().copyInPlace(Tensor.uniform(g, -0.5f, 0.5f, c));
                }
        }
    }

    private static Tensor eval(Module m, Tensor x) {
        m.eval();
        try (NoGrad ng = NoGrad.enter()) {
            return m.call(x);
        }
    }

    private static void assertClose(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what);
        float[] a = want.toFloatArray(), b = got.toFloatArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4f * (1 + Math.abs(a[i])), what + " at " + i);
    }

    /** A hand-written block: conv → bn → relu, then conv → bn added to a 1×1 projection, relu of the sum. */
    static final class Block extends Module {
        Block(Generator g) {
            registerModule("conv1", new Conv2d(4, 8, 3, 3, Conv2dOptions.defaults().padding(1), false, g));
            registerModule("bn1", new BatchNorm2d(8));
            registerModule("relu", new ReLU());
            registerModule("conv2", new Conv2d(8, 8, 3, 3, Conv2dOptions.defaults().padding(1).stride(2), true, g));
            registerModule("bn2", new BatchNorm2d(8));
            registerModule("proj", new Conv2d(4, 8, 1, 1, Conv2dOptions.defaults().stride(2), false, g));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = child("relu").call(child("bn1").call(child("conv1").call(x)));
            h = child("bn2").call(child("conv2").call(h));
            return child("relu").call(h.add(child("proj").call(x)));
        }
    }

    @Test
    void foldsTheChainsOfAHandWrittenForwardAndKeepsItsOutput() {
        Block m = new Block(new Generator(1));
        randomizeStats(m, 2);
        Tensor x = Tensor.randn(new Generator(3), 2, 4, 9, 9);
        Tensor want = eval(m, x);
        Inference service = Inference.prepare(m, x.narrow(0, 0, 1));
        // The shared ReLU runs twice, so it stays; each conv + bn pair folds; the projection is only packed.
        assertEquals(List.of("conv1 + bn1", "conv2 + bn2"), service.fusions());
        assertInstanceOf(FusedConv2d.class, m.child("conv1"));
        assertInstanceOf(Identity.class, m.child("bn1"));
        assertInstanceOf(ReLU.class, m.child("relu"));
        assertInstanceOf(FusedConv2d.class, m.child("proj"));
        assertFalse(((FusedConv2d) m.child("proj")).relu());
        assertClose(want, service.predict(x), "batch 2");
        // Another image size: packed on first use.
        Tensor y = Tensor.randn(new Generator(4), 1, 4, 5, 7);
        Block fresh = new Block(new Generator(1));
        randomizeStats(fresh, 2);
        assertClose(eval(fresh, y), service.predict(y), "a 5x7 image");
        for (Tensor p : m.parameters()) assertFalse(p.requiresGrad(), "a prepared model is frozen");
    }

    @Test
    void foldsConvBatchNormReluInASequential() {
        Generator g = new Generator(5);
        Sequential m = new Sequential(new Conv2d(3, 6, 3, 3, Conv2dOptions.defaults(), true, g), new BatchNorm2d(6),
                new ReLU(), new Conv2d(6, 5, 3, 3, Conv2dOptions.defaults().padding(1), true, g), new ReLU(),
                new Flatten(), new Linear(5 * 6 * 6, 3, true, g));
        randomizeStats(m, 6);
        Tensor x = Tensor.randn(new Generator(7), 3, 3, 8, 8);
        Tensor want = eval(m, x);
        Inference service = Inference.prepare(m, x);
        assertEquals(List.of("0 + 1 + 2", "3 + 4"), service.fusions());
        assertTrue(((FusedConv2d) m.child("0")).relu());
        assertClose(want, service.predict(x), "sequential");
        assertTrue(m.toString().contains("relu=True"), m.toString());
    }

    /** A conv whose output is read twice: by its batch norm and by a skip connection. */
    static final class TwoUses extends Module {
        TwoUses(Generator g) {
            registerModule("conv", new Conv2d(3, 3, 3, 3, Conv2dOptions.defaults().padding(1), true, g));
            registerModule("bn", new BatchNorm2d(3));
            registerModule("relu", new ReLU());
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor c = child("conv").call(x);
            return child("relu").call(child("bn").call(c)).add(c);
        }
    }

    @Test
    void leavesAConvWhoseOutputIsUsedTwiceUnfolded() {
        TwoUses m = new TwoUses(new Generator(8));
        randomizeStats(m, 9);
        Tensor x = Tensor.randn(new Generator(10), 2, 3, 6, 6);
        Tensor want = eval(m, x);
        Inference service = Inference.prepare(m, x);
        assertEquals(List.of(), service.fusions());
        assertInstanceOf(BatchNorm2d.class, m.child("bn"));
        assertInstanceOf(FusedConv2d.class, m.child("conv"));
        assertClose(want, service.predict(x), "two uses");
    }

    @Test
    void leavesABatchNormWithoutRunningStatisticsAndAHookedModuleAlone() {
        Generator g = new Generator(11);
        Sequential m = new Sequential(new Conv2d(2, 4, 3, 3, Conv2dOptions.defaults(), true, g),
                new BatchNorm2d(4, 1e-5, 0.1, true, false), new Conv2d(4, 4, 1, 1, Conv2dOptions.defaults(), true, g),
                new BatchNorm2d(4));
        randomizeStats(m, 12);
        List<Tensor> seen = new ArrayList<>();
        m.child("3").registerForwardHook((mod, in, out) -> seen.add(out));
        Tensor x = Tensor.randn(new Generator(13), 3, 2, 5, 5);
        Tensor want = eval(m, x);
        Inference service = Inference.prepare(m, x);
        assertEquals(List.of(), service.fusions(), "batch statistics in eval cannot fold; a hook must see the bn's output");
        assertInstanceOf(BatchNorm2d.class, m.child("1"));
        assertInstanceOf(BatchNorm2d.class, m.child("3"));
        seen.clear();
        assertClose(want, service.predict(x), "unfolded");
        assertEquals(1, seen.size(), "the hook still runs");
    }

    @Test
    void aGroupedConvolutionRunsThePlainPath() {
        Generator g = new Generator(14);
        Sequential m = new Sequential(new Conv2d(4, 8, 3, 3, Conv2dOptions.defaults().groups(2).padding(1), false, g),
                new BatchNorm2d(8), new ReLU());
        randomizeStats(m, 15);
        Tensor x = Tensor.randn(new Generator(16), 2, 4, 7, 7);
        Tensor want = eval(m, x);
        Inference service = Inference.prepare(m, x);
        assertEquals(List.of("0 + 1 + 2"), service.fusions());
        assertClose(want, service.predict(x), "grouped");
    }

    @Test
    void servesManyThreadsAtOnce() throws Exception {
        Block m = new Block(new Generator(17));
        randomizeStats(m, 18);
        int requests = 24;
        Tensor[] xs = new Tensor[requests], want = new Tensor[requests];
        for (int i = 0; i < requests; i++) {
            // Two sizes, so that threads also race to pack a new one.
            xs[i] = Tensor.randn(new Generator(100 + i), 1, 4, i % 2 == 0 ? 9 : 6, 9);
            want[i] = eval(m, xs[i]);
        }
        Inference service = Inference.prepare(m, xs[0]);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> got = new ArrayList<>();
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < requests; i++) {
                    Tensor x = xs[i];
                    got.add(pool.submit(() -> service.predict(x)));
                }
            for (int j = 0; j < got.size(); j++) assertClose(want[j % requests], got.get(j).get(), "request " + j);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anInputThatRequiresGradGetsItsGradient() {
        Block m = new Block(new Generator(19));
        randomizeStats(m, 20);
        Tensor x = Tensor.randn(new Generator(21), 1, 4, 6, 6);
        Tensor xa = x.cloneData().requiresGrad(true), xb = x.cloneData().requiresGrad(true);
        m.eval();
        m.call(xa).sum().backward();
        Inference.prepare(m, x);
        Tensor out = m.call(xb);
        assertNotNull(out.gradFn(), "with grad mode on, an input that requires grad is recorded");
        out.sum().backward();
        assertClose(xa.grad(), xb.grad(), "input gradient");
    }

    @Test
    void aFailedCheckUndoesTheFusion() {
        // A forward that reads its batch norm's running mean after the call: folding changes what it reads.
        final class Sneaky extends Module {
            Sneaky(Generator g) {
                registerModule("conv", new Conv2d(2, 2, 1, 1, Conv2dOptions.defaults(), true, g));
                registerModule("bn", new BatchNorm2d(2));
            }

            @Override
            public Tensor forward(Tensor x) {
                Tensor y = child("bn").call(child("conv").call(x));
                Module bn = child("bn");
                return bn instanceof BatchNorm2d b ? y.add(b.runningMean().sum()) : y;
            }
        }
        Sneaky m = new Sneaky(new Generator(22));
        randomizeStats(m, 23);
        Module conv = m.child("conv"), bn = m.child("bn");
        Tensor x = Tensor.randn(new Generator(24), 1, 2, 3, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Inference.prepare(m, x));
        assertTrue(e.getMessage().contains("conv + bn") && e.getMessage().contains("undone"), e.getMessage());
        assertSame(conv, m.child("conv"));
        assertSame(bn, m.child("bn"));
    }

    @Test
    void thePackedOpChecksItsInputs() {
        Tensor w = Tensor.randn(new Generator(25), 4, 3, 3, 3);
        PackedConv2d p = PackedConv2d.of(w, null, Conv2dOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.forward(Tensor.zeros(1, 2, 5, 5), false));
        assertTrue(e.getMessage().contains("channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.forward(Tensor.zeros(1, 3, 2, 2), false));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PackedConv2d.of(w, Tensor.zeros(5), Conv2dOptions.defaults()));
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Inference.prepare(new Identity(), null));
    }
}
