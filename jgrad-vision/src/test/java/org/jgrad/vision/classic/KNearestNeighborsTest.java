package org.jgrad.vision.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class KNearestNeighborsTest {
    @Test
    void seed003L1ExampleIs456() {
        float[] test = {56, 32, 10, 18, 90, 23, 128, 133, 24, 26, 178, 200, 2, 0, 255, 220};
        float[] train = {10, 20, 24, 17, 8, 10, 89, 100, 12, 16, 178, 170, 4, 32, 233, 112};
        assertEquals(456f, Distances.l1(Tensor.fromArray(test, 4, 4), Tensor.fromArray(train, 4, 4)));
        assertEquals(456f, Distances.pairwise(Tensor.fromArray(test, 1, 16), Tensor.fromArray(train, 1, 16), Metric.L1)
                .get(0, 0));
        var nb = new KNearestNeighbors(1, Metric.L1).fit(TensorData.wrap(train, 1, 4, 4), Tensor.ofLongs(0))
                .kneighbors(TensorData.wrap(test, 1, 4, 4), 1);
        assertEquals(456f, nb.distances().get(0, 0));
        assertEquals(0L, nb.indices().getLong(0, 0));
    }

    @Test
    void blockedDistancesMatchTheDefinition() {
        Random r = new Random(1);
        int nq = 67, nt = 300, d = 37; // sizes that leave remainders in every block and vector loop
        float[] q = new float[nq * d], t = new float[nt * d];
        for (int i = 0; i < q.length; i++) q[i] = r.nextFloat();
        for (int i = 0; i < t.length; i++) t[i] = r.nextFloat();
        for (Metric m : Metric.values()) {
            float[] all = Distances.pairwise(q, nq, t, nt, d, m);
            for (int i = 0; i < nq; i += 7)
                for (int j = 0; j < nt; j += 11) {
                    float[] a = java.util.Arrays.copyOfRange(q, i * d, i * d + d), b = java.util.Arrays.copyOfRange(t, j * d, j * d + d);
                    float want = m == Metric.L1 ? Distances.l1(a, b) : Distances.l2(a, b);
                    assertEquals(want, all[i * nt + j], 2e-4f * Math.max(1, want), m + " " + i + "," + j);
                }
            // kneighbors agrees with sorting the full matrix
            KNearestNeighbors knn = new KNearestNeighbors(5, m).fit(t, nt, d, new int[nt]);
            var nb = knn.kneighbors(q, nq, 5);
            for (int i = 0; i < nq; i++) {
                float[] row = java.util.Arrays.copyOfRange(all, i * nt, i * nt + nt);
                java.util.Arrays.sort(row);
                for (int r2 = 0; r2 < 5; r2++) assertEquals(row[r2], nb.distances()[i * 5 + r2], 2e-4f * Math.max(1, row[r2]));
            }
        }
    }

    @Test
    void votesByMajorityAndBreaksTiesByTheNearest() {
        // 1-D points: labels 0 at 0, 1 at 1 and 1.1, 2 at 5
        float[] x = {0, 1, 1.1f, 5};
        int[] y = {0, 1, 1, 2};
        KNearestNeighbors knn = new KNearestNeighbors(3, Metric.L2).fit(x, 4, 1, y);
        assertArrayEquals(new long[] {1, 1}, knn.predict(TensorData.wrap(new float[] {0.2f, 3f}, 2, 1)).toLongArray());
        // one search, several k: the public vote over the tensors of kneighbors
        var nb = knn.kneighbors(TensorData.wrap(new float[] {0.2f, 3f}, 2, 1), 3);
        assertArrayEquals(new int[] {2, 3}, nb.indices().shape());
        assertEquals(2L, nb.indices().getLong(1, 0)); // 3 is nearest to 1.1
        assertArrayEquals(new long[] {0, 1}, knn.vote(nb, 1).toLongArray());
        assertArrayEquals(new long[] {1, 1}, knn.vote(nb, 3).toLongArray());
        // k = 2 at 0.45: neighbours 0 (label 0, distance 0.45) and 1 (label 1, distance 0.55): tie -> nearest
        KNearestNeighbors k2 = new KNearestNeighbors(2, Metric.L1).fit(x, 4, 1, y);
        assertArrayEquals(new long[] {0, 1}, k2.predict(TensorData.wrap(new float[] {0.45f, 0.6f}, 2, 1)).toLongArray());
        // a tie among three classes at k = 3 goes to the nearest one
        KNearestNeighbors k3 = new KNearestNeighbors(3, Metric.L1).fit(new float[] {0, 2, 3.5f}, 3, 1, new int[] {0, 1, 2});
        assertArrayEquals(new long[] {1}, k3.predict(TensorData.wrap(new float[] {1.9f}, 1, 1)).toLongArray());
    }

    @Test
    void errorsAreClear() {
        assertThrows(IllegalArgumentException.class, () -> new KNearestNeighbors(0, Metric.L1));
        assertThrows(IllegalStateException.class, () -> new KNearestNeighbors(1, Metric.L1).predict(Tensor.zeros(1, 2)));
        var knn = new KNearestNeighbors(1, Metric.L1).fit(Tensor.zeros(3, 2), Tensor.ofLongs(0, 1, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> knn.predict(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertEquals(Metric.L2, Metric.of("Euclidean"));
        assertThrows(IllegalArgumentException.class, () -> Metric.of("l3"));
    }

    @Test
    void kFoldCoversEverySampleOnce() {
        var folds = CrossValidation.kFold(10, 3, new org.jgrad.tensor.Generator(0));
        assertEquals(3, folds.size());
        int[] seen = new int[10];
        for (var f : folds) {
            assertEquals(10, f.train().length + f.validation().length);
            for (int i : f.validation()) seen[i]++;
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, seen);
    }
}
