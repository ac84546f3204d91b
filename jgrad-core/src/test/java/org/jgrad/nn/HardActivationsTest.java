package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Hardswish and Hardsigmoid against PyTorch's values and gradients (kinks and NaN included). */
class HardActivationsTest {

    @Test
    void matchTorchIncludingTheKinks() {
        Map<String, Tensor> f = ZooFixtures.load("hard_activations");
        Tensor[] sw = ZooFixtures.forwardBackward(new Hardswish()::call, f.get("x"), f.get("hardswish.gy"));
        ZooFixtures.assertClose(f.get("hardswish.y"), sw[0], 1e-6, 1e-6, "hardswish output");
        ZooFixtures.assertClose(f.get("hardswish.gx"), sw[1], 1e-6, 1e-6, "hardswish input gradient");
        Tensor[] sg = ZooFixtures.forwardBackward(new Hardsigmoid()::call, f.get("x"), f.get("hardsigmoid.gy"));
        ZooFixtures.assertClose(f.get("hardsigmoid.y"), sg[0], 1e-6, 1e-6, "hardsigmoid output");
        ZooFixtures.assertClose(f.get("hardsigmoid.gx"), sg[1], 1e-6, 1e-6, "hardsigmoid input gradient");
    }

    @Test
    void gradientChecksAwayFromTheKinks() {
        Tensor x = Tensor.of(-4.5f, -2.5f, -0.7f, 0.4f, 2.2f, 4f).requiresGrad(true);
        GradCheck.assertGradients(in -> Hardswish.hardswish(in[0]), x);
        GradCheck.assertGradients(in -> Hardsigmoid.hardsigmoid(in[0]), x);
    }

    @Test
    void printLikeTorch() {
        assertEquals("Hardswish()", new Hardswish().toString());
        assertEquals("Hardsigmoid()", new Hardsigmoid().toString());
    }
}
