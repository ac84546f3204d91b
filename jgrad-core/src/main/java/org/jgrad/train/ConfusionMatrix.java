package org.jgrad.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Counts of (true class, predicted class) pairs, as in the lectures' LeNet-on-MNIST example,
 * with per-class precision, recall and F1. Rows are true classes, columns predictions.
 */
public final class ConfusionMatrix {
    private final long[][] counts;
    private final List<String> classNames;

    /** An empty matrix for {@code numClasses} classes, named "0".."C-1". */
    public ConfusionMatrix(int numClasses) {
        this(defaultNames(numClasses));
    }

    /** An empty matrix for the named classes. */
    public ConfusionMatrix(List<String> classNames) {
        if (classNames.isEmpty()) throw new IllegalArgumentException("ConfusionMatrix: need at least one class");
        this.classNames = List.copyOf(classNames);
        this.counts = new long[classNames.size()][classNames.size()];
    }

    private static List<String> defaultNames(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add(Integer.toString(i));
        return names;
    }

    /** Adds a batch: {@code predicted} and {@code actual} are int64 class indices of equal size. */
    public ConfusionMatrix add(Tensor predicted, Tensor actual) {
        long[] p = predicted.toLongArray(), a = actual.toLongArray();
        if (p.length != a.length)
            throw new IllegalArgumentException("ConfusionMatrix.add: " + p.length + " predictions for " + a.length + " targets");
        int c = counts.length;
        for (int i = 0; i < p.length; i++) {
            if (a[i] < 0 || a[i] >= c || p[i] < 0 || p[i] >= c)
                throw new IndexOutOfBoundsException("ConfusionMatrix.add: pair (" + a[i] + ", " + p[i] + ") at " + i
                        + " is outside the " + c + " classes");
            counts[(int) a[i]][(int) p[i]]++;
        }
        return this;
    }

    /** Number of classes. */
    public int numClasses() {
        return counts.length;
    }

    /** Count of samples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** The counts as an int64 tensor [C, C]. */
    public Tensor toTensor() {
        int c = counts.length;
        long[] d = new long[c * c];
        for (int i = 0; i < c; i++) System.arraycopy(counts[i], 0, d, i * c, c);
        return TensorData.wrapLongs(d, c, c);
    }

    /** Total number of samples. */
    public long total() {
        long t = 0;
        for (long[] r : counts) for (long v : r) t += v;
        return t;
    }

    /** Fraction on the diagonal. */
    public double accuracy() {
        long d = 0;
        for (int i = 0; i < counts.length; i++) d += counts[i][i];
        long t = total();
        return t == 0 ? 0 : (double) d / t;
    }

    /** TP / (TP + FP) for class c; 0 when nothing was predicted as c. */
    public double precision(int c) {
        long col = 0;
        for (long[] r : counts) col += r[c];
        return col == 0 ? 0 : (double) counts[c][c] / col;
    }

    /** TP / (TP + FN) for class c; 0 when class c never occurs. */
    public double recall(int c) {
        long row = 0;
        for (long v : counts[c]) row += v;
        return row == 0 ? 0 : (double) counts[c][c] / row;
    }

    /** Harmonic mean of precision and recall for class c. */
    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of per-class F1. */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) s += f1(c);
        return s / counts.length;
    }

    /** The class names, by index. */
    public List<String> classNames() {
        return classNames;
    }

    /** The matrix as an aligned text table followed by per-class precision/recall/F1. */
    @Override
    public String toString() {
        int c = counts.length;
        int w = 6;
        for (String n : classNames) w = Math.max(w, n.length());
        for (long[] r : counts) for (long v : r) w = Math.max(w, Long.toString(v).length());
        StringBuilder sb = new StringBuilder();
        String fmt = "%" + w + "s";
        sb.append(String.format(Locale.ROOT, fmt, "true\\pred"));
        for (String n : classNames) sb.append(' ').append(String.format(Locale.ROOT, fmt, n));
        sb.append('\n');
        for (int i = 0; i < c; i++) {
            sb.append(String.format(Locale.ROOT, fmt, classNames.get(i)));
            for (int j = 0; j < c; j++) sb.append(' ').append(String.format(Locale.ROOT, fmt, counts[i][j]));
            sb.append('\n');
        }
        sb.append('\n').append(String.format(Locale.ROOT, fmt + " %9s %9s %9s%n", "class", "precision", "recall", "f1"));
        for (int i = 0; i < c; i++)
            sb.append(String.format(Locale.ROOT, fmt + " %9.4f %9.4f %9.4f%n", classNames.get(i), precision(i), recall(i), f1(i)));
        sb.append(String.format(Locale.ROOT, "accuracy %.4f, macro F1 %.4f", accuracy(), macroF1()));
        return sb.toString();
    }
}
