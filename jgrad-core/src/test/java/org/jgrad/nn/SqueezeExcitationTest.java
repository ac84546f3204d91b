package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** SqueezeExcitation against torchvision.ops.SqueezeExcitation: names, counts, values, gradients. */
class SqueezeExcitationTest {
    private static final List<String> KEYS = List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    @Test
    void matchesTorchvision() {
        Map<String, Tensor> f = ZooFixtures.load("squeeze_excitation");
        SqueezeExcitation se = new SqueezeExcitation(6, 3);
        assertEquals(KEYS, List.copyOf(se.stateDict().keySet()));
        assertEquals(2 * 6 * 3 + 6 + 3, se.parameters().stream().mapToLong(Tensor::numel).sum());
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : KEYS) state.put(k, f.get(k));
        se.loadStateDict(state, true);
        Tensor[] yg = ZooFixtures.forwardBackward(se::call, f.get("x"), f.get("gy"));
        ZooFixtures.assertClose(f.get("y"), yg[0], 1e-6, 1e-5, "output");
        ZooFixtures.assertClose(f.get("gx"), yg[1], 1e-6, 1e-5, "input gradient");
        for (String k : KEYS) ZooFixtures.assertClose(f.get("g" + k), se.namedParameters().get(k).grad(), 1e-5, 1e-5, k + " gradient");
    }

    @Test
    void gradientCheckAndShapes() {
        SqueezeExcitation se = new SqueezeExcitation(4, 2, new ReLU(), new Hardsigmoid());
        Tensor x = Tensor.randn(new Generator(8), 2, 4, 3, 3).requiresGrad(true);
        assertArrayEquals(new int[] {2, 4, 3, 3}, se.call(x).shape());
        assertArrayEquals(new int[] {2, 4, 1, 1}, se.scale(x).shape());
        SqueezeExcitation plain = new SqueezeExcitation(4, 2);
        GradCheck.assertGradients(in -> plain.call(in[0]), x);
        assertThrows(IllegalArgumentException.class, () -> se.call(Tensor.zeros(1, 3, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new SqueezeExcitation(0, 2));
    }
}
