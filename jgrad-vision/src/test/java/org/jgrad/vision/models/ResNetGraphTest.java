package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.Graph;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The graph of a hand-written {@code forward()} (ResNet's) can be walked: every convolution it ran
 * is on the graph with the stride, padding and groups of the layer that ran it.
 */
class ResNetGraphTest {

    @Test
    void resnet18ForwardGraphHoldsEveryConvolutionWithItsSettings() {
        DefaultGenerator.manualSeed(0);
        ResNet net = Models.resnet18(10);
        Tensor x = Tensor.uniform(new Generator(1), -1, 1, 2, 3, 32, 32);
        Graph g = Graph.trace(net.call(x));

        Map<Tensor, String> convByWeight = new IdentityHashMap<>();
        Map<String, Conv2d> convs = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Module> e : net.namedModules().entrySet())
            if (e.getValue() instanceof Conv2d c) {
                convByWeight.put(c.weight(), e.getKey());
                convs.put(e.getKey(), c);
            }
        assertEquals(20, convs.size(), "ResNet-18 has 20 convolutions (17 in the trunk, 3 downsamples)");

        List<Graph.Op> convOps = g.ops("convolution");
        assertEquals(convs.size(), convOps.size());
        Map<String, Conv2dOptions> seen = new java.util.LinkedHashMap<>();
        for (Graph.Op op : convOps) {
            String name = convByWeight.get(op.inputs().get(1).tensor());
            assertNotNull(name, "convolution " + op.index() + " ran with a weight of no Conv2d layer");
            seen.put(name, (Conv2dOptions) op.attributes());
            assertEquals(convs.get(name).options(), op.attributes(), name);
            assertArrayEquals(convs.get(name).weight().shape(), op.inputShape(1), name);
        }
        assertEquals(convs.keySet(), seen.keySet(), "every layer ran exactly once");

        Conv2dOptions stem = seen.get("conv1");
        assertEquals(List.of(2, 3, 3, 1), List.of(stem.strideH(), stem.padTop(), stem.padLeft(), stem.groups()));
        assertEquals(Conv2dOptions.defaults().stride(2), seen.get("layer2.0.downsample.0"));
        assertEquals(Conv2dOptions.defaults().stride(2).padding(1), seen.get("layer4.0.conv1"));
        assertEquals(Conv2dOptions.defaults().padding(1), seen.get("layer4.1.conv2"));
        long strided = seen.values().stream().filter(o -> o.strideH() == 2).count();
        assertEquals(7, strided, "the stem, three first-block convs and three downsamples have stride 2");
        assertArrayEquals(new int[] {2, 64, 16, 16}, convOps.get(0).outputShape());

        assertEquals(Pool2dOptions.of(3).stride(2).padding(1), g.ops("max_pool2d_with_indices").get(0).attributes());
        assertEquals(20, g.ops("native_batch_norm").size());
        assertEquals(1, g.ops("addmm").size());
    }
}
