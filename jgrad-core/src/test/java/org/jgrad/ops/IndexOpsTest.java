package org.jgrad.ops;

import static org.jgrad.tensor.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** gather, indexSelect, cat, stack, oneHot. */
class IndexOpsTest {

    private static Tensor range(int... shape) {
        return Tensor.arange(org.jgrad.tensor.Shape.numel(shape)).reshape(shape);
    }

    @Test
    void gatherAlongEachDim() {
        Tensor x = range(3, 4);
        Tensor i1 = TensorData.wrapLongs(new long[] {3, 0, 1, 1, 2, -1}, 3, 2);
        // out[i][j] = x[i][index[i][j]]
        assertTensor(x.gather(1, i1), new int[] {3, 2}, 3, 0, 5, 5, 10, 11);
        Tensor i0 = TensorData.wrapLongs(new long[] {2, 0, 1, 0}, 1, 4);
        // out[i][j] = x[index[i][j]][j]
        assertTensor(x.gather(0, i0), new int[] {1, 4}, 8, 1, 6, 3);
        assertTensor(x.gather(-1, TensorData.wrapLongs(new long[] {1, 1, 1}, 3, 1)), new int[] {3, 1}, 1, 5, 9);
        // a transposed input and a smaller index along the other dim
        Tensor t = x.t(); // [4, 3]
        assertTensor(t.gather(1, TensorData.wrapLongs(new long[] {2, 0}, 2, 1)), new int[] {2, 1}, 8, 1);
        // rank 3
        Tensor y = range(2, 3, 4);
        Tensor idx = TensorData.wrapLongs(new long[] {0, 2, 1, 1}, 2, 1, 2);
        assertTensor(y.gather(1, idx), new int[] {2, 1, 2}, 0, 9, 16, 17);
    }

    @Test
    void indexSelectOnAnyDimAndDtype() {
        Tensor x = range(3, 4);
        Tensor i = Tensor.ofLongs(2, 0, 2, -1);
        assertTensor(x.indexSelect(0, i), new int[] {4, 4}, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11);
        assertTensor(x.indexSelect(1, Tensor.ofLongs(3, 1)), new int[] {3, 2}, 3, 1, 7, 5, 11, 9);
        assertTensor(x.t().indexSelect(-1, Tensor.ofLongs(1)), new int[] {4, 1}, 4, 5, 6, 7);
        assertArrayEquals(new int[] {0, 4}, x.indexSelect(0, Tensor.zerosLong(0)).shape());
        Tensor labels = Tensor.ofLongs(10, 20, 30);
        Tensor picked = labels.indexSelect(0, Tensor.ofLongs(2, 2, 0));
        assertEquals(DType.INT64, picked.dtype());
        assertArrayEquals(new long[] {30, 30, 10}, picked.toLongArray());
        // int64 views with an offset and strides (read in place, not copied whole)
        Tensor lm = TensorData.wrapLongs(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
        assertArrayEquals(new long[] {9, 5, 9}, lm.slice(0, 1, 3, 1).indexSelect(1, Tensor.ofLongs(1)).reshape(2)
                .indexSelect(0, Tensor.ofLongs(1, 0, 1)).toLongArray());
        assertArrayEquals(new long[] {7, 3, 11, 7}, lm.t().indexSelect(0, Tensor.ofLongs(3)).reshape(3)
                .indexSelect(0, Tensor.ofLongs(1, 0, 2, 1)).toLongArray());
        // a scalar index tensor selects one row and keeps the dim, as PyTorch does
        assertTensor(x.indexSelect(0, TensorData.wrapLongs(new long[] {1})), new int[] {1, 4}, 4, 5, 6, 7);
    }

    @Test
    void catAlongAnyDim() {
        Tensor a = range(2, 3), b = range(2, 3).add(10f), c = range(2, 1).add(100f);
        assertTensor(Tensor.cat(0, a, b), new int[] {4, 3}, 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15);
        assertTensor(Tensor.cat(1, a, c), new int[] {2, 4}, 0, 1, 2, 100, 3, 4, 5, 101);
        assertTensor(Tensor.cat(-1, a.t().t(), c, b.slice(1, 0, 3, 2)), new int[] {2, 6}, 0, 1, 2, 100, 10, 12, 3, 4, 5, 101, 13, 15);
        assertTensor(Tensor.cat(0, a, Tensor.zeros(0, 3)), new int[] {2, 3}, 0, 1, 2, 3, 4, 5);
        assertTensor(Tensor.cat(0, a), new int[] {2, 3}, 0, 1, 2, 3, 4, 5);
        Tensor l = Tensor.cat(0, Tensor.ofLongs(1, 2), Tensor.ofLongs(3));
        assertArrayEquals(new long[] {1, 2, 3}, l.toLongArray());
        Tensor lt = Tensor.cat(1, TensorData.wrapLongs(new long[] {1, 2, 3, 4}, 2, 2).t(), TensorData.wrapLongs(new long[] {9, 8}, 2, 1));
        assertArrayEquals(new long[] {1, 3, 9, 2, 4, 8}, lt.toLongArray());
    }

    @Test
    void stackAddsADim() {
        Tensor a = Tensor.of(1f, 2f), b = Tensor.of(3f, 4f);
        assertTensor(Tensor.stack(0, a, b), new int[] {2, 2}, 1, 2, 3, 4);
        assertTensor(Tensor.stack(1, a, b), new int[] {2, 2}, 1, 3, 2, 4);
        assertTensor(Tensor.stack(-1, a, b), new int[] {2, 2}, 1, 3, 2, 4);
        assertTensor(Tensor.stack(0, Tensor.scalar(1f), Tensor.scalar(2f)), new int[] {2}, 1, 2);
        Tensor m = range(2, 3);
        assertArrayEquals(new int[] {2, 3, 3}, Tensor.stack(2, m, m, m).shape());
        assertTensor(Tensor.stack(2, m, m.neg()).select(2, 1), new int[] {2, 3}, 0, -1, -2, -3, -4, -5);
    }

    @Test
    void oneHot() {
        Tensor o = Tensor.ofLongs(2, 0, 1).oneHot(3);
        assertTensor(o, new int[] {3, 3}, 0, 0, 1, 1, 0, 0, 0, 1, 0);
        assertEquals(DType.FLOAT32, o.dtype());
        Tensor o2 = TensorData.wrapLongs(new long[] {1, 0, 0, 1}, 2, 2).t().oneHot(2);
        assertTensor(o2, new int[] {2, 2, 2}, 0, 1, 1, 0, 1, 0, 0, 1);
        Tensor labels = Tensor.randint(new Generator(3), 0, 10, 50);
        assertTensor(labels.oneHot(10).argmax(1, false), new int[] {50}, labels.toFloatArray());
    }

    @Test
    void outOfRangeIndicesNameOpAndShapes() {
        Tensor x = range(3, 4);
        var e1 = assertThrows(IndexOutOfBoundsException.class, () -> x.gather(1, TensorData.wrapLongs(new long[] {4}, 1, 1)));
        assertTrue(e1.getMessage().startsWith("gather:") && e1.getMessage().contains("4") && e1.getMessage().contains("size 4"), e1.getMessage());
        var e2 = assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, Tensor.ofLongs(0, 3)));
        assertTrue(e2.getMessage().startsWith("indexSelect:") && e2.getMessage().contains("[3, 4]"), e2.getMessage());
        var e3 = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.ofLongs(0, 5).oneHot(5));
        assertTrue(e3.getMessage().startsWith("oneHot:") && e3.getMessage().contains("5"), e3.getMessage());
        var e4 = assertThrows(IndexOutOfBoundsException.class, () -> x.select(0, 3));
        assertTrue(e4.getMessage().startsWith("select:") && e4.getMessage().contains("[3, 4]"), e4.getMessage());
        var e5 = assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(1, 2, 3));
        assertTrue(e5.getMessage().startsWith("narrow:") && e5.getMessage().contains("[3, 4]"), e5.getMessage());
        var e6 = assertThrows(IndexOutOfBoundsException.class, () -> x.get(3, 0));
        assertTrue(e6.getMessage().startsWith("get:") && e6.getMessage().contains("[3, 4]"), e6.getMessage());
        var e7 = assertThrows(IndexOutOfBoundsException.class, () -> x.transpose(0, 2));
        assertTrue(e7.getMessage().startsWith("transpose:") && e7.getMessage().contains("rank 2"), e7.getMessage());
    }

    @Test
    void mismatchedShapesNameOpAndShapes() {
        Tensor x = range(3, 4);
        var e1 = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(0, x, range(2, 5)));
        assertTrue(e1.getMessage().startsWith("cat:") && e1.getMessage().contains("[2, 5]") && e1.getMessage().contains("[3, 4]"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(0, x, range(4, 3)));
        assertTrue(e2.getMessage().startsWith("stack:") && e2.getMessage().contains("[4, 3]") && e2.getMessage().contains("[3, 4]"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> x.gather(0, Tensor.zerosLong(2)));
        assertTrue(e3.getMessage().startsWith("gather:") && e3.getMessage().contains("[2]") && e3.getMessage().contains("[3, 4]"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> x.gather(0, Tensor.zeros(1, 1)));
        assertTrue(e4.getMessage().startsWith("gather:") && e4.getMessage().contains("float32"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, Tensor.zerosLong(2, 2)));
        assertTrue(e5.getMessage().startsWith("indexSelect:") && e5.getMessage().contains("[2, 2]"), e5.getMessage());
        var e6 = assertThrows(IllegalArgumentException.class, () -> x.reshape(5, -1));
        assertTrue(e6.getMessage().startsWith("reshape:") && e6.getMessage().contains("[3, 4]"), e6.getMessage());
        var e7 = assertThrows(IllegalArgumentException.class, () -> x.view(2, 2));
        assertTrue(e7.getMessage().startsWith("view:") && e7.getMessage().contains("[3, 4]"), e7.getMessage());
        var e8 = assertThrows(IllegalArgumentException.class, () -> x.expand(3, 5));
        assertTrue(e8.getMessage().startsWith("expand:") && e8.getMessage().contains("[3, 5]") && e8.getMessage().contains("[3, 4]"), e8.getMessage());
        var e9 = assertThrows(IllegalArgumentException.class, () -> x.permute(1, 0, 2));
        assertTrue(e9.getMessage().startsWith("permute:") && e9.getMessage().contains("[3, 4]"), e9.getMessage());
        var e10 = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(0));
        assertTrue(e10.getMessage().startsWith("cat:"), e10.getMessage());
        var e11 = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(0, x, Tensor.ofLongs(1, 2, 3, 4).view(1, 4)));
        assertTrue(e11.getMessage().startsWith("cat:") && e11.getMessage().contains("int64"), e11.getMessage());
        var e12 = assertThrows(IllegalArgumentException.class, () -> x.expand(-2, 4));
        assertTrue(e12.getMessage().startsWith("expand:"), e12.getMessage());
        var e13 = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(1).expand(-2));
        assertTrue(e13.getMessage().startsWith("expand:") && e13.getMessage().contains("-2"), e13.getMessage());
    }
}
