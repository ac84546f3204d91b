package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SplitsTest {

    @Test
    void fractionLengthsFollowPyTorch() {
        assertArrayEquals(new int[] {90, 10}, Splits.lengthsFor(100, 0.9, 0.1));
        // floor gives 3,3,3 of 10; the remaining one goes to the first part
        assertArrayEquals(new int[] {4, 3, 3}, Splits.lengthsFor(10, 1 / 3.0, 1 / 3.0, 1 / 3.0));
        assertThrows(IllegalArgumentException.class, () -> Splits.lengthsFor(10, 0.5, 0.4));
    }

    @Test
    void randomSplitPartitionsTheDataset() {
        Dataset d = DataLoaderTest.tenSamples();
        List<Subset> parts = Splits.randomSplit(d, new Generator(0), 0.6, 0.2, 0.2);
        assertEquals(6, parts.get(0).size());
        Set<Integer> all = new HashSet<>();
        for (Subset s : parts) for (int i : s.indices()) all.add(i);
        assertEquals(10, all.size());
        assertArrayEquals(parts.get(0).indices(), Splits.randomSplit(d, new Generator(0), 0.6, 0.2, 0.2).get(0).indices());
        var e = assertThrows(IllegalArgumentException.class, () -> Splits.randomSplitLengths(d, new Generator(0), 5, 4));
        assertEquals("randomSplit: sum of input lengths 9 does not equal the length of the dataset 10", e.getMessage());
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        int n = 100;
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = i < 80 ? 0 : 1; // 80% class 0
        Dataset d = new TensorDataset(Tensor.zeros(n, 1), TensorData.wrapLongs(labels.clone(), n));
        List<Subset> parts = Splits.stratifiedSplit(d, labels, new Generator(5), 0.9, 0.1);
        assertEquals(90, parts.get(0).size());
        assertEquals(10, parts.get(1).size());
        int ones = 0;
        for (int i : parts.get(1).indices()) ones += labels[i];
        assertEquals(2, ones);
    }
}
