package org.jgrad.ops;

import static org.jgrad.tensor.TensorAsserts.assertTensor;
import static org.jgrad.tensor.TensorAsserts.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Reductions over any dims, with keepdim, negative dims and non-contiguous inputs, against a naive reference. */
class ReduceOpsTest {

    /** For each output position (row-major over the kept dims), the reduced values in row-major order. */
    static List<double[]> groups(Tensor x, boolean[] mask) {
        int[] shape = x.shape();
        float[] v = x.toFloatArray();
        int outer = 1, inner = 1;
        for (int d = 0; d < shape.length; d++) if (mask[d]) inner *= shape[d]; else outer *= shape[d];
        List<double[]> out = new ArrayList<>();
        for (int o = 0; o < outer; o++) out.add(new double[inner]);
        int[] fill = new int[outer];
        for (int k = 0; k < v.length; k++) {
            int[] idx = unravel(k, shape);
            int o = 0;
            for (int d = 0; d < shape.length; d++) if (!mask[d]) o = o * shape[d] + idx[d];
            out.get(o)[fill[o]++] = v[k];
        }
        return out;
    }

    static int[] outShape(int[] shape, boolean[] mask, boolean keepdim) {
        List<Integer> s = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) if (!mask[d]) s.add(shape[d]); else if (keepdim) s.add(1);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    static boolean[] mask(int rank, int... dims) {
        boolean[] m = new boolean[rank];
        for (int d : dims) m[d < 0 ? d + rank : d] = true;
        return m;
    }

    static float[] reduce(Tensor x, boolean[] mask, Function<double[], Double> f) {
        List<double[]> g = groups(x, mask);
        float[] out = new float[g.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) (double) f.apply(g.get(i));
        return out;
    }

    static double sum(double[] a) { double s = 0; for (double v : a) s += v; return s; }
    static double mean(double[] a) { return sum(a) / a.length; }
    static double var(double[] a, int c) {
        double m = mean(a), s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return s / (a.length - c);
    }

    /** Inputs of several layouts: contiguous, transposed, strided slice, expanded. */
    static List<Tensor> inputs() {
        Generator g = new Generator(5);
        List<Tensor> xs = new ArrayList<>();
        xs.add(Tensor.randn(g, 3, 4, 5));
        xs.add(Tensor.randn(g, 5, 4, 3).permute(2, 1, 0));
        xs.add(Tensor.randn(g, 3, 9, 5).slice(1, 1, 9, 2));
        xs.add(Tensor.randn(g, 3, 1, 5).expand(3, 4, 5));
        xs.add(Tensor.randn(g, 6, 5, 4).transpose(0, 2).narrow(2, 1, 4).transpose(1, 2).contiguous().permute(0, 2, 1));
        return xs;
    }

    static final int[][] DIM_SETS = {{0}, {1}, {2}, {-1}, {-3}, {0, 2}, {2, 0}, {-1, 1}, {0, 1, 2}, {1, 2}};

    @Test
    void sumMeanVarStdOverAnyDims() {
        for (Tensor x : inputs()) {
            assertEquals(3, x.dim());
            for (int[] dims : DIM_SETS) {
                for (boolean keep : new boolean[] {false, true}) {
                    boolean[] m = mask(3, dims);
                    int[] os = outShape(x.shape(), m, keep);
                    String msg = Shape.str(dims) + " keepdim=" + keep;
                    assertTensor(x.sum(dims, keep), os, reduce(x, m, ReduceOpsTest::sum), 1e-5f);
                    assertTensor(x.mean(dims, keep), os, reduce(x, m, ReduceOpsTest::mean), 1e-5f);
                    assertTensor(x.var(dims, 1, keep), os, reduce(x, m, a -> var(a, 1)), 1e-5f);
                    assertTensor(x.var(dims, 0, keep), os, reduce(x, m, a -> var(a, 0)), 1e-5f);
                    assertTensor(x.std(dims, 1, keep), os, reduce(x, m, a -> Math.sqrt(var(a, 1))), 1e-5f);
                    assertTensor(x.std(dims, 0, keep), os, reduce(x, m, a -> Math.sqrt(var(a, 0))), 1e-5f);
                    assertArrayEquals(os, x.sum(dims, keep).shape(), msg);
                }
            }
            if (x.size(0) == 3) {
                assertTensor(x.sum(1, true), outShape(x.shape(), mask(3, 1), true), reduce(x, mask(3, 1), ReduceOpsTest::sum), 1e-5f);
                assertTensor(x.mean(-1, false), outShape(x.shape(), mask(3, 2), false), reduce(x, mask(3, 2), ReduceOpsTest::mean), 1e-5f);
            }
            boolean[] all = mask(3, 0, 1, 2);
            assertTensor(x.sum(), new int[0], reduce(x, all, ReduceOpsTest::sum), 1e-5f);
            assertTensor(x.mean(), new int[0], reduce(x, all, ReduceOpsTest::mean), 1e-5f);
            assertTensor(x.var(), new int[0], reduce(x, all, a -> var(a, 1)), 1e-5f);
            assertTensor(x.std(), new int[0], reduce(x, all, a -> Math.sqrt(var(a, 1))), 1e-5f);
        }
    }

    @Test
    void maxMinArgmaxAlongDims() {
        for (Tensor x : inputs()) {
            for (int dim = -3; dim < 3; dim++) {
                for (boolean keep : new boolean[] {false, true}) {
                    boolean[] m = mask(3, dim);
                    int[] os = outShape(x.shape(), m, keep);
                    List<double[]> groups = groups(x, m);
                    float[] maxV = new float[groups.size()], minV = new float[groups.size()];
                    float[] maxI = new float[groups.size()], minI = new float[groups.size()];
                    for (int i = 0; i < groups.size(); i++) {
                        double[] g = groups.get(i);
                        int bi = 0, si = 0;
                        for (int j = 1; j < g.length; j++) {
                            if (g[j] > g[bi]) bi = j; // first occurrence wins ties
                            if (g[j] < g[si]) si = j;
                        }
                        maxV[i] = (float) g[bi]; maxI[i] = bi;
                        minV[i] = (float) g[si]; minI[i] = si;
                    }
                    Tensor.ValuesIndices mx = x.max(dim, keep), mn = x.min(dim, keep);
                    assertTensor(mx.values(), os, maxV);
                    assertTensor(mx.indices(), os, maxI);
                    assertEquals(DType.INT64, mx.indices().dtype());
                    assertTensor(mn.values(), os, minV);
                    assertTensor(mn.indices(), os, minI);
                    assertTensor(x.argmax(dim, keep), os, maxI);
                    assertTensor(x.argmin(dim, keep), os, minI);
                }
            }
            float[] flat = x.toFloatArray();
            int bi = 0, si = 0;
            for (int j = 1; j < flat.length; j++) {
                if (flat[j] > flat[bi]) bi = j;
                if (flat[j] < flat[si]) si = j;
            }
            assertEquals(flat[bi], x.max().item());
            assertEquals(flat[si], x.min().item());
            // expanded inputs have ties; PyTorch's argmax on the flattened tensor returns the first
            assertEquals(bi, x.argmax().getLong());
            assertEquals(si, x.argmin().getLong());
            assertArrayEquals(new int[0], x.argmax().shape());
        }
    }

    @Test
    void logsumexpIsStable() {
        Tensor x = Tensor.of(new float[][] {{1000, 1000}, {-1000, -1000}, {0, Float.NEGATIVE_INFINITY}});
        Tensor l = x.logsumexp(1, false);
        assertTensor(l, new int[] {3}, new float[] {1000 + (float) Math.log(2), -1000 + (float) Math.log(2), 0}, 1e-4f);
        Tensor ninf = Tensor.full(Float.NEGATIVE_INFINITY, 2, 3).logsumexp(-1, true);
        assertTensor(ninf, new int[] {2, 1}, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        Tensor pinf = Tensor.of(new float[][] {{1, Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}});
        assertTensor(pinf.logsumexp(1, false), new int[] {2}, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        Tensor r = Tensor.randn(new Generator(2), 4, 5).t();
        float[] want = reduce(r, mask(2, 0), a -> { double s = 0; for (double v : a) s += Math.exp(v); return Math.log(s); });
        assertTensor(r.logsumexp(0, false), new int[] {4}, want, 1e-5f);
    }

    @Test
    void scalarsAndEmptyDims() {
        Tensor s = Tensor.scalar(3f);
        assertEquals(3f, s.sum().item());
        assertEquals(3f, s.sum(0, false).item());
        assertEquals(3f, s.sum(-1, true).item());
        assertEquals(3f, s.max().item());
        assertEquals(3f, s.max(0, false).values().item());
        assertEquals(0L, s.argmax().getLong());
        Tensor e = Tensor.zeros(2, 0);
        assertTensor(e.sum(1, false), new int[] {2}, 0, 0);
        assertTensor(e.sum(0, false), new int[] {0});
        assertEquals(0f, e.sum().item());
        var ex = assertThrows(IllegalArgumentException.class, () -> e.max(1, false));
        assertTrue(ex.getMessage().startsWith("max:") && ex.getMessage().contains("[2, 0]"), ex.getMessage());
        var ex2 = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).max());
        assertTrue(ex2.getMessage().startsWith("max:") && ex2.getMessage().contains("[0]"), ex2.getMessage());
        var ex3 = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).mean());
        assertTrue(ex3.getMessage().startsWith("mean:") && ex3.getMessage().contains("[0]"), ex3.getMessage());
    }

    @Test
    void badDimsNameTheOp() {
        Tensor x = Tensor.zeros(2, 3);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> x.sum(2, false));
        assertTrue(e.getMessage().startsWith("sum:") && e.getMessage().contains("rank 2"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {1, -1}, false));
        assertTrue(e2.getMessage().startsWith("sum:"), e2.getMessage());
        var e3 = assertThrows(IndexOutOfBoundsException.class, () -> x.max(-3, false));
        assertTrue(e3.getMessage().startsWith("max:"), e3.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> x.var(new int[] {5}, 1, false));
        assertThrows(IndexOutOfBoundsException.class, () -> x.logsumexp(2, false));
    }

    @Test
    void nanWinsMaxLikePyTorch() {
        Tensor x = Tensor.of(1f, Float.NaN, 3f);
        assertTrue(Float.isNaN(x.max().item()));
        assertEquals(1L, x.argmax().getLong());
        assertTrue(Float.isNaN(x.min(0, false).values().item()));
    }
}
