package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ReLU6 against PyTorch's values and gradients, kinks included. */
class ReLU6Test {

    @Test
    void keepsShapeAndPrintsLikeTorch() {
        ReLU6 r = new ReLU6();
        assertArrayEquals(new int[] {2, 3, 4}, r.call(Tensor.zeros(2, 3, 4)).shape());
        assertEquals("ReLU6()", r.toString());
    }

    @Test
    void matchesTorchIncludingTheGradientAtTheKinks() {
        Map<String, Tensor> f = ZooFixtures.load("relu6");
        Tensor[] yg = ZooFixtures.forwardBackward(new ReLU6()::call, f.get("x"), f.get("gy"));
        ZooFixtures.assertExact(f.get("y"), yg[0], "relu6 output");
        ZooFixtures.assertExact(f.get("gx"), yg[1], "relu6 input gradient");
    }

    @Test
    void gradientCheckAwayFromTheKinks() {
        Tensor x = Tensor.of(-1.5f, -0.3f, 0.4f, 2.5f, 5.5f, 6.4f, 9f).requiresGrad(true);
        GradCheck.assertGradients(in -> ReLU6.relu6(in[0]), x);
    }

    @Test
    void nanStaysNan() {
        assertEquals(Float.NaN, ReLU6.relu6(Tensor.of(Float.NaN, 1f)).get(0));
    }
}
