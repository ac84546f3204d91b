package org.jgrad.tensor;

import static org.jgrad.tensor.TensorAsserts.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jgrad.autograd.GradCheck;
import org.jgrad.internal.TensorData;

/**
 * Random chains of view ops checked against an independent model: each view is a function from
 * its index to the index of the base tensor's element it shows.
 */
class ViewChainPropertyTest {

    /** The model: a shape and a map from an index in that shape to a flat position in the base. */
    record Ref(int[] shape, Function<int[], Integer> map) {
        float[] values(float[] base) {
            int n = Shape.numel(shape);
            float[] out = new float[n];
            for (int k = 0; k < n; k++) out[k] = base[map.apply(unravel(k, shape))];
            return out;
        }
    }

    private static int ravel(int[] idx, int[] shape) {
        int k = 0;
        for (int d = 0; d < shape.length; d++) k = k * shape[d] + idx[d];
        return k;
    }

    /** Applies one random view op to both the tensor and the model; returns the description. */
    private static String step(Random r, Tensor[] t, Ref[] ref) {
        Tensor x = t[0];
        Ref m = ref[0];
        int rank = x.dim();
        int[] s = x.shape();
        int op = r.nextInt(9);
        if (rank == 0 && op != 4 && op != 7) op = 4;
        switch (op) {
            case 0 -> { // transpose
                int a = r.nextInt(rank), b = r.nextInt(rank);
                t[0] = x.transpose(a, b - rank);
                int[] ns = s.clone();
                ns[a] = s[b];
                ns[b] = s[a];
                ref[0] = new Ref(ns, idx -> { int[] p = idx.clone(); p[a] = idx[b]; p[b] = idx[a]; return m.map.apply(p); });
                return "transpose(" + a + "," + b + ")";
            }
            case 1 -> { // narrow
                int d = r.nextInt(rank);
                if (s[d] == 0) return "skip";
                int start = r.nextInt(s[d]), len = r.nextInt(s[d] - start + 1);
                t[0] = x.narrow(d, start, len);
                int[] ns = s.clone();
                ns[d] = len;
                ref[0] = new Ref(ns, idx -> { int[] p = idx.clone(); p[d] += start; return m.map.apply(p); });
                return "narrow(" + d + "," + start + "," + len + ")";
            }
            case 2 -> { // slice with step
                int d = r.nextInt(rank), step = 1 + r.nextInt(3);
                int start = r.nextInt(s[d] + 1), end = start + r.nextInt(s[d] - start + 1);
                t[0] = x.slice(d, start, end, step);
                int[] ns = s.clone();
                ns[d] = (end - start + step - 1) / step;
                ref[0] = new Ref(ns, idx -> { int[] p = idx.clone(); p[d] = start + idx[d] * step; return m.map.apply(p); });
                return "slice(" + d + "," + start + "," + end + "," + step + ")";
            }
            case 3 -> { // permute
                int[] perm = new int[rank];
                for (int i = 0; i < rank; i++) perm[i] = i;
                for (int i = rank - 1; i > 0; i--) { int j = r.nextInt(i + 1), tmp = perm[i]; perm[i] = perm[j]; perm[j] = tmp; }
                t[0] = x.permute(perm);
                int[] ns = new int[rank];
                for (int i = 0; i < rank; i++) ns[i] = s[perm[i]];
                ref[0] = new Ref(ns, idx -> { int[] p = new int[rank]; for (int i = 0; i < rank; i++) p[perm[i]] = idx[i]; return m.map.apply(p); });
                return "permute" + Shape.str(perm);
            }
            case 4 -> { // unsqueeze
                if (rank >= 5) return "skip";
                int d = r.nextInt(rank + 1);
                t[0] = x.unsqueeze(d);
                int[] ns = new int[rank + 1];
                for (int i = 0, j = 0; i <= rank; i++) ns[i] = i == d ? 1 : s[j++];
                ref[0] = new Ref(ns, idx -> { int[] p = new int[rank]; for (int i = 0, j = 0; i <= rank; i++) if (i != d) p[j++] = idx[i]; return m.map.apply(p); });
                return "unsqueeze(" + d + ")";
            }
            case 5 -> { // squeeze one size-1 dim
                int d = -1;
                for (int i = 0; i < rank; i++) if (s[i] == 1) d = i;
                if (d < 0) return "skip";
                int dd = d;
                t[0] = x.squeeze(dd);
                int[] ns = new int[rank - 1];
                for (int i = 0, j = 0; i < rank; i++) if (i != dd) ns[j++] = s[i];
                ref[0] = new Ref(ns, idx -> { int[] p = new int[rank]; for (int i = 0, j = 0; i < rank; i++) p[i] = i == dd ? 0 : idx[j++]; return m.map.apply(p); });
                return "squeeze(" + dd + ")";
            }
            case 6 -> { // expand size-1 dims (and maybe a new leading dim)
                if (rank >= 5 || Shape.numel(s) > 200) return "skip";
                boolean lead = r.nextBoolean();
                int[] ns = new int[rank + (lead ? 1 : 0)];
                int off = lead ? 1 : 0;
                if (lead) ns[0] = 1 + r.nextInt(3);
                for (int i = 0; i < rank; i++) ns[i + off] = s[i] == 1 ? 1 + r.nextInt(3) : s[i];
                t[0] = x.expand(ns);
                ref[0] = new Ref(ns, idx -> { int[] p = new int[rank]; for (int i = 0; i < rank; i++) p[i] = s[i] == 1 ? 0 : idx[i + off]; return m.map.apply(p); });
                return "expand" + Shape.str(ns);
            }
            case 7 -> { // reshape to a random factorization of the same size
                int n = Shape.numel(s);
                int[] ns = randomShape(r, n);
                t[0] = x.reshape(ns);
                ref[0] = new Ref(ns, idx -> m.map.apply(unravel(ravel(idx, ns), s)));
                return "reshape" + Shape.str(ns);
            }
            default -> { // select
                if (s[r.nextInt(rank)] == 0) return "skip";
                int d = r.nextInt(rank);
                if (s[d] == 0) return "skip";
                int i0 = r.nextInt(s[d]);
                t[0] = x.select(d, i0);
                int[] ns = new int[rank - 1];
                for (int i = 0, j = 0; i < rank; i++) if (i != d) ns[j++] = s[i];
                ref[0] = new Ref(ns, idx -> { int[] p = new int[rank]; for (int i = 0, j = 0; i < rank; i++) p[i] = i == d ? i0 : idx[j++]; return m.map.apply(p); });
                return "select(" + d + "," + i0 + ")";
            }
        }
    }

    /** A random shape with exactly n elements (n > 0), rank 0..4. */
    private static int[] randomShape(Random r, int n) {
        if (n == 0) return new int[] {0, 1 + r.nextInt(3)};
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        int left = n;
        for (int p = 2; p <= left; p++) while (left % p == 0) { dims.add(p); left /= p; }
        java.util.Collections.shuffle(dims, r);
        int rank = dims.isEmpty() ? r.nextInt(2) : 1 + r.nextInt(Math.min(4, dims.size()));
        int[] out = new int[rank];
        java.util.Arrays.fill(out, 1);
        for (int i = 0; i < dims.size(); i++) out[i % Math.max(rank, 1)] *= dims.get(i);
        if (rank == 0 && n != 1) return new int[] {n};
        if (r.nextInt(4) == 0 && rank < 4) { // an extra size-1 dim
            int[] o2 = new int[rank + 1];
            int at = r.nextInt(rank + 1);
            for (int i = 0, j = 0; i <= rank; i++) o2[i] = i == at ? 1 : out[j++];
            return o2;
        }
        return out;
    }

    @Property(tries = 300)
    void randomViewChainsMatchTheModel(@ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = randomShape(r, 1 + r.nextInt(60));
        Tensor base = Tensor.arange(Shape.numel(shape)).reshape(shape);
        float[] bv = base.toFloatArray();
        Tensor[] t = {base};
        Ref[] ref = {new Ref(shape, idx -> ravel(idx, shape))};
        StringBuilder chain = new StringBuilder(Shape.str(shape));
        for (int i = 0; i < 6; i++) {
            chain.append(" ").append(step(r, t, ref));
            String msg = chain.toString();
            assertArrayEquals(ref[0].shape, t[0].shape(), msg);
            float[] want = ref[0].values(bv);
            assertArrayEquals(want, t[0].toFloatArray(), msg);
            // ops read strided inputs correctly too
            assertArrayEquals(want, t[0].add(0f).toFloatArray(), msg);
            assertArrayEquals(want, t[0].neg().neg().toFloatArray(), msg);
            assertArrayEquals(want, t[0].contiguous().toFloatArray(), msg);
            float s = 0;
            for (float v : want) s += v;
            assertEquals(s, t[0].sum().item(), 1e-3f * Math.max(1, Math.abs(s)), msg);
            // a view, when allowed, must show the same values as reshape
            try {
                Tensor v = t[0].view(-1);
                assertSame(TensorData.floats(t[0]), TensorData.floats(v), msg);
                assertArrayEquals(want, v.toFloatArray(), msg);
            } catch (IllegalArgumentException notViewable) {
                assertArrayEquals(want, t[0].reshape(-1).toFloatArray(), msg);
            }
        }
    }

    @Property(tries = 40)
    void gradientsFlowBackThroughRandomViewChains(@ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = randomShape(r, 2 + r.nextInt(20));
        Random ops = new Random(seed ^ 0x5DEECE66DL);
        long opSeed = ops.nextLong();
        Function<Tensor[], Tensor> f = in -> {
            Random rr = new Random(opSeed);
            Tensor[] t = {in[0]};
            Ref[] ref = {new Ref(in[0].shape(), idx -> 0)};
            for (int i = 0; i < 4; i++) step(rr, t, ref);
            return t[0].mul(t[0]);
        };
        GradCheck.Result res = GradCheck.check(f, Tensor.randn(new Generator(seed), shape));
        org.junit.jupiter.api.Assertions.assertTrue(res.passed(), res.report());
    }
}
