package org.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jgrad.ops.ReduceOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The checker itself: it must pass correct backward functions and fail wrong ones, including a
 * 1% scale error, which its Javadoc promises to catch.
 */
class GradCheckTest {

    /** x ↦ sin(x)·x computed off the graph, with a backward whose derivative is multiplied by {@code factor}. */
    static Tensor customOp(Tensor x, float factor) {
        Tensor out;
        try (NoGrad g = NoGrad.enter()) {
            out = x.detach().sin().mul(x.detach());
        }
        return Autograd.record(out, "custom", g -> {
            try (NoGrad ng = NoGrad.enter()) {
                Tensor d = x.detach().cos().mul(x.detach()).add(x.detach().sin()); // x cos x + sin x
                return new Tensor[] {g.mul(d).mul(factor)};
            }
        }, x);
    }

    /** (a, b) ↦ a·b with the gradient of {@code b} scaled by {@code factor}. */
    static Tensor customMul(Tensor a, Tensor b, float factor) {
        Tensor out;
        try (NoGrad g = NoGrad.enter()) {
            out = a.detach().mul(b.detach());
        }
        return Autograd.record(out, "custom_mul", g -> new Tensor[] {ReduceOps.sumToShape(g.mul(b), a.shape()), ReduceOps.sumToShape(g.mul(a), b.shape()).mul(factor)}, a, b);
    }

    private static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void correctBackwardPasses() {
        for (long seed : SEEDS) {
            Tensor x = Tensor.randn(new Generator(seed), 3, 4);
            GradCheck.Result r = GradCheck.check(in -> customOp(in[0], 1f), x);
            assertTrue(r.passed(), r.report());
            assertTrue(r.maxRelNormError() < 3e-3, "relative norm error " + r.maxRelNormError() + " is not within normTol");
            assertTrue(r.report().startsWith("gradients match"), r.report());
        }
    }

    @Test
    void signFlipFails() {
        for (long seed : SEEDS) {
            Tensor x = Tensor.randn(new Generator(seed), 3, 4);
            GradCheck.Result r = GradCheck.check(in -> customOp(in[0], -1f), x);
            assertFalse(r.passed(), "seed " + seed + ": " + r.report());
            assertTrue(r.report().startsWith("gradient check failed") && r.report().contains("input 0 [3, 4]"), r.report());
        }
    }

    @Test
    void onePercentScaleErrorFails() {
        for (long seed : SEEDS) {
            for (int[] shape : new int[][] {{1}, {5}, {3, 4}}) {
                Tensor x = Tensor.randn(new Generator(seed), shape);
                assertFalse(GradCheck.check(in -> customOp(in[0], 1.01f), x).passed(), "seed " + seed + " +1%");
                assertFalse(GradCheck.check(in -> customOp(in[0], 0.99f), x).passed(), "seed " + seed + " -1%");
            }
        }
    }

    @Property(tries = 25)
    void onePercentErrorIsCaughtForAnySeed(@ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.uniform(g, -3, 3, 2, 3);
        assertFalse(GradCheck.check(in -> customOp(in[0], 1.01f), x).passed());
        assertTrue(GradCheck.check(in -> customOp(in[0], 1f), x).passed());
    }

    @Test
    void errorInOneOfTwoInputsIsLocated() {
        for (long seed : SEEDS) {
            Generator g = new Generator(seed);
            Tensor a = Tensor.randn(g, 2, 3), b = Tensor.randn(g, 3);
            assertTrue(GradCheck.check(in -> customMul(in[0], in[1], 1f), a, b).passed());
            GradCheck.Result r = GradCheck.check(in -> customMul(in[0], in[1], 1.01f), a, b);
            assertFalse(r.passed());
            assertTrue(r.report().contains("input 1 [3]") && !r.report().contains("input 0"), r.report());
        }
    }

    @Test
    void missingGradientFails() {
        Tensor x = Tensor.randn(new Generator(9), 4);
        Function<Tensor[], Tensor> noGrad = in -> Autograd.record(in[0].detach().exp(), "exp_nograd", g -> new Tensor[] {null}, in[0]);
        assertFalse(GradCheck.check(noGrad, x).passed());
        // an op that is cut from the graph is also caught
        assertFalse(GradCheck.check(in -> in[0].detach().exp(), x).passed());
    }

    @Test
    void inputsAreNotModifiedAndNonFloatInputsAreSkipped() {
        Tensor x = Tensor.of(0.5f, -1f, 2f);
        Tensor idx = Tensor.ofLongs(2, 0);
        GradCheck.Result r = GradCheck.check(in -> in[0].indexSelect(0, in[1]).exp(), x, idx);
        assertTrue(r.passed(), r.report());
        assertArrayEquals(new float[] {0.5f, -1f, 2f}, x.toFloatArray());
        assertNull(x.grad());
        assertFalse(x.requiresGrad());
    }

    @Test
    void onlyMarkedInputsAreCheckedWhenAnyIsMarked() {
        Tensor a = Tensor.of(1f, 2f), b = Tensor.of(3f, 4f).requiresGrad(true);
        // the gradient for `a` is wrong (factor 2) but `a` is not marked, so only `b` is checked
        GradCheck.Result r = GradCheck.check(in -> Autograd.record(in[0].detach().mul(in[1].detach()), "m",
                g -> new Tensor[] {g.mul(in[1]).mul(2f), g.mul(in[0])}, in[0], in[1]), a, b);
        assertTrue(r.passed(), r.report());
        assertFalse(GradCheck.check(in -> Autograd.record(in[0].detach().mul(in[1].detach()), "m",
                g -> new Tensor[] {g.mul(in[1]).mul(2f), g.mul(in[0])}, in[0], in[1]), a, b.detach()).passed());
    }

    @Test
    void assertGradientsThrowsWithTheReport() {
        Tensor x = Tensor.randn(new Generator(1), 3);
        GradCheck.assertGradients(in -> customOp(in[0], 1f), x);
        var e = assertThrows(AssertionError.class, () -> GradCheck.assertGradients(in -> customOp(in[0], -1f), x));
        assertTrue(e.getMessage().startsWith("gradient check failed"), e.getMessage());
    }

    @Test
    void tolerancesCanBeTightenedAndLoosened() {
        Tensor x = Tensor.randn(new Generator(3), 3, 4);
        assertTrue(GradCheck.create().normTol(0.05).rtol(0.05).run(in -> customOp(in[0], 1.01f), x).passed());
        assertFalse(GradCheck.create().normTol(1e-9).atol(0).rtol(1e-9).run(in -> customOp(in[0], 1f), x).passed());
        assertTrue(GradCheck.create().seed(99).eps(5e-3).run(in -> customOp(in[0], 1f), x).passed());
    }

    @Test
    void scalarOutputAndScalarInput() {
        assertTrue(GradCheck.check(in -> in[0].mul(in[0]).sum(), Tensor.scalar(1.5f)).passed());
        assertEquals(0.0, GradCheck.check(in -> in[0].mul(0f), Tensor.of(1f, 2f)).maxAbsError(), 1e-9);
    }
}
