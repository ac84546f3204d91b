package org.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Tensor#registerPostAccumulateGradHook}: when the backward engine runs the hooks, and that they change nothing. */
class PostAccumulateGradHookTest {

    /** Records each call: the leaf's name and a copy of its gradient at that moment. */
    private static final class Recorder {
        final List<String> names = new ArrayList<>();
        final List<float[]> grads = new ArrayList<>();

        PostAccumulateGradHook hook(String name) {
            return leaf -> {
                names.add(name);
                grads.add(leaf.grad().toFloatArray());
            };
        }
    }

    @Test
    void runsOnceAfterTheLastContributionToALeafUsedThreeTimes() {
        Tensor w = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor x = Tensor.of(3f, 4f), y = Tensor.of(5f, 6f);
        Recorder rec = new Recorder();
        w.registerPostAccumulateGradHook(rec.hook("w"));
        // Three uses, reached through different nodes: the hook must see the sum of all three.
        Tensor loss = w.mul(x).add(w.mul(y)).add(w.mul(w)).sum();
        loss.backward();
        assertEquals(List.of("w"), rec.names);
        assertArrayEquals(new float[] {3 + 5 + 2, 4 + 6 + 4}, rec.grads.get(0));
        assertArrayEquals(w.grad().toFloatArray(), rec.grads.get(0));
        // A second backward without clearing: once more, with the accumulated gradient.
        w.mul(x).sum().backward();
        assertEquals(List.of("w", "w"), rec.names);
        assertArrayEquals(new float[] {10 + 3, 14 + 4}, rec.grads.get(1));
    }

    @Test
    void runsLastLayerFirstAndNotForALeafWithoutGradient() {
        Generator gen = new Generator(3);
        Tensor w1 = Tensor.randn(gen, 4, 5).requiresGrad(true), w2 = Tensor.randn(gen, 5, 3).requiresGrad(true),
                w3 = Tensor.randn(gen, 3, 2).requiresGrad(true), unused = Tensor.randn(gen, 2).requiresGrad(true);
        Recorder rec = new Recorder();
        w1.registerPostAccumulateGradHook(rec.hook("w1"));
        w2.registerPostAccumulateGradHook(rec.hook("w2"));
        w3.registerPostAccumulateGradHook(rec.hook("w3"));
        unused.registerPostAccumulateGradHook(rec.hook("unused"));
        Tensor x = Tensor.randn(gen, 6, 4);
        unused.mul(2f); // recorded, but the loss does not depend on it
        x.matmul(w1).relu().matmul(w2).relu().matmul(w3).sum().backward();
        assertEquals(List.of("w3", "w2", "w1"), rec.names);
        for (int i = 0; i < 3; i++)
            assertArrayEquals(List.of(w3, w2, w1).get(i).grad().toFloatArray(), rec.grads.get(i), rec.names.get(i));
    }

    @Test
    void hooksRunInRegistrationOrderAndARemovedOneNoLonger() {
        Tensor w = Tensor.of(1f).requiresGrad(true);
        List<String> calls = new ArrayList<>();
        PostAccumulateGradHook same = leaf -> calls.add("same");
        RemovableHandle a = w.registerPostAccumulateGradHook(leaf -> calls.add("a"));
        RemovableHandle s1 = w.registerPostAccumulateGradHook(same);
        w.registerPostAccumulateGradHook(same);
        w.mul(2f).sum().backward();
        assertEquals(List.of("a", "same", "same"), calls);
        a.remove();
        a.remove(); // a second time does nothing
        s1.close(); // removes that registration only, not the other one of the same hook
        calls.clear();
        w.mul(2f).sum().backward();
        assertEquals(List.of("same"), calls);
    }

    @Test
    void aLeafThatIsTheRootRunsItsHook() {
        Tensor w = Tensor.of(1f, 2f).requiresGrad(true);
        Recorder rec = new Recorder();
        w.registerPostAccumulateGradHook(rec.hook("w"));
        w.backward(Tensor.of(0.5f, 0.25f));
        assertEquals(List.of("w"), rec.names);
        assertArrayEquals(new float[] {0.5f, 0.25f}, rec.grads.get(0));
    }

    @Test
    void onlyALeafThatRequiresGradTakesAHook() {
        Tensor plain = Tensor.of(1f, 2f);
        var e = assertThrows(IllegalStateException.class, () -> plain.registerPostAccumulateGradHook(leaf -> {}));
        assertTrue(e.getMessage().contains("does not require grad") && e.getMessage().contains("[2]"), e.getMessage());
        Tensor nonLeaf = Tensor.of(1f).requiresGrad(true).mul(2f);
        var e2 = assertThrows(IllegalStateException.class, () -> nonLeaf.registerPostAccumulateGradHook(leaf -> {}));
        assertTrue(e2.getMessage().contains("MulBackward0"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(1f).requiresGrad(true).registerPostAccumulateGradHook(null));
    }

    /**
     * A small convolutional net, backward twice without clearing the gradients (the second time the
     * convolution adds its weight gradient straight into .grad): hooks see the finished gradients and
     * leave every gradient bit-identical to a run without hooks.
     */
    @Test
    void convolutionGradientsAddedInPlaceAreCompleteWhenTheHookRunsAndHooksChangeNothing() {
        float[][] plain = convGrads(false, null), hookedRun;
        Recorder rec = new Recorder();
        hookedRun = convGrads(true, rec);
        for (int i = 0; i < plain.length; i++) assertArrayEquals(plain[i], hookedRun[i], "parameter " + i);
        // Two backwards, four parameters each, last layer first.
        assertEquals(List.of("w2", "b2", "w1", "b1", "w2", "b2", "w1", "b1"), rec.names);
        int w1 = rec.names.lastIndexOf("w1");
        assertArrayEquals(hookedRun[0], rec.grads.get(w1));
    }

    private static float[][] convGrads(boolean hooks, Recorder rec) {
        Generator gen = new Generator(11);
        Tensor w1 = Tensor.randn(gen, 4, 3, 3, 3).requiresGrad(true), b1 = Tensor.randn(gen, 4).requiresGrad(true);
        Tensor w2 = Tensor.randn(gen, 2, 4, 3, 3).requiresGrad(true), b2 = Tensor.randn(gen, 2).requiresGrad(true);
        if (hooks) {
            w1.registerPostAccumulateGradHook(rec.hook("w1"));
            b1.registerPostAccumulateGradHook(rec.hook("b1"));
            w2.registerPostAccumulateGradHook(rec.hook("w2"));
            b2.registerPostAccumulateGradHook(rec.hook("b2"));
        }
        for (int step = 0; step < 2; step++) {
            Tensor x = Tensor.randn(gen, 2, 3, 8, 8);
            ConvOps.conv2d(ConvOps.conv2d(x, w1, b1, 1, 1).relu(), w2, b2, 1, 1).square().sum().backward();
        }
        return new float[][] {w1.grad().toFloatArray(), b1.grad().toFloatArray(), w2.grad().toFloatArray(),
                b2.grad().toFloatArray()};
    }
}
