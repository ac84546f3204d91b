package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ZeroPad2d: four independent sides, cropping, TensorFlow "same", PyTorch's numbers. */
class ZeroPad2dTest {

    @Test
    void shapesAndPrintout() {
        assertArrayEquals(new int[] {2, 3, 8, 9}, new ZeroPad2d(1, 2, 3, 0).call(Tensor.zeros(2, 3, 5, 6)).shape());
        assertArrayEquals(new int[] {3, 7, 8}, new ZeroPad2d(1).call(Tensor.zeros(3, 5, 6)).shape());
        assertArrayEquals(new int[] {1, 1, 4, 7}, new ZeroPad2d(-1, 2, 1, -2).call(Tensor.zeros(1, 1, 5, 6)).shape());
        assertEquals("ZeroPad2d((1, 2, 3, 0))", new ZeroPad2d(1, 2, 3, 0).toString());
        assertEquals("ZeroPad2d((2, 2, 2, 2))", new ZeroPad2d(2).toString());
    }

    @Test
    void refusesBadInputNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ZeroPad2d(1).call(Tensor.zeros(4, 4)));
        assertTrue(e.getMessage().contains("[4, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ZeroPad2d(-3, -3, 0, 0).call(Tensor.zeros(1, 1, 4, 5)));
        assertTrue(e.getMessage().contains("negative output size"), e.getMessage());
    }

    @Test
    void matchesTorch() {
        Map<String, Tensor> f = ZooFixtures.load("zeropad2d");
        Map<String, ZeroPad2d> layers = Map.of("a", new ZeroPad2d(1, 2, 3, 0), "b", new ZeroPad2d(0, 1, 0, 1),
                "c", new ZeroPad2d(-1, 2, 1, -2));
        layers.forEach((tag, layer) -> {
            Tensor[] yg = ZooFixtures.forwardBackward(layer::call, f.get("x"), f.get(tag + ".gy"));
            ZooFixtures.assertExact(f.get(tag + ".y"), yg[0], layer + " output");
            ZooFixtures.assertExact(f.get(tag + ".gx"), yg[1], layer + " input gradient");
        });
    }

    @Test
    void gradientCheck() {
        Tensor x = Tensor.uniform(new Generator(5), -1, 1, 2, 2, 3, 4).requiresGrad(true);
        GradCheck.assertGradients(in -> new ZeroPad2d(2, 0, -1, 1).call(in[0]), x);
    }

    @Test
    void tensorflowSameBeforeAStride2Window() {
        // TensorFlow "same", 3×3 stride 2 on 8×7: out 4×4, pad totals H 1 (0 top, 1 bottom), W 2 (1 left, 1 right).
        ZeroPad2d p = ZeroPad2d.tensorflowSame(8, 7, 3, 2);
        assertArrayEquals(new int[] {1, 1, 0, 1}, p.padding());
        Tensor x = Tensor.uniform(new Generator(9), -1, 1, 1, 2, 8, 7);
        Tensor w = Tensor.uniform(new Generator(10), -1, 1, 4, 2, 3, 3);
        assertArrayEquals(new int[] {1, 4, 4, 4}, ConvOps.conv2d(p.call(x), w, null, 2, 0).shape());
        assertArrayEquals(new int[] {0, 0, 0, 0}, ZeroPad2d.tensorflowSame(8, 8, 1, 2).padding());
        assertArrayEquals(new int[] {0, 1, 0, 1}, ZeroPad2d.tensorflowSame(7, 7, 2, 2).padding());
    }
}
