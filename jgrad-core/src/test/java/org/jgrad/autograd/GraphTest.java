package org.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.ActivationAttributes;
import org.jgrad.ops.AdaptivePoolOps;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ConvOps;
import org.jgrad.ops.ElementwiseAttributes;
import org.jgrad.ops.IndexAttributes;
import org.jgrad.ops.MatmulAttributes;
import org.jgrad.ops.NormAttributes;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.ops.PoolAttributes;
import org.jgrad.ops.PoolOps;
import org.jgrad.ops.ReduceAttributes;
import org.jgrad.ops.ViewAttributes;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Graph#trace}: op types, attribute records, shapes and order of what autograd recorded. */
class GraphTest {

    private static Tensor param(int... shape) {
        return Tensor.uniform(new Generator(7), -1, 1, shape).requiresGrad(true);
    }

    @Test
    void opsComeInTopologicalOrderWithShapesAndProducers() {
        Tensor x = param(2, 3);
        Tensor c = Tensor.ones(2, 3);
        Tensor y = x.mul(c).add(1.5f).sum(1, true);
        Graph g = Graph.trace(y);
        assertEquals(List.of("mul", "add", "sum"), g.ops().stream().map(Graph.Op::type).toList());
        Graph.Op mul = g.ops().get(0), add = g.ops().get(1), sum = g.ops().get(2);
        assertSame(x, mul.inputs().get(0).tensor());
        assertNull(mul.inputs().get(0).producer(), "a leaf has no producer");
        assertNull(mul.inputs().get(1).producer(), "a constant has no producer");
        assertSame(mul, add.inputs().get(0).producer());
        assertSame(add, sum.inputs().get(0).producer());
        assertSame(OpAttributes.NONE, mul.attributes());
        assertEquals(new ElementwiseAttributes.Scalar(1.5), add.attributes());
        assertEquals(new ReduceAttributes.Reduce(List.of(1), true), sum.attributes());
        assertArrayEquals(new int[] {2, 3}, sum.inputShape(0));
        assertArrayEquals(new int[] {2, 1}, sum.outputShape());
        assertSame(y, sum.output());
        assertEquals("""
                %0 = mul(leaf [2, 3], const [2, 3]) -> [2, 3]
                %1 = add(%0 [2, 3]) Scalar[value=1.5] -> [2, 3]
                %2 = sum(%1 [2, 3]) Reduce[dims=[1], keepdim=true] -> [2, 1]
                """, g.toString());
    }

    @Test
    void sharedSubgraphAppearsOnceAndBeforeEveryConsumer() {
        Tensor x = param(4);
        Tensor e = x.exp();
        Tensor y = e.mul(e).add(e);
        Graph g = Graph.trace(y);
        assertEquals(List.of("exp", "mul", "add"), g.ops().stream().map(Graph.Op::type).toList());
        for (Graph.Op op : g.ops())
            for (Graph.Input in : op.inputs())
                if (in.producer() != null) assertTrue(in.producer().index() < op.index());
    }

    @Test
    void severalOutputsShareOneWalk() {
        Tensor x = param(3);
        Tensor h = x.relu();
        Tensor a = h.mul(2f), b = h.exp();
        Graph g = Graph.trace(a, b);
        assertEquals(List.of("relu", "mul", "exp"), g.ops().stream().map(Graph.Op::type).toList());
        assertSame(g.ops().get(0), g.ops().get(2).inputs().get(0).producer());
    }

    @Test
    void nothingIsRecordedWithoutGrad() {
        Tensor x = param(3);
        try (NoGrad ng = NoGrad.enter()) {
            assertTrue(Graph.trace(x.exp().sum()).ops().isEmpty());
        }
        assertTrue(Graph.trace(Tensor.ones(3).exp()).ops().isEmpty());
        assertTrue(Graph.trace(x).ops().isEmpty(), "a leaf alone has no op");
        assertThrows(IllegalArgumentException.class, () -> Graph.trace());
    }

    @Test
    void theWalkStillWorksAfterBackwardFreedTheSavedValues() {
        Tensor x = param(2, 2);
        Tensor y = F.softmax(x, 1).sum();
        y.backward();
        Graph g = Graph.trace(y);
        assertEquals(List.of("softmax", "sum"), g.ops().stream().map(Graph.Op::type).toList());
        assertEquals(new ActivationAttributes.Softmax(1), g.ops().get(0).attributes());
        assertTrue(g.ops().get(0).node().isFreed());
    }

    @Test
    void convolutionAndPoolingCarryTheirOptionsWithSamePaddingResolved() {
        Tensor x = param(1, 2, 6, 6), w = param(4, 1, 3, 3);
        Tensor y = ConvOps.conv2d(x, w, null, Conv2dOptions.defaults().padding("same").groups(2).dilation(2));
        Tensor p = PoolOps.maxPool2d(y, Pool2dOptions.of(3).stride(2).padding(1));
        Tensor q = AdaptivePoolOps.adaptiveAvgPool2d(p, 1, 1);
        Graph g = Graph.trace(q);
        Graph.Op conv = g.ops("convolution").get(0);
        Conv2dOptions o = assertInstanceOf(Conv2dOptions.class, conv.attributes());
        assertEquals(Conv2dOptions.PaddingMode.EXPLICIT, o.paddingMode());
        assertEquals(List.of(2, 2, 2, 2, 2, 2), List.of(o.padTop(), o.padBottom(), o.padLeft(), o.padRight(),
                o.groups(), o.dilationH()));
        assertEquals(Pool2dOptions.of(3).stride(2).padding(1), g.ops("max_pool2d_with_indices").get(0).attributes());
        assertEquals(new PoolAttributes.Adaptive(1, 1), g.ops("adaptive_avg_pool2d").get(0).attributes());
        assertArrayEquals(new int[] {4, 1, 3, 3}, conv.inputShape(1));
        assertArrayEquals(new int[] {1, 4, 6, 6}, conv.outputShape());
    }

    @Test
    void viewsIndexingAndActivationsCarryTheirSettings() {
        Tensor x = param(2, 3, 4);
        Tensor t = x.transpose(0, 2);                   // [4, 3, 2]
        Tensor s = t.slice(0, 1, 4, 2);                 // [2, 3, 2]
        Tensor v = s.reshape(6, 2);
        Tensor u = v.unsqueeze(-1).squeeze(2);
        Tensor c = Tensor.cat(1, u, u);                 // [6, 4]
        Tensor l = F.leakyRelu(c, 0.2).clamp(-1f, 2f);
        Tensor r = l.var(new int[] {0}, 0, false).max(0, false).values();
        Graph g = Graph.trace(r);
        assertEquals(new ViewAttributes.Permute(List.of(2, 1, 0)), g.ops("transpose").get(0).attributes());
        assertEquals(new ViewAttributes.Slice(0, 1, 4, 2), g.ops("slice").get(0).attributes());
        assertEquals(new ViewAttributes.View(List.of(6, 2)), g.ops("view").get(0).attributes());
        assertEquals(new ViewAttributes.Unsqueeze(2), g.ops("unsqueeze").get(0).attributes());
        assertEquals(new ViewAttributes.Squeeze(2), g.ops("squeeze").get(0).attributes());
        assertEquals(new IndexAttributes.Cat(1), g.ops("cat").get(0).attributes());
        assertEquals(new ActivationAttributes.LeakyRelu(0.2f), g.ops("leaky_relu").get(0).attributes());
        assertEquals(new ElementwiseAttributes.Clamp(-1, 2), g.ops("clamp").get(0).attributes());
        assertEquals(new ReduceAttributes.Variance(List.of(0), 0, false), g.ops("var").get(0).attributes());
        assertEquals(new ReduceAttributes.AlongDim(0, false), g.ops("max").get(0).attributes());
    }

    @Test
    void layersRecordLinearAndBatchNormSettings() {
        Linear fc = new Linear(3, 2);
        BatchNorm2d bn = new BatchNorm2d(2, 1e-3, 0.3, true, true);
        Tensor x = param(4, 3);
        Tensor y = fc.call(x).reshape(2, 2, 2, 1);
        Tensor z = bn.call(y);
        Graph g = Graph.trace(z);
        assertEquals(new MatmulAttributes.Linear(), g.ops("addmm").get(0).attributes());
        NormAttributes.BatchNorm a = assertInstanceOf(NormAttributes.BatchNorm.class,
                g.ops("native_batch_norm").get(0).attributes());
        assertTrue(a.training());
        assertEquals(1e-3f, (float) a.eps());
        assertEquals(0.3, a.momentum());
        bn.eval();
        NormAttributes.BatchNorm e = (NormAttributes.BatchNorm) Graph.trace(bn.call(y)).ops("native_batch_norm").get(0)
                .attributes();
        assertFalse(e.training());
        assertSame(bn.buffer("running_mean"), e.runningMean());
        assertNull(e.momentum());
    }

    @Test
    void absentOptionalInputsKeepTheirPosition() {
        BatchNorm2d bn = new BatchNorm2d(2, 1e-5, 0.1, false, true);
        Tensor y = bn.call(param(2, 2, 1, 1));
        Graph.Op op = Graph.trace(y).ops("native_batch_norm").get(0);
        assertEquals(3, op.inputs().size());
        assertFalse(op.inputs().get(1).present());
        assertNull(op.inputShape(2));
        assertTrue(Graph.trace(y).toString().contains("none, none"), Graph.trace(y).toString());
    }
}
