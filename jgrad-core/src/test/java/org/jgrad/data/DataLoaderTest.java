package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** 10 samples: input i is [i, 10+i], target i is i (int64). */
    static TensorDataset tenSamples() {
        float[] x = new float[20];
        long[] y = new long[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 + i;
            y[i] = i;
        }
        return new TensorDataset(TensorData.wrap(x, 10, 2), TensorData.wrapLongs(y, 10));
    }

    static List<Long> order(DataLoader loader) {
        List<Long> seen = new ArrayList<>();
        for (Batch b : loader) for (long v : b.targets().toLongArray()) seen.add(v);
        return seen;
    }

    @Test
    void batchesInOrderWithPartialLast() {
        DataLoader loader = DataLoader.builder(tenSamples()).batchSize(4).build();
        assertEquals(3, loader.numBatches());
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {4, 2}, batches.get(0).inputs().shape());
        assertArrayEquals(new int[] {2, 2}, batches.get(2).inputs().shape());
        assertEquals(DType.INT64, batches.get(0).targets().dtype());
        assertArrayEquals(new long[] {8, 9}, batches.get(2).targets().toLongArray());
        assertEquals(18f, batches.get(2).inputs().get(0, 1));
    }

    @Test
    void dropLastDropsThePartialBatch() {
        DataLoader loader = DataLoader.builder(tenSamples()).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.numBatches());
        assertEquals(8, order(loader).size());
    }

    @Test
    void shuffleIsSeededAndChangesEachEpoch() {
        DataLoader a = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(7).build();
        DataLoader b = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(7).build();
        List<Long> a1 = order(a), a2 = order(a);
        assertEquals(a1, order(b));
        assertEquals(a2, order(b));
        assertNotEquals(a1, a2, "each epoch draws a new order");
        assertEquals(Set.copyOf(a1), new HashSet<>(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)));
        DataLoader c = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(8).build();
        assertNotEquals(a1, order(c));
    }

    @Test
    void generatorStateResumesTheSameOrder() {
        DataLoader a = DataLoader.builder(tenSamples()).batchSize(5).shuffle(true).seed(3).build();
        order(a);
        long[] state = a.generatorState();
        List<Long> expected = order(a);
        DataLoader b = DataLoader.builder(tenSamples()).batchSize(5).shuffle(true).seed(99).build();
        b.setGeneratorState(state);
        assertEquals(expected, order(b));
    }

    @Test
    void prefetchAndPlainGiveTheSameBatches() {
        DataLoader a = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(1).prefetch(true).build();
        DataLoader b = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(1).prefetch(false).build();
        assertEquals(order(a), order(b));
    }

    @Test
    void genericDatasetsAreStacked() {
        Dataset d = new Dataset() {
            public int size() { return 5; }
            public Sample get(int i) { return new Sample(Tensor.full(i, 2, 2), Tensor.ofLongs(i).reshape()); }
        };
        Batch b = DataLoader.builder(d).batchSize(2).build().iterator().next();
        assertArrayEquals(new int[] {2, 2, 2}, b.inputs().shape());
        assertArrayEquals(new long[] {0, 1}, b.targets().toLongArray());
        Dataset scaled = d.map(x -> x.mul(10f));
        assertEquals(30f, scaled.get(3).input().get(1, 1));
    }

    @Test
    void errorsFromTheLoaderThreadReachTheCaller() {
        Dataset broken = new Dataset() {
            public int size() { return 4; }
            public Sample get(int i) { throw new IllegalStateException("corrupt sample " + i); }
        };
        var it = DataLoader.builder(broken).batchSize(2).build().iterator();
        var e = assertThrows(IllegalStateException.class, it::next);
        assertTrue(e.getMessage().contains("corrupt sample 0"), e.getMessage());
    }

    @Test
    void badSettingsAreRejectedWithReasons() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(tenSamples()).batchSize(0).build());
        assertTrue(e1.getMessage().contains("batch size"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(tenSamples()).batchSize(11).dropLast(true).build());
        assertTrue(e2.getMessage().contains("larger than the dataset"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zerosLong(4)));
        assertTrue(e3.getMessage().contains("[3, 2]") && e3.getMessage().contains("[4]"), e3.getMessage());
        var it = DataLoader.builder(tenSamples()).batchSize(10).build().iterator();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    /** Adds one draw per sample to the inputs, so that each batch shows which numbers it was given. */
    private static final BatchTransform NOISE = (batch, gen) -> {
        float[] x = batch.inputs().contiguous().toFloatArray();
        for (int i = 0; i < x.length; i += 2) x[i] += gen.nextInt(1000) * 100;
        return new Batch(TensorData.wrap(x, batch.inputs().shape()), batch.targets());
    };

    private static List<float[]> epochInputs(DataLoader loader) {
        List<float[]> xs = new ArrayList<>();
        for (Batch b : loader) xs.add(b.inputs().toFloatArray());
        return xs;
    }

    @Test
    void augmentationIsReproducibleWithOrWithoutPrefetchAndAcrossAResume() {
        DataLoader a = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(7).augment(NOISE).build();
        DataLoader b = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(7).augment(NOISE).prefetch(false).build();
        List<float[]> a1 = epochInputs(a), b1 = epochInputs(b);
        assertEquals(4, a1.size());
        for (int i = 0; i < a1.size(); i++) assertArrayEquals(a1.get(i), b1.get(i), "batch " + i);
        // the batches of one epoch get different draws, and so do the epochs
        // (sample values are below 10, so x / 100 is the draw)
        Set<Integer> draws = new HashSet<>();
        for (float[] x : a1) draws.add((int) (x[0] / 100));
        assertTrue(draws.size() > 1, "every batch got the same draw");
        long[] state = a.generatorState();
        List<float[]> a2 = epochInputs(a);
        assertFalse(java.util.Arrays.equals(a1.get(0), a2.get(0)));
        // a loader restored to the saved state (a resumed run) repeats epoch 2 exactly
        DataLoader resumed = DataLoader.builder(tenSamples()).batchSize(3).shuffle(true).seed(99).augment(NOISE).build();
        resumed.setGeneratorState(state);
        List<float[]> r2 = epochInputs(resumed);
        for (int i = 0; i < a2.size(); i++) assertArrayEquals(a2.get(i), r2.get(i), "batch " + i);
    }

    @Test
    void withoutAugmentationTheShuffleStreamIsUnchanged() {
        DataLoader plain = DataLoader.builder(tenSamples()).batchSize(10).shuffle(true).seed(3).build();
        List<Long> first = order(plain), second = order(plain);
        org.jgrad.tensor.Generator g = new org.jgrad.tensor.Generator(3);
        long[] p1 = Tensor.randperm(g, 10).toLongArray(), p2 = Tensor.randperm(g, 10).toLongArray();
        for (int i = 0; i < 10; i++) {
            assertEquals(p1[i], first.get(i));
            assertEquals(p2[i], second.get(i));
        }
    }
}
