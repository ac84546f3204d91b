package org.jgrad.vision.classic;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * k-fold cross-validation, the way the lectures say hyperparameters are chosen: split the training
 * data into folds, train on all but one, validate on the one left out, and average.
 */
public final class CrossValidation {
    private CrossValidation() {}

    /**
     * One fold: indices to train on and to validate on.
     *
     * @param train indices of the other folds
     * @param validation indices of this fold
     */
    public record Fold(int[] train, int[] validation) {}

    /**
     * Splits 0..n−1, shuffled with {@code gen}, into {@code folds} folds whose sizes differ by at
     * most one; fold f validates on its own part and trains on the rest.
     */
    public static List<Fold> kFold(int n, int folds, Generator gen) {
        if (folds < 2 || folds > n)
            throw new IllegalArgumentException("kFold: need 2 <= folds <= n, got " + folds + " folds for " + n + " samples");
        long[] perm = Tensor.randperm(gen, n).toLongArray();
        List<Fold> out = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            int lo = (int) ((long) n * f / folds), hi = (int) ((long) n * (f + 1) / folds);
            int[] val = new int[hi - lo], tr = new int[n - (hi - lo)];
            for (int i = 0, t = 0; i < n; i++) {
                if (i >= lo && i < hi) val[i - lo] = (int) perm[i];
                else tr[t++] = (int) perm[i];
            }
            out.add(new Fold(tr, val));
        }
        return out;
    }

    /**
     * Mean validation accuracy for each candidate k, and the best one.
     *
     * @param ks the candidates, in the order given
     * @param accuracy mean accuracy over the folds, per candidate
     * @param bestK the candidate with the highest mean accuracy (the smallest k on a tie)
     */
    public record KChoice(int[] ks, double[] accuracy, int bestK) {}

    /**
     * Chooses k for a k-NN classifier by {@code folds}-fold cross-validation on {@code inputs} [N, ...]
     * (each sample flattened) with int64 labels {@code targets} [N], the folds shuffled with a
     * generator seeded by {@code seed}. The neighbours of each validation fold are found once, for the
     * largest k, and every candidate votes from that one sorted list.
     */
    public static KChoice chooseK(Tensor inputs, Tensor targets, int[] ks, Metric metric, int folds, long seed) {
        if (inputs.dim() < 1 || targets.dim() != 1 || inputs.size(0) != targets.size(0) || inputs.size(0) == 0)
            throw new IllegalArgumentException("chooseK: expected inputs [N, ...] and labels [N] with N >= 1, got "
                    + Shape.str(inputs.shape()) + " and " + Shape.str(targets.shape()));
        int n = inputs.size(0);
        return chooseK(Distances.values(inputs), n, inputs.numel() / n, KNearestNeighbors.toInts(targets), ks, metric,
                folds, seed);
    }

    static KChoice chooseK(float[] x, int n, int d, int[] y, int[] ks, Metric metric, int folds, long seed) {
        if (ks.length == 0) throw new IllegalArgumentException("chooseK: no candidate k given");
        int kmax = 0;
        for (int k : ks) {
            if (k < 1) throw new IllegalArgumentException("chooseK: k must be >= 1, got " + k);
            kmax = Math.max(kmax, k);
        }
        double[] acc = new double[ks.length];
        List<Fold> split = kFold(n, folds, new Generator(seed));
        for (Fold f : split) {
            float[] tx = rows(x, d, f.train()), vx = rows(x, d, f.validation());
            int[] ty = pick(y, f.train()), vy = pick(y, f.validation());
            KNearestNeighbors knn = new KNearestNeighbors(1, metric).fit(tx, ty.length, d, ty);
            KNearestNeighbors.Found nb = knn.kneighbors(vx, vy.length, Math.min(kmax, ty.length));
            for (int c = 0; c < ks.length; c++) {
                int[] p = knn.vote(nb, Math.min(ks[c], nb.k()));
                int right = 0;
                for (int i = 0; i < p.length; i++) if (p[i] == vy[i]) right++;
                acc[c] += (double) right / p.length / folds;
            }
        }
        int best = 0;
        for (int c = 1; c < ks.length; c++)
            if (acc[c] > acc[best] + 1e-12 || (Math.abs(acc[c] - acc[best]) <= 1e-12 && ks[c] < ks[best])) best = c;
        return new KChoice(ks.clone(), acc, ks[best]);
    }

    static float[] rows(float[] x, int d, int[] idx) {
        float[] out = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) System.arraycopy(x, idx[i] * d, out, i * d, d);
        return out;
    }

    static int[] pick(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = y[idx[i]];
        return out;
    }
}
