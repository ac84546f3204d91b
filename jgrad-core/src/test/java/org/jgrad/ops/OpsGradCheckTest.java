package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jgrad.autograd.GradCheck;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A gradient check for every differentiable op, with the default {@link GradCheck} tolerances.
 * Inputs are chosen away from kinks (ReLU/abs at 0, clamp bounds, ties in max/min/maximum) by
 * much more than the finite-difference step.
 */
class OpsGradCheckTest {

    private final Generator gen = new Generator(2024);
    private final List<DynamicTest> tests = new ArrayList<>();

    private Tensor u(float lo, float hi, int... shape) {
        return Tensor.uniform(gen, lo, hi, shape);
    }

    private Tensor n(int... shape) {
        return Tensor.randn(gen, shape);
    }

    /** Values with pairwise gaps of at least 0.3: a shuffled grid with a little noise. */
    private Tensor distinct(int... shape) {
        int size = org.jgrad.tensor.Shape.numel(shape);
        long[] perm = Tensor.randperm(gen, size).toLongArray();
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (perm[i] - size / 2f) * 0.4f + 0.05f * gen.nextFloat();
        return Tensor.fromArray(v, shape);
    }

    /** Values on a grid of step 1 offset by 0.1 and by 0.6, so two such tensors never come within 0.4. */
    private Tensor grid(float offset, int... shape) {
        Tensor r = Tensor.randint(gen, -3, 3, shape).toFloat();
        return r.add(offset).add(u(0, 0.05f, shape));
    }

    private void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        tests.add(dynamicTest(name, () -> {
            GradCheck.Result r = GradCheck.check(f, inputs);
            assertTrue(r.passed(), name + ": " + r.report());
        }));
    }

    @TestFactory
    List<DynamicTest> binaryWithBroadcasting() {
        int[][][] shapes = {{{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{2, 1}, {1, 3}}, {{}, {2, 3}}, {{4, 1, 3}, {2, 1}}};
        for (int[][] s : shapes) {
            String sh = java.util.Arrays.toString(s[0]) + "," + java.util.Arrays.toString(s[1]);
            check("add " + sh, in -> in[0].add(in[1]), n(s[0]), n(s[1]));
            check("sub " + sh, in -> in[0].sub(in[1]), n(s[0]), n(s[1]));
            check("mul " + sh, in -> in[0].mul(in[1]), n(s[0]), n(s[1]));
            check("div " + sh, in -> in[0].div(in[1]), n(s[0]), u(0.5f, 2f, s[1]));
            check("div negative divisor " + sh, in -> in[0].div(in[1]), n(s[0]), u(-2f, -0.5f, s[1]));
            check("pow tensor " + sh, in -> in[0].pow(in[1]), u(0.5f, 2f, s[0]), u(-1.5f, 2.5f, s[1]));
            check("maximum " + sh, in -> in[0].maximum(in[1]), grid(0.1f, s[0]), grid(0.6f, s[1]));
            check("minimum " + sh, in -> in[0].minimum(in[1]), grid(0.1f, s[0]), grid(0.6f, s[1]));
        }
        check("add alpha", in -> in[0].add(in[1], -2.5f), n(3), n(2, 3));
        check("only second input checked", in -> in[0].mul(in[1]), n(3), n(3).requiresGrad(true));
        return tests;
    }

    @TestFactory
    List<DynamicTest> scalarOps() {
        check("add scalar", in -> in[0].add(1.5f), n(2, 3));
        check("sub scalar", in -> in[0].sub(1.5f), n(2, 3));
        check("rsub scalar", in -> in[0].rsub(1.5f), n(2, 3));
        check("mul scalar", in -> in[0].mul(-0.7f), n(2, 3));
        check("div scalar", in -> in[0].div(3f), n(2, 3));
        check("neg", in -> in[0].neg(), n(2, 3));
        for (float e : new float[] {2f, 3f, 0.5f, -1f, -1.5f, 2.5f, 1f, 0f})
            check("pow scalar " + e, in -> in[0].pow(e), u(0.5f, 2f, 2, 3));
        check("pow 3 on negatives", in -> in[0].pow(3f), u(-2f, -0.5f, 5));
        return tests;
    }

    @TestFactory
    List<DynamicTest> unary() {
        check("exp", in -> in[0].exp(), u(-2, 2, 2, 3));
        check("log", in -> in[0].log(), u(0.5f, 3, 2, 3));
        check("sqrt", in -> in[0].sqrt(), u(0.5f, 3, 2, 3));
        check("abs", in -> in[0].abs(), distinct(2, 3).add(0.2f).mul(grid(0.1f, 2, 3).gt(0f).mul(2f).sub(1f)));
        check("square", in -> in[0].square(), n(2, 3));
        check("reciprocal", in -> in[0].reciprocal(), u(0.5f, 2, 3).mul(Tensor.of(1f, -1f, 1f)));
        check("sin", in -> in[0].sin(), n(2, 3));
        check("cos", in -> in[0].cos(), n(2, 3));
        check("sigmoid", in -> in[0].sigmoid(), u(-4, 4, 2, 3));
        check("tanh", in -> in[0].tanh(), u(-2, 2, 2, 3));
        check("relu", in -> in[0].relu(), Tensor.of(-1.5f, -0.3f, 0.4f, 2f, -0.8f, 1.1f));
        check("clamp", in -> in[0].clamp(-1, 1), Tensor.of(-1.6f, -0.5f, 0.2f, 0.7f, 1.4f, 3f));
        check("clamp one-sided", in -> in[0].clamp(0.5f, Float.POSITIVE_INFINITY), Tensor.of(-1f, 0.2f, 0.9f, 4f));
        check("sign has zero gradient", in -> in[0].sign().add(in[0]), Tensor.of(-1f, 2f));
        check("where", in -> Tensor.where(Tensor.of(1f, 0f, 1f), in[0], in[1]), n(3), n(3));
        check("where broadcast", in -> Tensor.where(Tensor.of(1f, 0f, 1f).view(3, 1), in[0], in[1]), n(2), n(3, 1));
        check("where scalar branch", in -> Tensor.where(Tensor.of(0f, 1f), in[0], in[1]), n(), n(2));
        check("copy", in -> in[0].copy().mul(2f), n(2, 2));
        check("composite", in -> in[0].mul(in[1]).add(in[0].exp()).tanh().mul(in[1].sigmoid()), n(3), n(3));
        return tests;
    }

    @TestFactory
    List<DynamicTest> reductions() {
        int[][] dimSets = {{0}, {1}, {-1}, {0, 2}, {2, 0, 1}};
        for (int[] dims : dimSets) {
            for (boolean keep : new boolean[] {false, true}) {
                String d = java.util.Arrays.toString(dims) + " keepdim=" + keep;
                check("sum " + d, in -> in[0].sum(dims, keep), n(2, 3, 4));
                check("mean " + d, in -> in[0].mean(dims, keep), n(2, 3, 4));
                check("var " + d, in -> in[0].var(dims, 1, keep), n(2, 3, 4));
                check("var correction 0 " + d, in -> in[0].var(dims, 0, keep), n(2, 3, 4));
                check("std " + d, in -> in[0].std(dims, 1, keep), n(2, 3, 4));
                check("std correction 0 " + d, in -> in[0].std(dims, 0, keep), n(2, 3, 4));
            }
        }
        check("sum all", in -> in[0].sum(), n(3, 4));
        check("sum non-contiguous", in -> in[0].t().sum(0, false), n(3, 4));
        check("mean all", in -> in[0].mean(), n(3, 4));
        check("var all", in -> in[0].var(), n(3, 4));
        check("std all", in -> in[0].std(), n(3, 4));
        check("max all", in -> in[0].max(), distinct(3, 4));
        check("min all", in -> in[0].min(), distinct(3, 4));
        for (int dim = -2; dim < 2; dim++) {
            int dd = dim;
            check("max dim " + dim, in -> in[0].max(dd, false).values(), distinct(3, 4));
            check("min dim " + dim + " keepdim", in -> in[0].min(dd, true).values(), distinct(3, 4));
            check("logsumexp dim " + dim, in -> in[0].logsumexp(dd, false), n(3, 4));
            check("logsumexp dim " + dim + " keepdim", in -> in[0].logsumexp(dd, true), n(3, 4));
        }
        check("max dim of transposed", in -> in[0].t().max(1, false).values(), distinct(3, 4));
        check("logsumexp large values", in -> in[0].logsumexp(1, false), n(2, 3).add(50f));
        return tests;
    }

    @TestFactory
    List<DynamicTest> matmulAllForms() {
        check("matmul 1-D @ 1-D", in -> in[0].matmul(in[1]), n(4), n(4));
        check("matmul 1-D @ 2-D", in -> in[0].matmul(in[1]), n(4), n(4, 3));
        check("matmul 2-D @ 1-D", in -> in[0].matmul(in[1]), n(3, 4), n(4));
        check("matmul 2-D @ 2-D", in -> in[0].matmul(in[1]), n(3, 4), n(4, 5));
        check("matmul odd sizes", in -> in[0].matmul(in[1]), n(1, 7), n(7, 1));
        check("matmul batched", in -> in[0].matmul(in[1]), n(2, 3, 4), n(2, 4, 2));
        check("matmul broadcast batch", in -> in[0].matmul(in[1]), n(2, 1, 3, 4), n(3, 4, 2));
        check("matmul 3-D @ 2-D", in -> in[0].matmul(in[1]), n(2, 3, 4), n(4, 2));
        check("matmul 2-D @ 3-D", in -> in[0].matmul(in[1]), n(3, 4), n(2, 4, 2));
        check("matmul 3-D @ 1-D", in -> in[0].matmul(in[1]), n(2, 3, 4), n(4));
        check("matmul 1-D @ 3-D", in -> in[0].matmul(in[1]), n(4), n(2, 4, 3));
        check("matmul transposed operands", in -> in[0].t().matmul(in[1].t()), n(4, 3), n(5, 4));
        check("matmul strided operand", in -> in[0].slice(1, 0, 8, 2).matmul(in[1]), n(3, 8), n(4, 2));
        check("matmul same tensor twice", in -> in[0].matmul(in[0]), n(3, 3));
        return tests;
    }

    @TestFactory
    List<DynamicTest> viewOps() {
        check("view", in -> in[0].view(3, 4).mul(Tensor.arange(4)), n(2, 6));
        check("view -1", in -> in[0].view(-1).mul(Tensor.arange(12)), n(2, 6));
        check("reshape copying", in -> in[0].t().reshape(12).mul(Tensor.arange(12)), n(3, 4));
        check("transpose", in -> in[0].transpose(0, 2).mul(Tensor.arange(2)), n(2, 3, 4, 1).squeeze(3));
        check("t", in -> in[0].t().mul(Tensor.arange(3)), n(3, 4));
        check("permute", in -> in[0].permute(2, 0, 1).mul(Tensor.arange(3)), n(2, 3, 4));
        check("narrow", in -> in[0].narrow(1, 1, 2), n(3, 4));
        check("narrow negative start", in -> in[0].narrow(0, -2, 2), n(3, 4));
        check("slice with step", in -> in[0].slice(1, 0, 5, 2), n(3, 5));
        check("slice with step 3 and offset", in -> in[0].slice(0, 1, 7, 3).slice(1, 1, 4, 2), n(7, 4));
        check("select", in -> in[0].select(1, -1), n(3, 4));
        Tensor weights = n(2, 3, 4);
        check("expand", in -> in[0].expand(2, 3, 4).mul(weights), n(3, 1));
        check("expand new dims", in -> in[0].expand(3, 2).mul(Tensor.arange(6).view(3, 2)), n(2));
        check("squeeze", in -> in[0].squeeze().mul(Tensor.arange(3)), n(1, 3, 1));
        check("squeeze dim", in -> in[0].squeeze(0), n(1, 3, 1));
        check("unsqueeze", in -> in[0].unsqueeze(1).mul(Tensor.arange(6).view(2, 3)), n(2));
        check("flatten", in -> in[0].flatten(1, 2), n(2, 3, 2));
        check("contiguous", in -> in[0].t().contiguous().mul(Tensor.arange(3)), n(3, 4));
        check("view of permuted", in -> in[0].permute(2, 0, 1).view(4, 1, 6), n(2, 3, 4));
        check("split", in -> Tensor.cat(0, in[0].split(2, 0)[2].mul(3f), in[0].split(2, 0)[0]), n(5, 2));
        check("chunk", in -> in[0].chunk(2, 1)[1], n(3, 4));
        return tests;
    }

    @TestFactory
    List<DynamicTest> indexing() {
        Tensor idx = TensorData.wrapLongs(new long[] {2, 0, 2, 1, 1, 3}, 2, 3);
        check("gather dim 1", in -> in[0].gather(1, idx), n(2, 4));
        check("gather dim 0 with repeats", in -> in[0].gather(0, TensorData.wrapLongs(new long[] {0, 1, 0, 0}, 2, 2)), n(2, 2));
        check("indexSelect dim 0 with repeats", in -> in[0].indexSelect(0, Tensor.ofLongs(2, 0, 2, -1)), n(3, 4));
        check("indexSelect dim 1", in -> in[0].indexSelect(1, Tensor.ofLongs(3, 1)), n(3, 4));
        check("indexSelect non-contiguous", in -> in[0].t().indexSelect(0, Tensor.ofLongs(1, 1)), n(3, 4));
        check("cat dim 0", in -> Tensor.cat(0, in[0], in[1]), n(2, 3), n(1, 3));
        check("cat dim -1", in -> Tensor.cat(-1, in[0], in[1], in[0]), n(2, 3), n(2, 1));
        check("stack", in -> Tensor.stack(0, in[0], in[1]), n(2, 3), n(2, 3));
        check("stack last dim", in -> Tensor.stack(-1, in[0], in[1], in[0]), n(2, 3), n(2, 3));
        return tests;
    }
}
