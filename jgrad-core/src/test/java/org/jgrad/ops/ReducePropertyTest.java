package org.jgrad.ops;

import static org.jgrad.tensor.TensorAsserts.assertTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Reductions and matmul over random shapes (rank 0-4, zero sizes included) against naive references. */
class ReducePropertyTest {

    @Property(tries = 300)
    void reductionsOverRandomDimSets(@ForAll long seed) {
        Random r = new Random(seed);
        int rank = r.nextInt(5);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = r.nextInt(5);
        Tensor x = Tensor.randn(new Generator(seed), shape);
        if (rank >= 2 && r.nextBoolean()) x = x.transpose(0, rank - 1).contiguous().transpose(0, rank - 1);
        List<Integer> dl = new ArrayList<>();
        for (int d = 0; d < rank; d++) if (r.nextBoolean()) dl.add(r.nextBoolean() ? d : d - rank);
        int[] dims = dl.stream().mapToInt(Integer::intValue).toArray();
        boolean keep = r.nextBoolean();
        boolean[] mask = ReduceOpsTest.mask(rank, dims);
        if (dims.length == 0) java.util.Arrays.fill(mask, false);
        int[] os = ReduceOpsTest.outShape(shape, mask, keep);
        String msg = Shape.str(shape) + " dims " + Shape.str(dims) + " keepdim " + keep;
        Tensor s = x.sum(dims, keep);
        assertTensor(s, os, ReduceOpsTest.reduce(x, mask, ReduceOpsTest::sum), 1e-5f);
        int count = 1;
        for (int d = 0; d < rank; d++) if (mask[d]) count *= shape[d];
        if (count > 0) assertTensor(x.mean(dims, keep), os, ReduceOpsTest.reduce(x, mask, ReduceOpsTest::mean), 1e-5f);
        if (count > 1) assertTensor(x.var(dims, 1, keep), os, ReduceOpsTest.reduce(x, mask, a -> ReduceOpsTest.var(a, 1)), 1e-4f);
        if (rank > 0) {
            int d = r.nextInt(rank);
            if (shape[d] > 0) {
                boolean[] m1 = ReduceOpsTest.mask(rank, d);
                assertTensor(x.max(d, keep).values(), ReduceOpsTest.outShape(shape, m1, keep),
                        ReduceOpsTest.reduce(x, m1, a -> java.util.Arrays.stream(a).max().orElseThrow()), 0);
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(os, s.shape(), msg);
    }

    @Property(tries = 200)
    void matmulOverRandomShapes(@ForAll long seed) {
        Random r = new Random(seed);
        int m = r.nextInt(6), k = r.nextInt(6), n = r.nextInt(6);
        int ra = 1 + r.nextInt(4), rb = 1 + r.nextInt(4);
        int[] batch = new int[Math.max(ra, rb) - 2 > 0 ? Math.max(ra, rb) - 2 : 0];
        for (int i = 0; i < batch.length; i++) batch[i] = r.nextInt(4);
        int[] sa = shapeFor(r, ra, batch, m, k, true), sb = shapeFor(r, rb, batch, k, n, false);
        Generator g = new Generator(seed);
        Tensor a = Tensor.randn(g, sa), b = Tensor.randn(g, sb);
        // reference: promote 1-D operands, broadcast batch dims, multiply, then drop the promoted dims
        Tensor a2 = ra == 1 ? a.unsqueeze(0) : a, b2 = rb == 1 ? b.unsqueeze(1) : b;
        int[] ba = java.util.Arrays.copyOf(a2.shape(), a2.dim() - 2), bb = java.util.Arrays.copyOf(b2.shape(), b2.dim() - 2);
        int[] bs = Shape.broadcast("ref", ba, bb);
        int mm = a2.size(-2), nn = b2.size(-1), nb = Shape.numel(bs);
        float[] want = new float[nb * mm * nn];
        for (int i = 0; i < nb; i++) {
            int[] idx = org.jgrad.tensor.TensorAsserts.unravel(i, bs);
            Tensor pa = pick(a2, idx), pb = pick(b2, idx);
            float[] c = org.jgrad.tensor.TensorAsserts.naiveMatmul(pa.toFloatArray(), pb.toFloatArray(), mm, k, nn);
            System.arraycopy(c, 0, want, i * mm * nn, c.length);
        }
        List<Integer> os = new ArrayList<>();
        for (int d : bs) os.add(d);
        if (ra > 1) os.add(mm);
        if (rb > 1) os.add(nn);
        try {
            assertTensor(a.matmul(b), os.stream().mapToInt(Integer::intValue).toArray(), want, 1e-5f);
        } catch (AssertionError e) {
            throw new AssertionError(Shape.str(sa) + " @ " + Shape.str(sb) + ": " + e.getMessage(), e);
        }
    }

    /** The matrix of a batched operand at the (broadcast) batch index {@code idx}. */
    private static Tensor pick(Tensor t, int[] idx) {
        int nb = t.dim() - 2, lead = idx.length - nb;
        for (int d = 0; d < nb; d++) t = t.select(0, t.size(0) == 1 ? 0 : idx[lead + d]);
        return t;
    }

    private static int[] shapeFor(Random r, int rank, int[] batch, int rows, int cols, boolean left) {
        if (rank == 1) return new int[] {left ? cols : rows};
        int[] s = new int[rank];
        int nbatch = rank - 2;
        for (int i = 0; i < nbatch; i++) {
            int full = batch[batch.length - nbatch + i];
            s[i] = r.nextInt(3) == 0 ? 1 : full;
        }
        s[rank - 2] = rows;
        s[rank - 1] = cols;
        return s;
    }
}
