package org.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.junit.jupiter.api.Test;

/** The storage handle a tensor holds, the copies out of it, and the random fills drawn through the backend. */
class TensorStorageTest {

    @Test
    void viewsShareTheirTensorsHandle() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        Storage s = TensorData.storage(t);
        assertSame(s, TensorData.storage(t));
        assertSame(s, TensorData.storage(t.transpose(0, 1)));
        assertSame(s, TensorData.storage(t.narrow(1, 1, 2)));
        assertSame(s, TensorData.storage(t.detach()));
        assertSame(((FloatStorage) s).array(), TensorData.floats(t));
        assertNotSame(s, TensorData.storage(t.cloneData()));
    }

    @Test
    void wrapTakesTheStorageAsItIs() {
        FloatStorage f = FloatStorage.wrap(new float[] {1, 2, 3, 4});
        Tensor t = TensorData.wrap(f, 2, 2);
        assertSame(f, TensorData.storage(t));
        assertEquals(DType.FLOAT32, t.dtype());
        LongStorage l = LongStorage.wrap(new long[] {5, 6});
        Tensor i = TensorData.wrap(l, 2);
        assertSame(l, TensorData.storage(i));
        assertEquals(DType.INT64, i.dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorData.wrap(f, 3));
        assertTrue(e.getMessage().startsWith("wrap: 4 values do not fill shape [3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TensorData.wrapGradient(l, 2));
    }

    @Test
    void heapAccessorsNameWhatIsWrong() {
        Storage offHeap = new Storage() {
            @Override public int length() { return 2; }
            @Override public String dtype() { return "float32"; }
        };
        Tensor t = TensorData.wrap(offHeap, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TensorData.floats(t));
        assertTrue(e.getMessage().contains("not a CPU heap array"), e.getMessage());
        IllegalStateException d = assertThrows(IllegalStateException.class, () -> TensorData.longs(Tensor.zeros(2)));
        assertTrue(d.getMessage().contains("float32, not int64"), d.getMessage());
    }

    @Test
    void handlesOverOneArrayShareElements() {
        float[] a = {1, 2, 3};
        assertTrue(FloatStorage.wrap(a).sharesElementsWith(FloatStorage.wrap(a)));
        assertTrue(!FloatStorage.wrap(a).sharesElementsWith(FloatStorage.wrap(new float[3])));
        // two handles over one array: the in-place add must not read what it is writing (else [4, 4, 7])
        Tensor x = TensorData.wrap(a, 3);
        x.addInPlace(TensorData.wrap(a, 3).asStrided(new int[] {3}, new int[] {-1}, 2), 1);
        assertArrayEquals(new float[] {4, 4, 4}, x.toFloatArray());
    }

    @Test
    void gradTargetIsTheGradientsOwnStorage() {
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        assertNull(TensorData.gradTargetStorage(w));
        w.setGrad(Tensor.ones(2));
        assertSame(TensorData.storage(w.grad()), TensorData.gradTargetStorage(w));
    }

    @Test
    void copyToFillsTheCallersArray() {
        Tensor t = Tensor.arange(6).reshape(2, 3).transpose(0, 1); // a strided view
        float[] dst = new float[6];
        t.copyTo(dst);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, dst);
        assertArrayEquals(t.toFloatArray(), dst);
        float[] wide = {-1, -1, -1, -1, -1, -1, -1, -1};
        t.copyTo(wide, 1);
        assertArrayEquals(new float[] {-1, 0, 3, 1, 4, 2, 5, -1}, wide);
        float[] longs = new float[3];
        Tensor.ofLongs(7, -2, 9).copyTo(longs);
        assertArrayEquals(new float[] {7, -2, 9}, longs);
        Tensor.zeros(0, 4).copyTo(new float[0]);
        Tensor.zeros(0).copyTo(new float[2], 2);
    }

    @Test
    void copyToRejectsArraysThatDoNotFit() {
        Tensor t = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[5]));
        assertTrue(e.getMessage().contains("5 elements") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[7]));
        assertThrows(NullPointerException.class, () -> t.copyTo(null));
        float[] dst = {9, 9, 9, 9, 9, 9, 9};
        IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(dst, 2));
        assertTrue(o.getMessage().contains("offset 2") && o.getMessage().contains("7 elements"), o.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(dst, -1));
        assertArrayEquals(new float[] {9, 9, 9, 9, 9, 9, 9}, dst, "a rejected copy writes nothing");
    }

    @Test
    void randomFillsDrawLikeTheGenerator() {
        Generator g = new Generator(42), ref = new Generator(42);
        float[] u = Tensor.uniform(g, -2, 3, 5).toFloatArray();
        for (float v : u) assertEquals(-2 + 5 * ref.nextFloat(), v);
        float[] n = Tensor.normal(g, 1, 2, 4).toFloatArray();
        for (float v : n) assertEquals((float) (1 + 2 * ref.nextGaussian()), v);
        long[] r = Tensor.randint(g, 3, 10, 6).toLongArray();
        for (long v : r) assertEquals(3 + ref.nextInt(7), v);
        assertArrayEquals(g.getState(), ref.getState());
    }

    @Test
    void bernoulliDrawsOneFloatPerElement() {
        Generator g = new Generator(7), ref = new Generator(7);
        Tensor m = Tensor.bernoulli(g, 0.3f, 4, 5);
        assertArrayEquals(new int[] {4, 5}, m.shape());
        for (float v : m.toFloatArray()) assertEquals(ref.nextFloat() < 0.3f ? 1f : 0f, v);
        assertArrayEquals(new float[] {0, 0, 0}, Tensor.bernoulli(g, 0, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.bernoulli(g, 1, 3).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.bernoulli(g, 1.5f, 3));
        assertTrue(e.getMessage().startsWith("bernoulli: p must be in [0, 1], got 1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.bernoulli(g, Float.NaN, 3));
    }

    @Test
    void setWritesOneElement() {
        Tensor t = Tensor.zeros(2, 3);
        t.set(5f, 1, 2).set(-1f, 0, -1);
        assertArrayEquals(new float[] {0, 0, -1, 0, 0, 5}, t.toFloatArray());
        Tensor c = Tensor.zerosLong();
        c.setLong(Long.MAX_VALUE - 1);
        assertEquals(Long.MAX_VALUE - 1, c.getLong(), "int64 elements are written exactly");
        Tensor view = Tensor.zeros(2, 2).transpose(0, 1);
        view.set(3f, 0, 1);
        assertEquals(3f, view.get(0, 1));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.set(1f, 2, 0));
        assertTrue(e.getMessage().startsWith("set: index 2"), e.getMessage());
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        IllegalStateException g = assertThrows(IllegalStateException.class, () -> w.set(1f, 0));
        assertTrue(g.getMessage().startsWith("set: a leaf tensor that requires grad"), g.getMessage());
    }

    @Test
    void normalInPlaceDrawsInRowMajorOrder() {
        Generator g = new Generator(3), ref = new Generator(3);
        Tensor t = Tensor.zeros(3, 4);
        assertSame(t, t.normalInPlace(g, 0.5, 2));
        for (float v : t.toFloatArray()) assertEquals((float) (0.5 + 2 * ref.nextGaussian()), v);
        // a strided view gets the same numbers, in its own row-major order
        Tensor base = Tensor.zeros(4, 3);
        base.transpose(0, 1).normalInPlace(new Generator(3), 0.5, 2);
        assertArrayEquals(t.toFloatArray(), base.transpose(0, 1).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> t.normalInPlace(g, 0, -1));
    }

    @Test
    void truncNormalInPlaceRedrawsOutsideTheBounds() {
        Generator g = new Generator(11), ref = new Generator(11);
        Tensor t = Tensor.zeros(200);
        t.truncNormalInPlace(g, 0, 1, -0.5, 0.5);
        for (float v : t.toFloatArray()) {
            double z;
            do z = ref.nextGaussian(); while (z < -0.5 || z > 0.5);
            assertEquals((float) z, v);
        }
        assertThrows(IllegalArgumentException.class, () -> t.truncNormalInPlace(g, 0, 1, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> t.truncNormalInPlace(g, 0, 0, -1, 1));
    }
}
