package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.autograd.Graph;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Modules that return several tensors: typed records, hooks that see every output, Sequential chains. */
class MultiOutputModuleTest {

    /** A shared trunk with two heads: class scores [N, 3] and a value [N, 1]. */
    static final class TwoHeads extends MultiOutputModule<TwoHeads.Out> {
        record Out(Tensor scores, Tensor value) implements Outputs {
            @Override
            public List<Tensor> tensors() {
                return List.of(scores, value);
            }
        }

        final Linear scores, value;

        TwoHeads() {
            Generator g = new Generator(3);
            scores = registerModule("scores", new Linear(4, 3, true, g));
            value = registerModule("value", new Linear(4, 1, true, g));
        }

        @Override
        public Out forwardOutputs(Tensor... inputs) {
            Tensor x = inputs[0];
            return new Out(scores.call(x), value.call(x).tanh());
        }
    }

    private static Tensor batch() {
        return Tensor.uniform(new Generator(5), -1, 1, 2, 4);
    }

    @Test
    void callOutputsReturnsTheTypedRecordAndBothOutputsAreDifferentiable() {
        TwoHeads m = new TwoHeads();
        TwoHeads.Out o = m.callOutputs(batch());
        assertArrayEquals(new int[] {2, 3}, o.scores().shape());
        assertArrayEquals(new int[] {2, 1}, o.value().shape());
        assertSame(o.scores(), o.primary());
        o.scores().sum().add(o.value().sum()).backward();
        assertNotNull(m.scores.weight().grad());
        assertNotNull(m.value.weight().grad());
        assertEquals(List.of("addmm", "addmm", "tanh"), Graph.trace(o.tensors().toArray(Tensor[]::new)).ops().stream()
                .map(Graph.Op::type).sorted().toList());
    }

    @Test
    void hooksSeeEveryOutputWhicheverWayTheModuleIsCalled() {
        TwoHeads m = new TwoHeads();
        List<String> all = new ArrayList<>(), primary = new ArrayList<>();
        HookHandle h1 = m.registerForwardHook(ForwardHook.everyOutput((mod, in, outs) -> {
            assertSame(m, mod);
            assertTrue(outs instanceof TwoHeads.Out, "the hook gets the module's own record");
            all.add(outs.tensors().size() + ":" + outs.tensors().get(1).size(1));
        }));
        HookHandle h2 = m.registerForwardHook((mod, in, out) -> primary.add("primary " + out.size(1)));
        Tensor x = batch();
        m.callOutputs(x);
        Tensor p = m.call(x);
        assertArrayEquals(new int[] {2, 3}, p.shape());
        new Sequential(m, new ReLU()).call(x);
        assertEquals(List.of("2:1", "2:1", "2:1"), all);
        assertEquals(List.of("primary 3", "primary 3", "primary 3"), primary);
        h1.remove();
        h2.remove();
        m.callOutputs(x);
        assertEquals(3, all.size());
    }

    @Test
    void anEveryOutputHookOnAOneOutputModuleSeesAOneElementRecord() {
        Linear lin = new Linear(4, 2);
        List<Integer> sizes = new ArrayList<>();
        lin.registerForwardHook(ForwardHook.everyOutput((mod, in, outs) -> sizes.add(outs.tensors().size())));
        lin.call(batch());
        assertEquals(List.of(1), sizes);
    }

    @Test
    void inASequentialThePrimaryOutputChainsOnAndFusionsStay() {
        TwoHeads m = new TwoHeads();
        Sequential seq = new Sequential(m, new Linear(3, 3), new ReLU());
        Tensor x = batch();
        Tensor y = seq.call(x);
        Tensor expected = m.callOutputs(x).scores().matmul(((Linear) seq.get(1)).weight().t())
                .add(((Linear) seq.get(1)).bias()).relu();
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-6f);
        // Linear + ReLU still run fused: the ReLU records a node on the Linear's addmm, no separate pass
        List<String> types = Graph.trace(y).ops().stream().map(Graph.Op::type).toList();
        assertEquals("relu", types.get(types.size() - 1));
        assertEquals("addmm", types.get(types.size() - 2));
    }

    @Test
    void outputsOfChecksItsTensors() {
        Tensor a = Tensor.ones(1), b = Tensor.zeros(2);
        Outputs o = Outputs.of(a, b);
        assertEquals(List.of(a, b), o.tensors());
        assertSame(a, o.primary());
        assertThrows(IllegalArgumentException.class, Outputs::of);
        assertThrows(IllegalArgumentException.class, () -> Outputs.of(a, null));
        assertThrows(UnsupportedOperationException.class, () -> o.tensors().add(a));
    }

    @Test
    void summaryListsAMultiOutputModuleByItsPrimaryOutput() {
        String s = Summary.of(new Sequential(new TwoHeads(), new ReLU()), 2, 4);
        assertTrue(s.contains("TwoHeads"), s);
        assertTrue(s.contains("[2, 3]"), s);
    }
}
