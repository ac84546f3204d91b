package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused losses read their operands from wherever a view starts (an offset into a larger storage,
 * or a transposed view that they copy first): the same bits as on dense copies, forward and backward,
 * and errors that name the offending element of the view, not of its storage.
 */
class LossOpsViewsTest {
    private static final Generator GEN = new Generator(7);

    /** [rows, cols] values at a non-zero offset of a larger storage. */
    private static Tensor offsetView(Tensor dense) {
        int r = dense.size(0);
        Tensor pad = dense.dtype() == DType.INT64 ? Tensor.zerosLong(1, dense.size(1)) : Tensor.zeros(1, dense.size(1));
        return Tensor.cat(0, pad, dense.detach()).narrow(0, 1, r);
    }

    private static void assertSameLossAndGrad(java.util.function.BiFunction<Tensor, Tensor, Tensor> loss, Tensor x,
            Tensor view, Tensor target) {
        Tensor a = x.detach().requiresGrad(true), b = view.detach().requiresGrad(true);
        Tensor la = loss.apply(a, target), lb = loss.apply(b, target);
        assertArrayEquals(la.toFloatArray(), lb.toFloatArray());
        Tensor w = Tensor.rand(GEN, la.shape());
        la.mul(w).sum().backward();
        lb.mul(w).sum().backward();
        assertArrayEquals(a.grad().toFloatArray(), b.grad().toFloatArray());
    }

    @Test
    void indexLossesOnOffsetAndTransposedViews() {
        Tensor x = Tensor.randn(GEN, 6, 5);
        Tensor y = Tensor.ofLongs(0, 4, 2, 2, 1, 3);
        Tensor w = Tensor.of(1f, 0.5f, 2f, 1.5f, 0.25f);
        assertSameLossAndGrad((in, t) -> LossOps.crossEntropy(in, t, w, 2, 0.1), x, offsetView(x), y);
        assertSameLossAndGrad((in, t) -> LossOps.crossEntropy(in, t, null, -100, 0), x, offsetView(x), y);
        assertSameLossAndGrad((in, t) -> LossOps.nll(in, t, w, 4), x, offsetView(x), y);
        assertSameLossAndGrad((in, t) -> MarginLossOps.multiMargin(in, t, 2, 1, w, true), x, offsetView(x), y);
        Tensor xt = Tensor.randn(GEN, 5, 6);
        assertSameLossAndGrad((in, t) -> LossOps.crossEntropy(in, t, w, -100, 0), xt.transpose(0, 1).contiguous(),
                xt.transpose(0, 1), y);
        assertEquals(LossOps.weightedCount(y, w, 2), LossOps.weightedCount(offsetView(y.view(6, 1)).view(6), offsetView(w.view(5, 1)).view(5), 2));
    }

    @Test
    void probabilityAndBinaryLossesOnOffsetViews() {
        Tensor x = Tensor.randn(GEN, 4, 3), p = Tensor.rand(GEN, 4, 3), t = Tensor.rand(GEN, 4, 3);
        assertSameLossAndGrad((in, tt) -> LossOps.crossEntropyProbs(in, tt, null, 0.2), x, offsetView(x), offsetView(t));
        assertSameLossAndGrad((in, tt) -> BinaryLossOps.bce(in, tt, Tensor.of(1f, 2f, 3f)), p, offsetView(p), t);
        assertSameLossAndGrad((in, tt) -> BinaryLossOps.bceWithLogits(in, tt, null, Tensor.of(0.5f, 2f, 1f)), x,
                offsetView(x), offsetView(t));
    }

    @Test
    void errorsNameTheViewsElement() {
        Tensor p = offsetView(Tensor.of(new float[][] {{0.5f, 0.25f}, {1.5f, 0}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinaryLossOps.bce(p, Tensor.zeros(2, 2), null));
        assertEquals("binary_cross_entropy: all elements of input should be between 0 and 1, element 2 is 1.5", e.getMessage());
        IndexOutOfBoundsException i = assertThrows(IndexOutOfBoundsException.class,
                () -> LossOps.crossEntropy(Tensor.zeros(3), Tensor.ofLongs(5).view(), null, -100, 0));
        assertEquals("cross_entropy: target 5 at position 0 is out of bounds for 3 classes (valid: 0..2, or ignore_index -100)",
                i.getMessage());
        i = assertThrows(IndexOutOfBoundsException.class,
                () -> MarginLossOps.multiMargin(Tensor.zeros(2, 3), Tensor.ofLongs(1, -100), 1, 1, null, true));
        assertEquals("multi_margin_loss: target -100 is out of bounds for 3 classes", i.getMessage());
    }
}
