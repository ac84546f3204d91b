package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Parameter groups, zeroGrad, skipped and frozen parameters, state dicts and printing. */
class OptimizerBehaviourTest {

    private static Tensor param(float... v) {
        return Tensor.fromArray(v, v.length).requiresGrad(true);
    }

    /** Loss Σ p² over all params, so each grad is 2p. */
    private static void backwardSumOfSquares(Tensor... ps) {
        Tensor loss = Tensor.scalar(0f);
        for (Tensor p : ps) loss = loss.add(p.square().sum());
        loss.backward();
    }

    @Test
    void paramGroupsUseTheirOwnLearningRate() {
        Tensor a = param(1f, 2f), b = param(3f);
        SGD opt = new SGD(List.of(new ParamGroup(List.of(a)).lr(0.01), new ParamGroup(List.of(b))), 0.1).momentum(0.0);
        assertEquals(0.01, opt.paramGroups().get(0).lr());
        assertEquals(0.1, opt.paramGroups().get(1).lr());
        backwardSumOfSquares(a, b);
        opt.step();
        assertArrayEquals(new float[] {1 - 0.01f * 2, 2 - 0.01f * 4}, a.toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {3 - 0.1f * 6}, b.toFloatArray(), 1e-7f);
        // a default changed later reaches only the groups that did not choose their own value
        opt.lr(0.5);
        assertEquals(0.01, opt.paramGroups().get(0).lr());
        assertEquals(0.5, opt.paramGroups().get(1).lr());
    }

    @Test
    void addParamGroupRejectsDuplicatesAndFillsDefaults() {
        Tensor a = param(1f), b = param(2f);
        Adam opt = new Adam(List.of(a), 0.01).betas(0.8, 0.9);
        opt.addParamGroup(new ParamGroup(List.of(b)).lr(0.1));
        assertEquals(0.8, opt.paramGroups().get(1).get("beta1"));
        assertEquals(0.1, opt.paramGroups().get(1).lr());
        assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(new ParamGroup(List.of(a))));
    }

    @Test
    void zeroGradClearsOrZeroesGradients() {
        Tensor a = param(1f, 2f);
        SGD opt = new SGD(List.of(a), 0.1);
        backwardSumOfSquares(a);
        opt.zeroGrad(false);
        assertArrayEquals(new float[] {0, 0}, a.grad().toFloatArray());
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void skipsParametersWithoutGradAndFrozenOnes() {
        Tensor used = param(1f), unused = param(5f), frozen = param(7f);
        Adam opt = new Adam(List.of(used, unused, frozen), 0.1);
        backwardSumOfSquares(used, frozen);
        frozen.requiresGrad(false); // frozen after backward: holds a grad but must not move
        opt.step();
        assertTrue(used.item() < 1f);
        assertEquals(5f, unused.item());
        assertEquals(7f, frozen.item());
        assertNull(opt.state(unused));
    }

    @Test
    void refusesViewsAndNonLeaves() {
        Tensor base = Tensor.zeros(4).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(base.mul(2f)), 0.1));
        Tensor view = Tensor.zeros(2, 2).narrow(0, 1, 1).requiresGrad(true);
        SGD opt = new SGD(List.of(view), 0.1);
        view.setGrad(Tensor.ones(1, 2));
        var e = assertThrows(IllegalStateException.class, opt::step);
        assertTrue(e.getMessage().contains("SGD.step"), e.getMessage());
    }

    @Test
    void nesterovNeedsMomentum() {
        Tensor a = param(1f);
        SGD opt = new SGD(List.of(a), 0.1).nesterov(true);
        backwardSumOfSquares(a);
        assertThrows(IllegalArgumentException.class, opt::step);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), -1));
    }

    private static void stateDictResumesExactly(Function<List<Tensor>, Optimizer> make) {
        Generator gen = new Generator(5);
        Tensor w = Tensor.randn(gen, 3, 2).requiresGrad(true), b = Tensor.randn(gen, 2).requiresGrad(true);
        Optimizer opt = make.apply(List.of(w, b));
        for (int i = 0; i < 2; i++) {
            opt.zeroGrad();
            backwardSumOfSquares(w, b);
            opt.step();
        }
        Map<String, Tensor> saved = opt.stateDict();
        Tensor w2 = w.cloneData().requiresGrad(true), b2 = b.cloneData().requiresGrad(true);
        Optimizer resumed = make.apply(List.of(w2, b2));
        resumed.paramGroups().get(0).lr(123); // overwritten by the load
        resumed.loadStateDict(saved);
        assertEquals(opt.toString(), resumed.toString());
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            backwardSumOfSquares(w, b);
            opt.step();
            resumed.zeroGrad();
            backwardSumOfSquares(w2, b2);
            resumed.step();
        }
        assertArrayEquals(w.toFloatArray(), w2.toFloatArray(), opt.toString());
        assertArrayEquals(b.toFloatArray(), b2.toFloatArray());
        assertEquals(opt.state(w).step(), resumed.state(w2).step());
    }

    @Test
    void stateDictsRoundTripForEveryOptimizer() {
        stateDictResumesExactly(ps -> new SGD(ps, 0.1).momentum(0.9).nesterov(true));
        stateDictResumesExactly(ps -> new Adagrad(ps, 0.1).lrDecay(0.1));
        stateDictResumesExactly(ps -> new RMSprop(ps, 0.01).centered(true).momentum(0.5));
        stateDictResumesExactly(ps -> new Adam(ps, 0.01).amsgrad(true));
        stateDictResumesExactly(ps -> new AdamW(ps, 0.01));
    }

    @Test
    void stateDictLayout() {
        Tensor a = param(1f, 2f), b = param(3f);
        Adam opt = new Adam(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(b)).lr(0.5)), 0.01);
        backwardSumOfSquares(a, b);
        opt.step();
        Map<String, Tensor> sd = opt.stateDict();
        assertEquals(1, StateDicts.decodeLong(sd.get("state.0.step")));
        assertArrayEquals(new int[] {2}, sd.get("state.0.exp_avg").shape());
        assertArrayEquals(new long[] {1}, sd.get("param_groups.1.params").toLongArray());
        assertEquals(0.5, StateDicts.decodeDouble(sd.get("param_groups.1.lr")));
        assertEquals(0.999, StateDicts.decodeDouble(sd.get("param_groups.0.beta2")));
        Tensor other = param(1f, 2f, 3f);
        Adam wrongShape = new Adam(List.of(new ParamGroup(List.of(other)), new ParamGroup(List.of(param(0f)))), 0.01);
        assertThrows(IllegalArgumentException.class, () -> wrongShape.loadStateDict(sd));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(param(1f, 2f)), 0.1).loadStateDict(sd));
    }

    @Test
    void printsLikePytorch() {
        String s = new SGD(List.of(param(1f)), 0.1).momentum(0.9).toString();
        assertTrue(s.startsWith("SGD (\nParameter Group 0\n"), s);
        assertTrue(s.contains("    lr: 0.1\n"), s);
        assertTrue(s.contains("    momentum: 0.9\n"), s);
        assertTrue(s.contains("    nesterov: False\n"), s);
        assertTrue(s.endsWith(")"), s);
        assertTrue(new AdamW(List.of(param(1f))).toString().contains("weight_decay: 0.01"));
    }

    @Test
    void closureStepReturnsTheLoss() {
        Tensor a = param(2f);
        SGD opt = new SGD(List.of(a), 0.25);
        Tensor loss = opt.step(() -> {
            opt.zeroGrad();
            Tensor l = a.square().sum();
            l.backward();
            return l;
        });
        assertEquals(4f, loss.item());
        assertEquals(1f, a.item()); // 2 − 0.25·4
    }
}
