package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Module;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A Linear weight gradient written into the storage that {@code zeroGrad()} cleared, when nothing outside
 * jgrad could hold that gradient: the same bits as a new array, the same array object, and never a
 * gradient the user was handed ({@code grad()} or {@code setGrad}) overwritten.
 */
class GradientReuseTest {

    private static Tensor loss(Tensor x, Tensor w, Tensor b, Tensor gy) {
        return MatmulOps.linearRelu(x, w, b).mul(gy).sum();
    }

    /** w's gradient for (x, gy) computed on a fresh weight copy: no spare storage involved. */
    private static float[] freshGradient(Tensor x, Tensor w, Tensor b, Tensor gy) {
        Tensor w2 = w.detach().cloneData().requiresGrad(true), b2 = b.detach().cloneData().requiresGrad(true);
        loss(x, w2, b2, gy).backward();
        return w2.grad().toFloatArray();
    }

    @Test
    void clearedGradientStorageIsReusedWithTheSameBits() {
        Generator gen = new Generator(3);
        // odd sizes: partial GEMM panels, and a weight gradient (37×131) that splits on no thread count
        Tensor w = Tensor.randn(gen, 37, 131).requiresGrad(true), b = Tensor.randn(gen, 37).requiresGrad(true);
        SGD opt = new SGD(List.of(w, b), 0.01);
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.randn(gen, 13, 131), gy = Tensor.randn(gen, 13, 37);
            float[] want = freshGradient(x, w, b, gy);
            float[] before = TensorData.peekGrad(w) == null ? null : TensorData.floats(TensorData.peekGrad(w));
            opt.zeroGrad();
            assertNull(TensorData.peekGrad(w), "zeroGrad sets the gradient to null");
            loss(x, w, b, gy).backward();
            float[] now = TensorData.floats(TensorData.peekGrad(w));
            if (before != null) assertSame(before, now, "step " + step + ": the cleared gradient's array is reused");
            assertArrayEquals(want, now, "step " + step);
            opt.step();
        }
    }

    @Test
    void aGradientTheUserHoldsIsNeverOverwritten() {
        Generator gen = new Generator(4);
        Tensor w = Tensor.randn(gen, 9, 17).requiresGrad(true), b = Tensor.randn(gen, 9).requiresGrad(true);
        Tensor x1 = Tensor.randn(gen, 5, 17), x2 = Tensor.randn(gen, 5, 17), gy = Tensor.randn(gen, 5, 9);
        loss(x1, w, b, gy).backward();
        Tensor held = w.grad();
        float[] heldValues = held.toFloatArray();
        w.zeroGrad();
        loss(x2, w, b, gy).backward();
        assertArrayEquals(heldValues, held.toFloatArray(), "the gradient handed out by grad() keeps its values");
        assertNotSame(TensorData.floats(held), TensorData.floats(TensorData.peekGrad(w)));
        assertArrayEquals(freshGradient(x2, w, b, gy), w.grad().toFloatArray());

        // a gradient the user set is theirs as well
        Tensor mine = Tensor.zeros(9, 17);
        w.setGrad(mine);
        w.zeroGrad();
        loss(x1, w, b, gy).backward();
        assertArrayEquals(new float[9 * 17], mine.toFloatArray(), "setGrad's tensor is not written into");
    }

    @Test
    void moduleZeroGradAndNoSpareAfterAHandOut() {
        Generator gen = new Generator(5);
        Module lin = new org.jgrad.nn.Linear(11, 7);
        Tensor w = lin.parameters().get(0);
        Tensor x = Tensor.randn(gen, 3, 11);
        lin.forward(x).sum().backward();
        float[] first = TensorData.floats(TensorData.peekGrad(w));
        lin.zeroGrad();
        lin.forward(x).sum().backward();
        assertSame(first, TensorData.floats(TensorData.peekGrad(w)), "Module.zeroGrad keeps the storage too");
        Tensor seen = w.grad(); // handed out from here on
        lin.zeroGrad();
        lin.forward(x).sum().backward();
        assertNotSame(TensorData.floats(seen), TensorData.floats(TensorData.peekGrad(w)));
    }
}
