package org.jgrad.tensor;

import static org.jgrad.tensor.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.junit.jupiter.api.Test;

/** Shape, strides, offset; views that share storage; int64 tensors. */
class TensorViewTest {

    private static Tensor range(int... shape) {
        return Tensor.arange(Shape.numel(shape)).reshape(shape);
    }

    /** Writes through {@code view} and checks the write is visible in {@code base} at {@code baseIdx}. */
    private static void assertSharesStorage(Tensor base, Tensor view, int[] viewIdx, int[] baseIdx) {
        assertSame(TensorData.floats(base), TensorData.floats(view), "a view must not copy");
        try (NoGrad g = NoGrad.enter()) {
            Tensor one = view;
            for (int d = 0; d < viewIdx.length; d++) one = one.narrow(d, viewIdx[d], 1);
            one.copyInPlace(Tensor.scalar(-42f));
        }
        assertEquals(-42f, base.get(baseIdx));
        // and the other way round
        try (NoGrad g = NoGrad.enter()) {
            Tensor one = base;
            for (int d = 0; d < baseIdx.length; d++) one = one.narrow(d, baseIdx[d], 1);
            one.copyInPlace(Tensor.scalar(17f));
        }
        assertEquals(17f, view.get(viewIdx));
    }

    @Test
    void anyRankHasShapeStridesOffset() {
        Tensor s = Tensor.scalar(3f);
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertArrayEquals(new int[0], s.strides());
        Tensor t = Tensor.zeros(2, 3, 4, 5, 1, 2);
        assertEquals(6, t.dim());
        assertArrayEquals(new int[] {120, 40, 10, 2, 2, 1}, t.strides());
        assertEquals(0, t.offset());
        assertEquals(240, t.numel());
        assertEquals(5, t.size(-3));
        Tensor n = t.narrow(1, 1, 2);
        assertEquals(40, n.offset());
        assertEquals(0, Tensor.zeros(3, 0, 2).numel());
    }

    @Test
    void viewAndReshapeShareStorageWhenContiguous() {
        Tensor a = range(2, 6);
        Tensor v = a.view(3, 4);
        assertArrayEquals(new int[] {3, 4}, v.shape());
        assertSharesStorage(a, v, new int[] {2, 1}, new int[] {1, 3});
        Tensor r = a.reshape(-1);
        assertSame(TensorData.floats(a), TensorData.floats(r));
        assertArrayEquals(new int[] {12}, r.shape());
        assertArrayEquals(new int[] {4, 3}, a.view(-1, 3).shape());
        assertArrayEquals(new int[] {1, 2, 1, 6, 1}, a.view(1, 2, 1, 6, 1).shape());
        assertArrayEquals(new int[0], Tensor.of(5f).view().shape());
    }

    @Test
    void viewOnNonViewableStridesFailsAndReshapeCopies() {
        Tensor a = range(3, 4);
        Tensor t = a.t();
        assertFalse(t.isContiguous());
        var e = assertThrows(IllegalArgumentException.class, () -> t.view(12));
        assertTrue(e.getMessage().startsWith("view:") && e.getMessage().contains("[4, 3]")
                && e.getMessage().contains("strides") && e.getMessage().contains("reshape"), e.getMessage());
        Tensor r = t.reshape(12);
        assertNotSame(TensorData.floats(a), TensorData.floats(r));
        assertTensor(r, new int[] {12}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
    }

    @Test
    void viewWorksOnNonContiguousWhenStridesAllow() {
        // a column slice keeps rows contiguous: splitting the row dim is a view (PyTorch's computeStride)
        Tensor a = range(4, 6);
        Tensor cols = a.narrow(1, 1, 3); // [4, 3], strides [6, 1]
        assertTensor(cols.reshape(12), new int[] {12}, 1, 2, 3, 7, 8, 9, 13, 14, 15, 19, 20, 21);
        Tensor v = cols.view(2, 2, 3);
        assertArrayEquals(new int[] {12, 6, 1}, v.strides());
        assertSharesStorage(a, v, new int[] {1, 1, 2}, new int[] {3, 3});
        // merging rows and columns of a column slice is not
        assertThrows(IllegalArgumentException.class, () -> cols.view(12));
        // permuted then viewed with size-1 dims inserted
        Tensor p = range(2, 3, 4).permute(2, 0, 1); // [4, 2, 3]
        Tensor pv = p.view(4, 1, 6);
        assertArrayEquals(new int[] {1, 1, 4}, new int[] {pv.strides()[0], 1, pv.strides()[2]});
        assertEquals(p.get(3, 1, 2), pv.get(3, 0, 5));
    }

    @Test
    void transposeAndPermuteAreViews() {
        Tensor a = range(2, 3, 4);
        Tensor t = a.transpose(0, 2);
        assertArrayEquals(new int[] {4, 3, 2}, t.shape());
        assertArrayEquals(new int[] {1, 4, 12}, t.strides());
        assertEquals(a.get(1, 2, 3), t.get(3, 2, 1));
        assertSharesStorage(a, t, new int[] {3, 0, 1}, new int[] {1, 0, 3});
        Tensor p = a.permute(1, -1, 0);
        assertArrayEquals(new int[] {3, 4, 2}, p.shape());
        assertEquals(a.get(1, 2, 3), p.get(2, 3, 1));
        assertSharesStorage(a, p, new int[] {0, 1, 1}, new int[] {1, 0, 1});
        assertEquals(a.get(0, 1, 2), a.transpose(-1, -3).transpose(0, 2).get(0, 1, 2));
    }

    @Test
    void sliceAndNarrowAreViews() {
        Tensor a = range(5, 6);
        Tensor s = a.slice(1, 1, 6, 2); // columns 1, 3, 5
        assertArrayEquals(new int[] {5, 3}, s.shape());
        assertArrayEquals(new int[] {6, 2}, s.strides());
        assertEquals(1, s.offset());
        assertTensor(s.narrow(0, 0, 1), new int[] {1, 3}, 1, 3, 5);
        assertSharesStorage(a, s, new int[] {2, 2}, new int[] {2, 5});
        Tensor neg = a.slice(0, -2, 5, 1);
        assertTensor(neg.select(1, 0), new int[] {2}, 18, 24);
        assertTensor(a.slice(1, -100, 100, 4).select(0, 0), new int[] {2}, 0, 4);
        assertArrayEquals(new int[] {5, 0}, a.slice(1, 4, 2, 1).shape());
        Tensor n = a.narrow(0, -2, 2);
        assertEquals(18, n.offset());
        assertSharesStorage(a, n, new int[] {1, 0}, new int[] {4, 0});
        Tensor sel = a.select(0, -1);
        assertArrayEquals(new int[] {6}, sel.shape());
        assertSharesStorage(a, sel, new int[] {3}, new int[] {4, 3});
    }

    @Test
    void expandIsAStrideZeroView() {
        Tensor c = Tensor.of(1f, 2f, 3f).view(3, 1);
        Tensor e = c.expand(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, e.shape());
        assertArrayEquals(new int[] {0, 1, 0}, e.strides());
        assertSame(TensorData.floats(c), TensorData.floats(e));
        assertEquals(2f, e.get(1, 1, 3));
        assertArrayEquals(new int[] {3, 5}, c.expand(-1, 5).shape());
        try (NoGrad g = NoGrad.enter()) {
            c.narrow(0, 2, 1).copyInPlace(Tensor.scalar(9f));
        }
        assertEquals(9f, e.get(0, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> c.expand(3, 2).expand(3, 3));
    }

    @Test
    void squeezeAndUnsqueezeAreViews() {
        Tensor a = range(1, 3, 1, 2);
        Tensor s = a.squeeze();
        assertArrayEquals(new int[] {3, 2}, s.shape());
        assertArrayEquals(new int[] {1, 3, 2}, a.squeeze(2).shape());
        assertArrayEquals(new int[] {1, 3, 1, 2}, a.squeeze(1).shape()); // size 3: unchanged
        assertArrayEquals(new int[] {3, 1, 2}, a.squeeze(-4).shape());
        assertSharesStorage(a, s, new int[] {2, 1}, new int[] {0, 2, 0, 1});
        Tensor u = s.unsqueeze(1);
        assertArrayEquals(new int[] {3, 1, 2}, u.shape());
        assertArrayEquals(new int[] {3, 2, 1}, s.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 3, 2}, s.unsqueeze(0).shape());
        assertTrue(u.isContiguous());
        assertSharesStorage(a, u, new int[] {1, 0, 0}, new int[] {0, 1, 0, 0});
        assertArrayEquals(new int[] {1}, Tensor.scalar(1f).unsqueeze(0).shape());
        assertArrayEquals(new int[0], Tensor.zeros(1, 1).squeeze().shape());
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor a = range(3, 4);
        assertSame(a, a.contiguous());
        Tensor t = a.t().contiguous();
        assertTrue(t.isContiguous());
        assertNotSame(TensorData.floats(a), TensorData.floats(t));
        assertTensor(t, new int[] {4, 3}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        Tensor e = Tensor.of(1f, 2f).expand(3, 2).contiguous();
        assertTensor(e, new int[] {3, 2}, 1, 2, 1, 2, 1, 2);
        assertTrue(a.narrow(0, 1, 2).isContiguous());
        assertFalse(a.narrow(1, 1, 2).isContiguous());
        assertTensor(a.narrow(1, 1, 2).contiguous(), new int[] {3, 2}, 1, 2, 5, 6, 9, 10);
    }

    @Test
    void flattenAndDetachShareStorage() {
        Tensor a = range(2, 3, 4);
        assertArrayEquals(new int[] {2, 12}, a.flatten(1, 2).shape());
        assertArrayEquals(new int[] {24}, a.flatten().shape());
        assertArrayEquals(new int[] {1}, Tensor.scalar(2f).flatten().shape());
        Tensor d = a.detach();
        assertSame(TensorData.floats(a), TensorData.floats(d));
        Tensor c = a.cloneData();
        assertNotSame(TensorData.floats(a), TensorData.floats(c));
    }

    @Test
    void int64TensorsForLabelsAndIndices() {
        Tensor l = Tensor.ofLongs(3, -1, 7, 1L << 40);
        assertEquals(DType.INT64, l.dtype());
        assertEquals(1L << 40, l.getLong(3));
        assertArrayEquals(new long[] {3, -1, 7, 1L << 40}, l.toLongArray());
        Tensor m = TensorData.wrapLongs(new long[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor t = m.t();
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, t.contiguous().toLongArray());
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, t.reshape(6).toLongArray());
        assertSame(TensorData.longs(m), TensorData.longs(m.view(3, 2)));
        assertEquals(4L, m.select(0, 1).getLong(1));
        assertArrayEquals(new long[] {1, 4}, m.narrow(1, 1, 1).squeeze(1).toLongArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, m.toFloat().toFloatArray());
        assertArrayEquals(new long[] {1, -1, 2}, Tensor.of(1.7f, -1.7f, 2.2f).toLong().toLongArray());
        assertThrows(IllegalStateException.class, () -> m.requiresGrad(true));
        assertThrows(IllegalStateException.class, m::storage);
        assertEquals(DType.INT64, Tensor.randint(new Generator(1), 0, 5, 3).dtype());
    }

    @Test
    void asStridedIsCheckedAgainstStorage() {
        Tensor a = range(2, 3);
        Tensor s = a.asStrided(new int[] {3, 2}, new int[] {1, 3}, 0);
        assertTensor(s, new int[] {3, 2}, 0, 3, 1, 4, 2, 5);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> a.asStrided(new int[] {3, 3}, new int[] {3, 1}, 0));
        assertTrue(e.getMessage().contains("asStrided"), e.getMessage());
    }

    @Test
    void getAndItem() {
        Tensor a = range(2, 3);
        assertEquals(5f, a.get(-1, -1));
        assertEquals(4f, a.get(1, 1));
        assertEquals(7f, Tensor.scalar(7f).item());
        assertEquals(3f, a.narrow(0, 1, 1).narrow(1, 0, 1).item());
        var e = assertThrows(IllegalStateException.class, a::item);
        assertTrue(e.getMessage().contains("item") && e.getMessage().contains("[2, 3]"));
    }

    @Test
    void splitAndChunkReturnViews() {
        Tensor a = range(5, 2);
        Tensor[] parts = a.split(2, 0);
        assertEquals(3, parts.length);
        assertArrayEquals(new int[] {2, 2}, parts[0].shape());
        assertArrayEquals(new int[] {1, 2}, parts[2].shape());
        assertTensor(parts[2], new int[] {1, 2}, 8, 9);
        assertSharesStorage(a, parts[1], new int[] {1, 0}, new int[] {3, 0});
        Tensor[] bySizes = a.split(new int[] {1, 4}, -2);
        assertTensor(bySizes[0], new int[] {1, 2}, 0, 1);
        assertArrayEquals(new int[] {4, 2}, bySizes[1].shape());
        Tensor[] cols = a.split(1, 1);
        assertTensor(cols[1], new int[] {5, 1}, 1, 3, 5, 7, 9);
        // torch.chunk(torch.arange(5), 3) gives sizes 2, 2, 1; chunk(arange(6), 4) gives 3 chunks of 2
        Tensor[] c = Tensor.arange(5).chunk(3, 0);
        assertEquals(3, c.length);
        assertTensor(c[2], new int[] {1}, 4);
        assertEquals(3, Tensor.arange(6).chunk(4, 0).length);
        assertEquals(1, Tensor.arange(2).chunk(1, -1).length);
        assertThrows(IllegalArgumentException.class, () -> a.split(new int[] {2, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> a.split(0, 0));
        assertThrows(IllegalArgumentException.class, () -> a.chunk(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1f).chunk(1, 0));
    }

    @Test
    void emptyViewsWhoseOffsetPassesTheStorageEnd() {
        Tensor e = Tensor.zeros(3, 0).select(0, 2); // offset 2 in a storage of 0 elements
        assertEquals(0, e.toFloatArray().length);
        assertEquals(0, e.cloneData().numel());
        assertEquals("tensor([])", e.toString());
        assertEquals(0, Tensor.zerosLong(3, 0).select(0, 2).toLongArray().length);
        assertEquals(0f, e.sum().item());
    }
}
