package org.jgrad.vision.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Inertia against scikit-learn's {@code KMeans(n_clusters=k, random_state=0, n_init=10)} on 3,000 4×4
 * patches of the digits (kmeans_data.txt, kmeans_refs.txt, written by make_features_refs.py).
 */
class KMeansTest {
    static final int D = 16;

    static float[] data() {
        List<String> lines = Fixtures.lines("kmeans_data.txt");
        float[] x = new float[lines.size() * D];
        for (int i = 0; i < lines.size(); i++) {
            String[] t = lines.get(i).split(" ");
            assertEquals(D, t.length, "kmeans_data.txt line " + (i + 1));
            for (int p = 0; p < D; p++) x[i * D + p] = Float.parseFloat(t[p]);
        }
        return x;
    }

    static double reference(int k) {
        for (String line : Fixtures.lines("kmeans_refs.txt")) {
            String[] t = line.split(" ");
            if (Integer.parseInt(t[1]) == k) return Double.parseDouble(t[3]);
        }
        throw new IllegalStateException("no reference for k=" + k);
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {8, 32})
    void inertiaWithinOnePercentOfScikitLearn(int k) {
        float[] x = data();
        int n = x.length / D;
        KMeans.Result r = new KMeans(k).withSeed(0).withNInit(10).fit(x, n, D);
        double ref = reference(k);
        System.out.printf("k-means k=%d: inertia %.2f, scikit-learn %.2f (%+.3f%%), %d iterations%n", k, r.inertia(), ref,
                100 * (r.inertia() / ref - 1), r.iterations());
        assertTrue(r.inertia() <= ref * 1.01, "inertia " + r.inertia() + " vs scikit-learn's " + ref);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = r.labels()[i];
        Tensor points = Tensor.fromArray(x, n, D);
        assertEquals(r.inertia(), r.codebook().inertia(points, Tensor.ofLongs(labels)), 1e-6 * r.inertia(),
                "the reported inertia is that of the returned centroids and labels");
        // Lloyd's fixed point: every label is the nearest centroid.
        long[] again = r.codebook().assign(points).toLongArray();
        for (int i = 0; i < n; i++)
            assertEquals(r.codebook().nearest(x, i * D), again[i], "point " + i);
        assertArrayEquals(new int[] {k, D}, r.codebook().centroids().shape());
    }

    @Test
    void miniBatchComesCloseToFullKMeans() {
        float[] x = data();
        int n = x.length / D;
        KMeans.Result r = new MiniBatchKMeans(32, 256, 20, 0).fit(x, n, D);
        double ref = reference(32);
        System.out.printf("mini-batch k-means k=32: inertia %.2f, scikit-learn KMeans %.2f (%+.2f%%)%n", r.inertia(), ref,
                100 * (r.inertia() / ref - 1));
        assertTrue(r.inertia() <= ref * 1.10, "mini-batch inertia " + r.inertia() + " vs " + ref);
    }

    @Test
    void theSameSeedGivesTheSameClusters() {
        float[] x = data();
        int n = x.length / D;
        var a = new KMeans(16).withSeed(7).fit(x, n, D);
        var b = new KMeans(16).withSeed(7).fit(x, n, D);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.codebook().centroids().toFloatArray(), b.codebook().centroids().toFloatArray());
    }

    @Test
    void badInputs() {
        var e = assertThrows(IllegalArgumentException.class, () -> new KMeans(0));
        assertTrue(e.getMessage().contains("k must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KMeans(5).fit(new float[8], 4, 2));
        assertTrue(e.getMessage().contains("fewer than the 5 clusters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KMeans(2).fit(new float[]{0, 1, Float.NaN, 3}, 2, 2));
        assertTrue(e.getMessage().contains("point 1, feature 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KMeans(2).fit(new float[7], 4, 2));
        assertTrue(e.getMessage().contains("4 x 2"), e.getMessage());
    }
}
