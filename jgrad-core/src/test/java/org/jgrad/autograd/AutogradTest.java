package org.jgrad.autograd;

import static org.jgrad.tensor.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The define-by-run graph and the backward engine. */
class AutogradTest {

    @Test
    void requiresGradPropagatesAndLeavesAreMarked() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true), c = Tensor.of(3f, 4f);
        assertTrue(x.isLeaf() && x.requiresGrad() && x.gradFn() == null);
        Tensor y = x.mul(c);
        assertTrue(y.requiresGrad());
        assertFalse(y.isLeaf());
        assertEquals("MulBackward0", y.gradFn().displayName());
        Tensor z = c.mul(c);
        assertFalse(z.requiresGrad());
        assertNull(z.gradFn());
        var e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("non-leaf"), e.getMessage());
    }

    @Test
    void scalarBackward() {
        Tensor x = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        x.mul(x).sum().backward(); // d/dx sum(x^2) = 2x
        assertTensor(x.grad(), new int[] {3}, 2, 4, 6);
        assertFalse(x.grad().requiresGrad());
    }

    @Test
    void nonScalarBackwardWithGradient() {
        Tensor x = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        Tensor y = x.mul(3f);
        y.backward(Tensor.of(1f, 10f, 100f));
        assertTensor(x.grad(), new int[] {3}, 3, 30, 300);
    }

    @Test
    void nonScalarBackwardWithoutGradientIsAClearError() {
        Tensor x = Tensor.ones(2, 3).requiresGrad(true);
        var e = assertThrows(IllegalArgumentException.class, () -> x.exp().backward());
        assertTrue(e.getMessage().startsWith("backward:") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("scalar"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> x.exp().backward(Tensor.ones(3, 2)));
        assertTrue(e2.getMessage().startsWith("backward:") && e2.getMessage().contains("[3, 2]")
                && e2.getMessage().contains("[2, 3]"), e2.getMessage());
        // a one-element non-scalar output may be seeded implicitly, as in PyTorch
        x.sum().view(1, 1).backward();
        assertTensor(x.grad(), new int[] {2, 3}, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void gradientsAccumulateOverBackwardCallsUntilZeroGrad() {
        Tensor w = Tensor.of(2f, -1f).requiresGrad(true);
        w.mul(3f).sum().backward();
        w.square().sum().backward();
        assertTensor(w.grad(), new int[] {2}, 3 + 4, 3 - 2);
        w.zeroGrad();
        assertNull(w.grad());
        w.sum().backward();
        assertTensor(w.grad(), new int[] {2}, 1, 1);
    }

    @Test
    void gradIsAFreshTensorNotAliasedToTheSeed() {
        Tensor a = Tensor.of(1f, 2f).requiresGrad(true), b = Tensor.of(3f, 4f).requiresGrad(true);
        Tensor seed = Tensor.of(1f, 1f);
        a.add(b).backward(seed);
        try (NoGrad g = NoGrad.enter()) {
            a.grad().mulInPlace(10f);
        }
        assertTensor(b.grad(), new int[] {2}, 1, 1);
        assertTensor(seed, new int[] {2}, 1, 1);
    }

    /** A gradient large enough to be accumulated in parallel parts (at an odd length) adds every element once. */
    @Test
    void largeGradientsAccumulateInPlaceElementByElement() {
        int n = 3 * (1 << 17) + 5;
        float[] x = new float[n], g1 = new float[n], g2 = new float[n];
        for (int i = 0; i < n; i++) {
            g1[i] = i % 7;
            g2[i] = i % 11 - 5;
        }
        Tensor a = TensorData.wrap(x, n).requiresGrad(true);
        Autograd.record(Tensor.zeros(n), "custom", g -> new Tensor[] {TensorData.wrapGradient(g1.clone(), n)}, a).sum().backward();
        Tensor kept = a.grad();
        Autograd.record(Tensor.zeros(n), "custom", g -> new Tensor[] {TensorData.wrapGradient(g2.clone(), n)}, a).sum().backward();
        assertTrue(kept == a.grad(), "accumulated in place");
        float[] got = a.grad().toFloatArray();
        for (int i = 0; i < n; i++) assertEquals(g1[i] + g2[i], got[i], "element " + i);
    }

    @Test
    void anAdoptedGradientGoesToOneLeafOnlyAndAccumulatesOutOfPlace() {
        // a backward that returns the same wrapGradient tensor for both inputs
        Tensor a = Tensor.of(1f, 2f).requiresGrad(true), b = Tensor.of(3f, 4f).requiresGrad(true);
        Tensor out = Autograd.record(Tensor.of(0f, 0f), "custom", g -> {
            Tensor t = TensorData.wrapGradient(new float[] {5f, 6f}, 2);
            return new Tensor[] {t, t};
        }, a, b);
        out.sum().backward();
        assertTensor(a.grad(), new int[] {2}, 5, 6);
        assertTensor(b.grad(), new int[] {2}, 5, 6);
        assertFalse(TensorData.floats(a.grad()) == TensorData.floats(b.grad()), "two leaves must not share one gradient buffer");
        try (NoGrad g = NoGrad.enter()) {
            a.grad().mulInPlace(10f);
        }
        assertTensor(b.grad(), new int[] {2}, 5, 6);
        // a second backward accumulates into the same tensor, in place (PyTorch's AccumulateGrad)
        Tensor kept = b.grad();
        Autograd.record(Tensor.of(0f, 0f), "custom", g -> new Tensor[] {null, TensorData.wrapGradient(new float[] {1f, 1f}, 2)},
                a, b).sum().backward();
        assertTensor(b.grad(), new int[] {2}, 6, 7);
        assertTrue(kept == b.grad(), "accumulated in place");
        assertTensor(a.grad(), new int[] {2}, 50, 60);
    }

    @Test
    void aRetainedGradientIsNotAdoptedByALeafToo() {
        // linear's input gradient reaches a retained non-leaf; identity-like ops pass it on unchanged
        Tensor x = Tensor.of(1f, 2f, 3f).reshape(1, 3).requiresGrad(true);
        Tensor h = x.add(Tensor.zeros(1, 3)).retainGrad();
        Tensor w = Tensor.of(1f, 0f, 0f, 0f, 1f, 0f).reshape(2, 3).requiresGrad(true);
        org.jgrad.nn.functional.F.linear(h, w, null).sum().backward();
        assertTensor(h.grad(), new int[] {1, 3}, 1, 1, 0);
        assertTensor(x.grad(), new int[] {1, 3}, 1, 1, 0);
        assertTensor(w.grad(), new int[] {2, 3}, 1, 2, 3, 1, 2, 3);
        try (NoGrad g = NoGrad.enter()) {
            h.grad().mulInPlace(10f);
        }
        assertTensor(x.grad(), new int[] {1, 3}, 1, 1, 0);
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensor.of(2f).requiresGrad(true);
        Tensor d = x.mul(x).detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        Tensor y = x.mul(d); // d is a constant 4
        y.backward();
        assertEquals(4f, x.grad().item());
        assertSame(TensorData.floats(x), TensorData.floats(x.detach()));
    }

    @Test
    void noGradRecordsNothingAndNests() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        assertTrue(NoGrad.isGradEnabled());
        try (NoGrad outer = NoGrad.enter()) {
            assertFalse(NoGrad.isGradEnabled());
            Tensor y = x.mul(2f).exp().sum();
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(NoGrad.isGradEnabled());
            }
            assertFalse(NoGrad.isGradEnabled(), "closing the inner scope must restore the outer (off) state");
            try (NoGrad on = NoGrad.enableGrad()) {
                assertTrue(NoGrad.isGradEnabled());
                assertNotNull(x.mul(2f).gradFn());
            }
            assertFalse(NoGrad.isGradEnabled());
            outer.close();
            outer.close(); // closing twice is harmless
            assertTrue(NoGrad.isGradEnabled());
        }
        assertTrue(NoGrad.isGradEnabled());
        assertNotNull(x.mul(2f).gradFn());
    }

    @Test
    void noGradIsPerThread() throws Exception {
        try (NoGrad g = NoGrad.enter()) {
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = NoGrad.isGradEnabled());
            t.start();
            t.join();
            assertTrue(other[0]);
        }
    }

    @Test
    void retainGraphAllowsASecondBackwardThatAccumulates() {
        Tensor x = Tensor.of(3f).requiresGrad(true);
        Tensor y = x.mul(x).mul(x); // 3x^2 = 27
        y.backward(null, true);
        assertEquals(27f, x.grad().item());
        y.backward(null, true);
        assertEquals(54f, x.grad().item());
        y.backward();
        assertEquals(81f, x.grad().item());
    }

    @Test
    void secondBackwardThroughAFreedGraphIsAClearError() {
        Tensor x = Tensor.of(3f).requiresGrad(true);
        Tensor y = x.exp().mul(2f);
        y.backward();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retain"), e.getMessage());
        // a new graph from the same leaf works
        x.zeroGrad();
        x.mul(2f).backward();
        assertEquals(2f, x.grad().item());
    }

    @Test
    void retainGradOnNonLeaf() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor h = x.mul(3f).retainGrad();
        Tensor unretained = h.exp();
        Tensor loss = unretained.sum();
        loss.backward();
        assertTrue(h.retainsGrad());
        assertTensor(h.grad(), new int[] {2}, new float[] {(float) Math.exp(3), (float) Math.exp(6)}, 1e-3f);
        assertNull(unretained.grad(), "non-leaf gradients are not kept unless asked");
        assertNull(loss.grad());
        assertTensor(x.grad(), new int[] {2}, new float[] {3 * (float) Math.exp(3), 3 * (float) Math.exp(6)}, 1e-2f);
        assertThrows(IllegalStateException.class, () -> Tensor.of(1f, 2f).retainGrad());
    }

    @Test
    void diamondGraphAccumulates() {
        Tensor x = Tensor.of(2f).requiresGrad(true);
        Tensor a = x.mul(3f), b = x.square();
        Tensor y = a.mul(b).add(x); // 3x * x^2 + x = 3x^3 + x; dy/dx = 9x^2 + 1 = 37
        y.backward();
        assertEquals(37f, x.grad().item(), 1e-5f);
        // x used twice by the same op
        Tensor z = Tensor.of(5f).requiresGrad(true);
        z.mul(z).backward();
        assertEquals(10f, z.grad().item());
        // shared subexpression consumed by several ops, broadcast on the way
        Tensor w = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor s = w.exp();
        Tensor out = s.add(s.view(2, 1)).sum().add(s.sum()); // each s_i appears 2 + 2 + 1 = 5 times
        out.backward();
        assertTensor(w.grad(), new int[] {2}, new float[] {5 * (float) Math.exp(1), 5 * (float) Math.exp(2)}, 1e-4f);
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Tensor x = Tensor.scalar(0.5f).requiresGrad(true);
            Tensor y = x;
            for (int i = 0; i < 100_000; i++) y = y.add(x);
            y.backward();
            assertEquals(100_001f, x.grad().item());
        });
    }

    @Test
    void backwardOnTensorWithoutGradIsAClearError() {
        Tensor c = Tensor.of(1f, 2f);
        var e = assertThrows(IllegalStateException.class, () -> c.sum().backward());
        assertTrue(e.getMessage().startsWith("backward:") && e.getMessage().contains("does not require grad"), e.getMessage());
        Tensor x = Tensor.of(1f).requiresGrad(true);
        Tensor d;
        try (NoGrad g = NoGrad.enter()) {
            d = x.mul(2f);
        }
        assertThrows(IllegalStateException.class, d::backward);
    }

    @Test
    void backwardOnALeafSeedsItsGrad() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        x.backward(Tensor.of(3f, 4f));
        assertTensor(x.grad(), new int[] {2}, 3, 4);
    }

    @Test
    void inPlaceOnLeafRequiringGradIsRejectedInGradMode() {
        Tensor w = Tensor.of(1f, 2f).requiresGrad(true);
        var e = assertThrows(IllegalStateException.class, () -> w.addInPlace(Tensor.ones(2), 1f));
        assertTrue(e.getMessage().startsWith("addInPlace:") && e.getMessage().contains("leaf"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.fillInPlace(0f));
        assertThrows(IllegalStateException.class, () -> w.mulInPlace(2f));
        assertThrows(IllegalStateException.class, () -> w.copyInPlace(Tensor.zeros(2)));
        var v = assertThrows(IllegalStateException.class, () -> w.narrow(0, 0, 1).fillInPlace(0f));
        assertTrue(v.getMessage().contains("view of a leaf"), v.getMessage());
        assertThrows(IllegalStateException.class, () -> w.view(2, 1).t().copyInPlace(Tensor.zeros(1, 2)));
        assertTensor(w, new int[] {2}, 1, 2);
        try (NoGrad g = NoGrad.enter()) {
            w.addInPlace(Tensor.ones(2), -0.5f);
            w.narrow(0, 1, 1).mulInPlace(2f);
        }
        assertTensor(w, new int[] {2}, 0.5f, 3f);
        // a non-leaf result: the update would be invisible to backward, so it is refused too
        Tensor y = w.mul(2f);
        var nl = assertThrows(IllegalStateException.class, () -> y.mulInPlace(3f));
        assertTrue(nl.getMessage().startsWith("mulInPlace:") && nl.getMessage().contains("MulBackward0")
                && nl.getMessage().contains("[2]"), nl.getMessage());
        y.detach().mulInPlace(3f); // explicit opt-out
        // tensors that do not require grad can be modified freely
        Tensor c = Tensor.zeros(2);
        c.fillInPlace(3f).mulInPlace(2f);
        assertTensor(c, new int[] {2}, 6, 6);
    }

    @Test
    void copyInPlaceHandlesOverlappingSourceAndBroadcast() {
        Tensor t = Tensor.arange(6);
        t.narrow(0, 1, 5).copyInPlace(t.narrow(0, 0, 5)); // like t[1:] = t[:-1].clone()
        assertTensor(t, new int[] {6}, 0, 0, 1, 2, 3, 4);
        Tensor m = Tensor.zeros(2, 3);
        m.copyInPlace(Tensor.of(1f, 2f, 3f));
        assertTensor(m, new int[] {2, 3}, 1, 2, 3, 1, 2, 3);
        m.t().copyInPlace(Tensor.arange(6).view(3, 2));
        assertTensor(m, new int[] {2, 3}, 0, 2, 4, 1, 3, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> m.copyInPlace(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        m.copyInPlace(Tensor.ofLongs(7, 8, 9));
        assertTensor(m, new int[] {2, 3}, 7, 8, 9, 7, 8, 9);
        m.addInPlace(Tensor.ofLongs(1, 1, 1), 2f);
        assertTensor(m, new int[] {2, 3}, 9, 10, 11, 9, 10, 11);
    }

    @Test
    void gradientsFlowThroughViewsAndMaxIndices() {
        Tensor x = Tensor.arange(6).requiresGrad(true);
        Tensor v = x.view(2, 3).t(); // [3, 2]
        v.narrow(0, 1, 2).mul(Tensor.of(1f, 10f)).sum().backward();
        // v[1..2] = x[1], x[4], x[2], x[5]; weights 1, 10, 1, 10
        assertTensor(x.grad(), new int[] {6}, 0, 1, 1, 0, 10, 10);
        Tensor y = Tensor.of(new float[][] {{1, 5, 2}, {7, 0, 3}}).requiresGrad(true);
        y.max(1, false).values().sum().backward();
        assertTensor(y.grad(), new int[] {2, 3}, 0, 1, 0, 1, 0, 0);
    }

    @Test
    void leafGradIsUntouchedWhenInputDoesNotRequireGrad() {
        Tensor a = Tensor.of(1f, 2f).requiresGrad(true), c = Tensor.of(3f, 4f);
        a.mul(c).sum().backward();
        assertNull(c.grad());
        assertTensor(a.grad(), new int[] {2}, 3, 4);
    }

    @Test
    void powGradientsAtZeroBaseAreMaskedLikePyTorch() {
        Tensor b = Tensor.of(0f, 2f, 0f).requiresGrad(true), e = Tensor.of(2f, 0f, 0f).requiresGrad(true);
        b.pow(e).sum().backward();
        // d/db = e·b^(e-1), 0 where e == 0; d/de = b^e·ln b, 0 where b == 0 and e >= 0
        assertTensor(b.grad(), new int[] {3}, 0, 0, 0);
        assertTensor(e.grad(), new int[] {3}, new float[] {0, (float) Math.log(2), 0}, 1e-6f);
    }

    @Test
    void maxOfAZeroDimTensorAlongDimZero() {
        Tensor s = Tensor.scalar(3f).requiresGrad(true);
        Tensor.ValuesIndices vi = s.max(0, false);
        assertEquals(0L, vi.indices().getLong());
        vi.values().backward();
        assertEquals(1f, s.grad().item());
    }

    @Test
    void tiesShareGradientsLikePyTorch() {
        // torch.max(x) (full reduction) spreads the gradient evenly over tied maxima
        Tensor x = Tensor.of(1f, 3f, 3f, 0f).requiresGrad(true);
        x.max().backward();
        assertTensor(x.grad(), new int[] {4}, 0, 0.5f, 0.5f, 0);
        Tensor y = Tensor.of(2f, -1f, -1f, -1f).requiresGrad(true);
        y.min().mul(3f).backward();
        assertTensor(y.grad(), new int[] {4}, 0, 1, 1, 1);
        // torch.max(x, dim) sends it to the index it returns: the first
        Tensor z = Tensor.of(new float[][] {{3, 3}, {1, 2}}).requiresGrad(true);
        z.max(1, false).values().sum().backward();
        assertTensor(z.grad(), new int[] {2, 2}, 1, 0, 0, 1);
        // torch.maximum(a, b) splits ties in half
        Tensor a = Tensor.of(1f, 2f).requiresGrad(true), b = Tensor.of(1f, 0f).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertTensor(a.grad(), new int[] {2}, 0.5f, 1);
        assertTensor(b.grad(), new int[] {2}, 0.5f, 0);
        Tensor c = Tensor.of(1f, 2f).requiresGrad(true), d = Tensor.of(1f, 0f).requiresGrad(true);
        c.minimum(d).sum().backward();
        assertTensor(c.grad(), new int[] {2}, 0.5f, 0);
        assertTensor(d.grad(), new int[] {2}, 0.5f, 1);
        // clamp passes the gradient at its bounds, relu and abs give 0 at 0, as PyTorch does
        Tensor e = Tensor.of(-1f, 0f, 1f).requiresGrad(true);
        e.clamp(-1, 1).add(e.relu()).add(e.abs()).sum().backward();
        assertTensor(e.grad(), new int[] {3}, 1 + 0 - 1, 1 + 0 + 0, 1 + 1 + 1);
    }
}
