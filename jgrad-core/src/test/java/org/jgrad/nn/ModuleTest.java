package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Module bookkeeping: names, printing, state dicts, modes, freezing, hooks. */
class ModuleTest {

    /** Seed 000, example 2.1: the 2-2-2-2-1 feedforward network with ReLU. */
    static Sequential feedforwardRelu() {
        return Sequential.builder("Feedforward")
                .add("input", new Linear(2, 2)).add("relu1", new ReLU())
                .add("fc1", new Linear(2, 2)).add("relu2", new ReLU())
                .add("fc2", new Linear(2, 2)).add("relu3", new ReLU())
                .add("output", new Linear(2, 1))
                .build();
    }

    @Test
    void seed000FeedforwardPrintsLikePyTorch() {
        String expected = """
                Feedforward(
                  (input): Linear(in_features=2, out_features=2, bias=True)
                  (relu1): ReLU()
                  (fc1): Linear(in_features=2, out_features=2, bias=True)
                  (relu2): ReLU()
                  (fc2): Linear(in_features=2, out_features=2, bias=True)
                  (relu3): ReLU()
                  (output): Linear(in_features=2, out_features=1, bias=True)
                )""";
        assertEquals(expected, feedforwardRelu().toString());
    }

    @Test
    void seed000LeakyReluFeedforwardPrintsLikePyTorch() {
        Sequential net = Sequential.builder("Feedforward")
                .add("input", new Linear(2, 2)).add("Leakyrelu1", new LeakyReLU())
                .add("fc1", new Linear(2, 2)).add("Leakyrelu2", new LeakyReLU())
                .add("fc2", new Linear(2, 2)).add("Leakyrelu3", new LeakyReLU())
                .add("output", new Linear(2, 1))
                .build();
        String expected = """
                Feedforward(
                  (input): Linear(in_features=2, out_features=2, bias=True)
                  (Leakyrelu1): LeakyReLU(negative_slope=0.01)
                  (fc1): Linear(in_features=2, out_features=2, bias=True)
                  (Leakyrelu2): LeakyReLU(negative_slope=0.01)
                  (fc2): Linear(in_features=2, out_features=2, bias=True)
                  (Leakyrelu3): LeakyReLU(negative_slope=0.01)
                  (output): Linear(in_features=2, out_features=1, bias=True)
                )""";
        assertEquals(expected, net.toString());
        assertEquals(1, net.forward(Tensor.zeros(5, 2)).size(1));
    }

    /** A subclass prints under its own name, like a PyTorch class deriving from nn.Sequential. */
    static final class Feedforward extends Sequential {
        Feedforward() {
            super(new Linear(2, 2), new ReLU());
        }
    }

    @Test
    void sequentialSubclassPrintsItsClassName() {
        assertEquals("""
                Feedforward(
                  (0): Linear(in_features=2, out_features=2, bias=True)
                  (1): ReLU()
                )""", new Feedforward().toString());
        assertEquals("Sequential", Sequential.builder().add(new ReLU()).build().name());
    }

    @Test
    void nestedModulesIndentByTwoPerLevel() {
        Sequential inner = new Sequential(new Linear(3, 4), new Tanh());
        Sequential outer = new Sequential(inner, new Maxout(4, 2, 3));
        String expected = """
                Sequential(
                  (0): Sequential(
                    (0): Linear(in_features=3, out_features=4, bias=True)
                    (1): Tanh()
                  )
                  (1): Maxout(
                    in_features=4, out_features=2, pieces=3
                    (linear): Linear(in_features=4, out_features=6, bias=True)
                  )
                )""";
        assertEquals(expected, outer.toString());
        assertEquals("Sequential()", new Sequential().toString());
    }

    /** A hand-written model, as a PyTorch subclass of nn.Module would be. */
    static final class TwoLayer extends Module {
        final Linear fc1 = registerModule("fc1", new Linear(3, 4));
        final BatchNorm1d bn = registerModule("bn", new BatchNorm1d(4));
        final Linear fc2 = registerModule("fc2", new Linear(4, 2));

        @Override
        public Tensor forward(Tensor x) {
            return fc2.call(F.relu(bn.call(fc1.call(x))));
        }
    }

    @Test
    void namedParametersBuffersAndModulesUseDottedNames() {
        TwoLayer m = new TwoLayer();
        assertEquals(List.of("fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "fc2.weight", "fc2.bias"),
                new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("bn.running_mean", "bn.running_var", "bn.num_batches_tracked"),
                new ArrayList<>(m.namedBuffers().keySet()));
        assertEquals(List.of("", "fc1", "bn", "fc2"), new ArrayList<>(m.namedModules().keySet()));
        assertEquals(List.of("fc1", "bn", "fc2"), new ArrayList<>(m.namedChildren().keySet()));
        assertEquals(6, m.parameters().size());
        for (Tensor p : m.parameters()) assertTrue(p.requiresGrad());
        assertSame(m.fc1.weight(), m.namedParameters().get("fc1.weight"));
        assertSame(m.bn, m.getSubmodule("bn"));
        assertEquals("TwoLayer", m.name());
        assertEquals(List.of("fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                "bn.num_batches_tracked", "fc2.weight", "fc2.bias"), new ArrayList<>(m.stateDict().keySet()));
    }

    @Test
    void sharedParametersAreListedOnce() {
        Linear shared = new Linear(2, 2);
        Sequential s = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, s.parameters().size());
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(s.namedParameters().keySet()));
        // state_dict lists a shared layer under every name, as PyTorch does
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(s.stateDict().keySet()));
        s.loadStateDict(s.stateDict());
    }

    @Test
    void evalMakesDropoutRReLUAndBatchNormDeterministic() {
        Sequential net = new Sequential(new Linear(4, 8), new BatchNorm1d(8), new RReLU(), new Dropout(0.5), new Linear(8, 2));
        Tensor x = Tensor.uniform(new Generator(6), -1f, 1f, 6, 4);
        net.train();
        assertFalse(java.util.Arrays.equals(net.call(x).toFloatArray(), net.call(x).toFloatArray()));
        net.eval();
        Tensor running = ((BatchNorm1d) net.get(1)).runningMean().cloneData();
        assertArrayEquals(net.call(x).toFloatArray(), net.call(x).toFloatArray(), 0f);
        assertArrayEquals(running.toFloatArray(), ((BatchNorm1d) net.get(1)).runningMean().toFloatArray(), 0f);
        assertEquals(2, ((BatchNorm1d) net.get(1)).numBatchesTracked());
    }

    @Test
    void registrationRejectsBadNames() {
        Module m = new Module() {
            {
                registerParameter("w", Tensor.zeros(2));
                assertThrows(IllegalArgumentException.class, () -> registerParameter("w", Tensor.zeros(2)));
                assertThrows(IllegalArgumentException.class, () -> registerBuffer("w", Tensor.zeros(2)));
                assertThrows(IllegalArgumentException.class, () -> registerModule("a.b", new ReLU()));
                assertThrows(IllegalArgumentException.class, () -> registerParameter("", Tensor.zeros(2)));
                assertThrows(IllegalArgumentException.class, () -> registerParameter("i", Tensor.zerosLong(2)));
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        };
        assertEquals(1, m.parameters().size());
        assertEquals("Module", m.name());
    }

    @Test
    void stateDictRoundTripCopiesValuesIntoExistingTensors() {
        DefaultGenerator.manualSeed(1);
        TwoLayer a = new TwoLayer();
        a.train();
        a.call(Tensor.uniform(new Generator(2), -1f, 1f, 8, 3)); // moves the running statistics
        DefaultGenerator.manualSeed(2);
        TwoLayer b = new TwoLayer();
        Tensor bWeight = b.fc1.weight();
        Map<String, Tensor> saved = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> saved.put(k, v.cloneData()));
        LoadResult r = b.loadStateDict(saved, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        assertSame(bWeight, b.fc1.weight(), "parameters keep their identity, so optimizers stay valid");
        a.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.stateDict().get(k).toFloatArray(), 0f, k));
        assertEquals(1, b.bn.numBatchesTracked());
        Tensor x = Tensor.uniform(new Generator(3), -1f, 1f, 4, 3);
        a.eval();
        b.eval();
        assertArrayEquals(a.call(x).toFloatArray(), b.call(x).toFloatArray(), 0f);
    }

    @Test
    void stateDictIsDetachedAndSharesStorage() {
        Linear l = new Linear(2, 3);
        Tensor w = l.stateDict().get("weight");
        assertFalse(w.requiresGrad());
        assertSame(TensorData.floats(l.weight()), TensorData.floats(w));
    }

    @Test
    void strictLoadListsEveryProblemInOneMessageAndChangesNothing() {
        Sequential net = feedforwardRelu();
        Map<String, Tensor> before = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> before.put(k, v.cloneData()));
        Map<String, Tensor> bad = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> bad.put(k, Tensor.full(7f, v.shape())));
        bad.remove("fc2.bias");
        bad.remove("output.weight");
        bad.put("fc3.weight", Tensor.zeros(2, 2));
        bad.put("fc1.weight", Tensor.zeros(3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(bad, true));
        String msg = e.getMessage();
        assertEquals("Error(s) in loading state_dict for Feedforward:\n"
                + "\tMissing key(s) in state_dict: \"fc2.bias\", \"output.weight\".\n"
                + "\tUnexpected key(s) in state_dict: \"fc3.weight\".\n"
                + "\tsize mismatch for fc1.weight: copying a param with shape [3, 2] from checkpoint, "
                + "the shape in current model is [2, 2].", msg);
        before.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), net.stateDict().get(k).toFloatArray(), 0f, k));
    }

    @Test
    void nonStrictLoadSkipsMissingAndUnexpectedButNotShapeMismatches() {
        Sequential net = feedforwardRelu();
        Map<String, Tensor> partial = new LinkedHashMap<>();
        partial.put("input.weight", Tensor.full(0.5f, 2, 2));
        partial.put("extra", Tensor.zeros(1));
        LoadResult r = net.loadStateDict(partial, false);
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertEquals(7, r.missingKeys().size());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, net.stateDict().get("input.weight").toFloatArray());
        partial.put("input.weight", Tensor.zeros(2, 3));
        assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(partial, false));
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, net.stateDict().get("input.weight").toFloatArray());
    }

    @Test
    void trainAndEvalAreRecursive() {
        TwoLayer m = new TwoLayer();
        assertTrue(m.isTraining() && m.bn.isTraining());
        assertSame(m, m.eval());
        assertFalse(m.isTraining());
        assertFalse(m.bn.isTraining());
        m.train();
        assertTrue(m.fc2.isTraining());
        m.bn.eval();
        assertTrue(m.isTraining());
        assertFalse(m.bn.isTraining());
    }

    @Test
    void freezingASubtreeLeavesItsParametersWithoutGradients() {
        TwoLayer m = new TwoLayer();
        m.fc1.requiresGrad(false);
        Tensor x = Tensor.uniform(new Generator(4), -1f, 1f, 5, 3);
        m.call(x).sum().backward();
        assertNull(m.fc1.weight().grad());
        assertNull(m.fc1.bias().grad());
        assertNotNull(m.bn.weight().grad());
        assertNotNull(m.fc2.weight().grad());
        m.zeroGrad();
        for (Tensor p : m.parameters()) assertNull(p.grad());
        m.requiresGrad(true);
        m.call(x).sum().backward();
        assertNotNull(m.fc1.weight().grad());
    }

    @Test
    void applyVisitsChildrenBeforeParent() {
        TwoLayer m = new TwoLayer();
        List<String> seen = new ArrayList<>();
        m.apply(mod -> seen.add(mod.name()));
        assertEquals(List.of("Linear", "BatchNorm1d", "Linear", "TwoLayer"), seen);
        // the usual use: re-initialize every Linear
        m.apply(mod -> {
            if (mod instanceof Linear l) org.jgrad.nn.init.Init.zeros(l.weight());
        });
        assertArrayEquals(new float[12], m.fc1.weight().toFloatArray());
    }

    @Test
    void forwardHooksSeeInputsAndOutputsUntilRemoved() {
        Sequential net = feedforwardRelu();
        List<String> calls = new ArrayList<>();
        HookHandle h = net.get(0).registerForwardHook((mod, in, out) -> calls.add(mod.name() + in[0].size(0) + "x" + out.size(1)));
        net.call(Tensor.zeros(3, 2));
        assertEquals(List.of("Linear3x2"), calls);
        h.remove();
        net.call(Tensor.zeros(3, 2));
        assertEquals(1, calls.size());
    }

    @Test
    void setParameterSwapsTheTensorKeepingItsFlag() {
        Linear l = new Linear(2, 2);
        l.requiresGrad(false);
        Tensor w = Tensor.ones(2, 2);
        l.setParameter("weight", w);
        assertSame(w, l.weight());
        assertFalse(w.requiresGrad());
        assertThrows(IllegalArgumentException.class, () -> l.setParameter("weight", Tensor.ones(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> l.setParameter("nope", Tensor.ones(2, 2)));
    }

    @Test
    void sequentialNumbersUnnamedChildrenAndIndexes() {
        Sequential s = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        assertEquals(List.of("0", "1", "2"), new ArrayList<>(s.namedChildren().keySet()));
        assertEquals(3, s.size());
        assertTrue(s.get(-1) instanceof Linear);
        assertArrayEquals(new int[] {4, 1}, s.call(Tensor.zeros(4, 2)).shape());
        assertThrows(IllegalArgumentException.class, () -> Sequential.builder().add("a", new ReLU()).add("a", new ReLU()));
    }

    @Test
    void sequentialAppendAndStochasticGenerators() {
        Sequential s = new Sequential("Net").append(new Linear(2, 2)).append("drop", new Dropout(0.5)).append(new RReLU());
        assertEquals(List.of("0", "drop", "2"), new ArrayList<>(s.namedChildren().keySet()));
        Generator g = new Generator(7);
        s.apply(m -> {
            if (m instanceof Stochastic st) st.setGenerator(g);
        });
        assertSame(g, ((Dropout) s.get(1)).generator());
        assertSame(g, ((RReLU) s.get(2)).generator());
        ((Dropout) s.get(1)).setGenerator(null);
        assertSame(DefaultGenerator.get(), ((Dropout) s.get(1)).generator());
    }

    @Test
    void multiInputForwardDefaultsToOneInput() {
        Module add = new Module() {
            @Override
            public Tensor forward(Tensor input) {
                throw new UnsupportedOperationException("needs two inputs");
            }

            @Override
            public Tensor forward(Tensor... inputs) {
                return inputs[0].add(inputs[1]);
            }
        };
        assertEquals(3f, add.call(Tensor.scalar(1f), Tensor.scalar(2f)).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReLU().call(Tensor.scalar(1f), Tensor.scalar(2f)));
        assertTrue(e.getMessage().contains("ReLU"));
    }
}
