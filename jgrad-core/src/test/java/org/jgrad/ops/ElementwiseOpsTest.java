package org.jgrad.ops;

import static org.jgrad.tensor.TensorAsserts.assertTensor;
import static org.jgrad.tensor.TensorAsserts.ravelBroadcast;
import static org.jgrad.tensor.TensorAsserts.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Elementwise ops with NumPy broadcasting, checked against a naive per-element reference. */
class ElementwiseOpsTest {

    /** Shape pairs that broadcast: rank 0, size 0, size-1 stretching on either side, rank differences. */
    static final int[][][] PAIRS = {
            {{}, {}}, {{}, {3}}, {{4}, {}}, {{3}, {3}}, {{1}, {5}}, {{2, 3}, {3}}, {{2, 3}, {1, 3}},
            {{2, 1}, {1, 3}}, {{3, 1}, {3}}, {{2, 3, 4}, {3, 1}}, {{1, 4}, {2, 3, 1}}, {{2, 1, 4, 1}, {3, 1, 5}},
            {{0}, {}}, {{0}, {1}}, {{2, 0}, {1, 0}}, {{0, 3}, {3}}, {{1, 0}, {5, 1}}, {{1}, {}}, {{1, 1}, {}},
            {{5, 1, 1}, {1, 6, 1}}, {{7}, {7}}, {{17, 33}, {33}}, {{33, 1}, {33, 17}}, {{2, 2, 2, 2, 2}, {2, 1, 2}},
            {{1000}, {1000}}, {{3, 257}, {1, 257}}};

    private static Tensor data(Generator g, int[] shape, float lo, float hi) {
        return Tensor.uniform(g, lo, hi, shape);
    }

    /** Naive broadcast reference: out[idx] = f(a[idx mapped], b[idx mapped]). */
    static float[] reference(Tensor a, Tensor b, BinaryOperator<Float> f) {
        int[] shape = naiveBroadcast(a.shape(), b.shape());
        float[] av = a.toFloatArray(), bv = b.toFloatArray();
        float[] out = new float[Shape.numel(shape)];
        for (int k = 0; k < out.length; k++) {
            int[] idx = unravel(k, shape);
            out[k] = f.apply(av[ravelBroadcast(idx, a.shape())], bv[ravelBroadcast(idx, b.shape())]);
        }
        return out;
    }

    /** The broadcast shape computed independently of {@link Shape#broadcast}. */
    static int[] naiveBroadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 1; i <= n; i++) {
            int da = i <= a.length ? a[a.length - i] : 1, db = i <= b.length ? b[b.length - i] : 1;
            assertTrue(da == db || da == 1 || db == 1);
            out[n - i] = da == 1 ? db : da;
        }
        return out;
    }

    private record Op(String name, BinaryOperator<Tensor> t, BinaryOperator<Float> f, float lo, float hi) {}

    private static List<Op> ops() {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op("add", Tensor::add, Float::sum, -5, 5));
        ops.add(new Op("sub", Tensor::sub, (x, y) -> x - y, -5, 5));
        ops.add(new Op("mul", Tensor::mul, (x, y) -> x * y, -5, 5));
        ops.add(new Op("div", Tensor::div, (x, y) -> x / y, 0.5f, 5));
        ops.add(new Op("pow", Tensor::pow, (x, y) -> (float) Math.pow(x, y), 0.5f, 3));
        ops.add(new Op("maximum", Tensor::maximum, Math::max, -5, 5));
        ops.add(new Op("minimum", Tensor::minimum, Math::min, -5, 5));
        ops.add(new Op("gt", Tensor::gt, (x, y) -> x > y ? 1f : 0f, -2, 2));
        ops.add(new Op("le", Tensor::le, (x, y) -> x <= y ? 1f : 0f, -2, 2));
        ops.add(new Op("eq", (a, b) -> a.eq(b), (x, y) -> x.floatValue() == y.floatValue() ? 1f : 0f, -1, 1));
        return ops;
    }

    @Test
    void binaryOpsBroadcastOverManyShapePairs() {
        Generator g = new Generator(11);
        for (Op op : ops()) {
            for (int[][] p : PAIRS) {
                for (int swap = 0; swap < 2; swap++) {
                    int[] sa = p[swap], sb = p[1 - swap];
                    Tensor a = data(g, sa, op.lo, op.hi), b = data(g, sb, op.lo, op.hi);
                    Tensor out = op.t.apply(a, b);
                    String msg = op.name + " " + Shape.str(sa) + " " + Shape.str(sb);
                    assertArrayEquals(naiveBroadcast(sa, sb), out.shape(), msg);
                    assertTensor(out, naiveBroadcast(sa, sb), reference(a, b, op.f), op.name.equals("pow") ? 1e-5f : 1e-6f);
                }
            }
        }
    }

    @Test
    void binaryOpsOnNonContiguousOperands() {
        Generator g = new Generator(12);
        Tensor base = data(g, new int[] {6, 8}, 0.5f, 4);
        Tensor[] lefts = {base.t(), base.slice(1, 0, 8, 2).slice(0, 1, 6, 1).t(), base.narrow(0, 2, 4).t().unsqueeze(0)};
        for (Op op : ops()) {
            for (Tensor a : lefts) {
                Tensor b = data(g, new int[] {a.size(-1)}, 0.5f, 4);
                Tensor bT = data(g, new int[] {a.size(-1), a.size(-2)}, 0.5f, 4).t();
                assertTensor(op.t.apply(a, b), naiveBroadcast(a.shape(), b.shape()), reference(a, b, op.f), 1e-5f);
                assertTensor(op.t.apply(a, bT), naiveBroadcast(a.shape(), bT.shape()), reference(a, bT, op.f), 1e-5f);
                assertTensor(op.t.apply(bT, a), naiveBroadcast(a.shape(), bT.shape()), reference(bT, a, op.f), 1e-5f);
            }
        }
    }

    @Provide
    Arbitrary<int[][]> broadcastablePair() {
        Arbitrary<Integer> rank = Arbitraries.integers().between(0, 4);
        return Combinators.combine(rank, rank, Arbitraries.longs()).as((ra, rb, seed) -> {
            java.util.Random r = new java.util.Random(seed);
            int n = Math.max(ra, rb);
            int[] full = new int[n];
            for (int i = 0; i < n; i++) full[i] = r.nextInt(5); // 0..4, zero-size included
            int[] a = new int[ra], b = new int[rb];
            for (int i = 0; i < ra; i++) a[i] = r.nextInt(3) == 0 ? 1 : full[n - ra + i];
            for (int i = 0; i < rb; i++) b[i] = r.nextInt(3) == 0 ? 1 : full[n - rb + i];
            return new int[][] {a, b};
        });
    }

    @Property(tries = 200)
    void randomBroadcastPairsMatchReference(@ForAll("broadcastablePair") int[][] p) {
        Generator g = new Generator(p[0].length * 7L + p[1].length);
        Tensor a = data(g, p[0], -3, 3), b = data(g, p[1], -3, 3);
        assertTensor(a.add(b), naiveBroadcast(p[0], p[1]), reference(a, b, Float::sum), 0);
        assertTensor(a.mul(b), naiveBroadcast(p[0], p[1]), reference(a, b, (x, y) -> x * y), 0);
        assertTensor(b.sub(a), naiveBroadcast(p[0], p[1]), reference(b, a, (x, y) -> x - y), 0);
        Tensor c = a.gt(0f);
        assertTensor(Tensor.where(c, a, b), naiveBroadcast(p[0], p[1]), reference(a, b, (x, y) -> x > 0 ? x : y), 0);
    }

    @Test
    void incompatibleShapesNameOpAndShapes() {
        for (String op : new String[] {"add", "sub", "mul", "div", "pow", "maximum", "minimum"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> {
                Tensor a = Tensor.ones(2, 3), b = Tensor.ones(4, 1, 2);
                switch (op) {
                    case "add" -> a.add(b);
                    case "sub" -> a.sub(b);
                    case "mul" -> a.mul(b);
                    case "div" -> a.div(b);
                    case "pow" -> a.pow(b);
                    case "maximum" -> a.maximum(b);
                    default -> a.minimum(b);
                }
            });
            assertTrue(e.getMessage().startsWith(op + ":") && e.getMessage().contains("[2, 3]")
                    && e.getMessage().contains("[4, 1, 2]"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(3).lt(Tensor.ones(2)));
        assertTrue(e.getMessage().startsWith("lt:") && e.getMessage().contains("[3]"), e.getMessage());
        var w = assertThrows(IllegalArgumentException.class, () -> Tensor.where(Tensor.ones(3), Tensor.ones(2), Tensor.ones(3)));
        assertTrue(w.getMessage().startsWith("where:") && w.getMessage().contains("[2]"), w.getMessage());
    }

    private record Un(String name, UnaryOperator<Tensor> t, DoubleUnaryOperator f, float lo, float hi) {}

    @Test
    void unaryOpsMatchJavaMathOnContiguousAndStridedInputs() {
        Un[] uns = {
                new Un("exp", Tensor::exp, Math::exp, -5, 5),
                new Un("log", Tensor::log, Math::log, 0.01f, 10),
                new Un("sqrt", Tensor::sqrt, Math::sqrt, 0, 10),
                new Un("abs", Tensor::abs, Math::abs, -5, 5),
                new Un("neg", Tensor::neg, x -> -x, -5, 5),
                new Un("square", Tensor::square, x -> x * x, -5, 5),
                new Un("reciprocal", Tensor::reciprocal, x -> 1 / x, 0.1f, 5),
                new Un("sin", Tensor::sin, Math::sin, -5, 5),
                new Un("cos", Tensor::cos, Math::cos, -5, 5),
                new Un("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), -20, 20),
                new Un("tanh", Tensor::tanh, Math::tanh, -5, 5),
                new Un("relu", Tensor::relu, x -> Math.max(x, 0), -5, 5),
                new Un("sign", Tensor::sign, Math::signum, -5, 5),
                new Un("clamp", t -> t.clamp(-1, 2), x -> Math.min(Math.max(x, -1), 2), -5, 5),
                new Un("pow2.5", t -> t.pow(2.5f), x -> Math.pow(x, 2.5), 0, 4),
                new Un("pow-1", t -> t.pow(-1f), x -> 1 / x, 0.5f, 4),
                new Un("addScalar", t -> t.add(1.5f), x -> x + 1.5, -5, 5),
                new Un("subScalar", t -> t.sub(1.5f), x -> x - 1.5, -5, 5),
                new Un("mulScalar", t -> t.mul(-3f), x -> x * -3, -5, 5),
                new Un("divScalar", t -> t.div(3f), x -> (float) x / 3f, -5, 5),
                new Un("rsub", t -> t.rsub(2f), x -> 2 - x, -5, 5)};
        Generator g = new Generator(21);
        for (Un u : uns) {
            Tensor base = data(g, new int[] {5, 7}, u.lo, u.hi);
            for (Tensor x : new Tensor[] {base, base.t(), base.slice(1, 1, 7, 3), Tensor.scalar(base.get(0, 0)), Tensor.zeros(0, 2)}) {
                Tensor y = u.t.apply(x);
                float[] xv = x.toFloatArray(), want = new float[xv.length];
                for (int i = 0; i < xv.length; i++) want[i] = (float) u.f.applyAsDouble(xv[i]);
                assertTensor(y, x.shape(), want, 2e-6f);
            }
        }
    }

    @Test
    void divByScalarIsTrueDivision() {
        // x / 3 must round like a true division, not like x * (1/3f)
        Generator g = new Generator(3);
        float[] v = Tensor.uniform(g, -100, 100, 10_000).toFloatArray();
        float[] got = Tensor.fromArray(v, v.length).div(3f).toFloatArray();
        for (int i = 0; i < v.length; i++) assertEquals(v[i] / 3f, got[i], 0f, "element " + i);
    }

    @Test
    void nanPropagatesThroughMaximumMinimumAndRelu() {
        Tensor a = Tensor.of(Float.NaN, 1f), b = Tensor.of(0f, Float.NaN);
        assertTrue(Float.isNaN(a.maximum(b).get(0)) && Float.isNaN(a.maximum(b).get(1)));
        assertTrue(Float.isNaN(a.minimum(b).get(0)) && Float.isNaN(a.minimum(b).get(1)));
        assertTrue(Float.isNaN(a.relu().get(0)));
        assertTrue(Float.isNaN(Tensor.full(Float.NaN, 20).relu().get(17)));
        assertTrue(Float.isNaN(a.clamp(0, 1).get(0)));
    }

    @Test
    void comparisonsAndWhere() {
        Tensor a = Tensor.of(1f, 2f, 3f), b = Tensor.of(3f, 2f, 1f);
        assertTensor(a.eq(b), new int[] {3}, 0, 1, 0);
        assertTensor(a.ne(b), new int[] {3}, 1, 0, 1);
        assertTensor(a.lt(b), new int[] {3}, 1, 0, 0);
        assertTensor(a.le(b), new int[] {3}, 1, 1, 0);
        assertTensor(a.gt(b), new int[] {3}, 0, 0, 1);
        assertTensor(a.ge(b), new int[] {3}, 0, 1, 1);
        assertTensor(a.ge(2f), new int[] {3}, 0, 1, 1);
        assertTensor(Tensor.ofLongs(1, 5).eq(Tensor.of(1f, 4f)), new int[] {2}, 1, 0);
        Tensor w = Tensor.where(a.gt(1.5f).view(3, 1), Tensor.scalar(-1f), b);
        assertTensor(w, new int[] {3, 3}, 3, 2, 1, -1, -1, -1, -1, -1, -1);
        assertTensor(Tensor.where(Tensor.ofLongs(0, 2, 0), a, b), new int[] {3}, 3, 2, 1);
    }

    @Test
    void clampOneSidedAndValidated() {
        Tensor x = Tensor.of(-2f, 0.5f, 3f);
        assertTensor(x.clamp(0, Float.POSITIVE_INFINITY), new int[] {3}, 0, 0.5f, 3);
        assertTensor(x.clamp(Float.NEGATIVE_INFINITY, 1), new int[] {3}, -2, 0.5f, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> x.clamp(2, 1));
        assertTrue(e.getMessage().startsWith("clamp:"), e.getMessage());
    }

    @Test
    void opsOnInt64AreRejectedWithAClearMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ofLongs(1, 2).exp());
        assertTrue(e.getMessage().startsWith("exp:") && e.getMessage().contains("int64"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Tensor.ofLongs(1, 2).add(Tensor.ones(2)));
        assertTrue(e2.getMessage().startsWith("add:") && e2.getMessage().contains("[2]"), e2.getMessage());
    }

    @Test
    void inputsAreNeverModified() {
        Tensor a = Tensor.of(1f, 2f), b = Tensor.of(3f, 4f);
        a.add(b).mul(b).exp().sigmoid();
        assertEquals(1f, a.get(0));
        assertEquals(4f, b.get(1));
    }

    @Test
    void specialValuesFollowIeeeLikePyTorch() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        Tensor x = Tensor.of(-inf, -1f, 0f, inf, nan);
        assertTensor(x.exp(), new int[] {5}, 0, (float) Math.exp(-1), 1, inf, nan);
        assertTensor(x.log(), new int[] {5}, nan, nan, -inf, inf, nan);
        assertTensor(x.sqrt(), new int[] {5}, nan, nan, 0, inf, nan);
        assertTensor(x.sigmoid(), new int[] {5}, new float[] {0, 0.26894142f, 0.5f, 1, nan}, 1e-7f);
        assertTensor(x.tanh(), new int[] {5}, new float[] {-1, -0.7615942f, 0, 1, nan}, 1e-7f);
        assertTensor(x.abs(), new int[] {5}, inf, 1, 0, inf, nan);
        assertTensor(x.reciprocal(), new int[] {5}, -0f, -1, inf, 0, nan);
        assertTensor(x.sign(), new int[] {5}, -1, -1, 0, 1, nan);
        assertTensor(Tensor.of(1f, -1f).div(Tensor.of(0f, 0f)), new int[] {2}, inf, -inf);
        assertTensor(Tensor.scalar(0f).div(Tensor.scalar(0f)), new int[0], nan);
        assertTensor(Tensor.of(-8f, 4f).pow(1f / 3f), new int[] {2}, new float[] {nan, (float) Math.cbrt(4)}, 1e-6f);
    }

    @Property(tries = 60)
    void broadcastGradientsSumBackToEachShape(@ForAll("broadcastablePair") int[][] p) {
        Generator g = new Generator(p[0].length * 31L + p[1].length * 7L + Shape.numel(p[0]));
        Tensor a = data(g, p[0], 0.5f, 2f), b = data(g, p[1], 0.5f, 2f);
        for (BinaryOperator<Tensor> f : List.<BinaryOperator<Tensor>>of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div, Tensor::pow)) {
            var r = org.jgrad.autograd.GradCheck.check(in -> f.apply(in[0], in[1]), a, b);
            assertTrue(r.passed(), Shape.str(p[0]) + " " + Shape.str(p[1]) + ": " + r.report());
        }
        Tensor x = a.requiresGrad(true), y = b.requiresGrad(true);
        x.mul(y).sum().backward();
        assertArrayEquals(p[0], x.grad().shape());
        assertArrayEquals(p[1], y.grad().shape());
    }
}
