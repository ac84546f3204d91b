package org.jgrad.vision.filters;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Named 2-D kernels as [kH, kW] tensors, written the way {@link Filters#filter2d} applies them: as a
 * cross-correlation (the kernel is not flipped), like OpenCV's {@code filter2D} and PyTorch's
 * {@code conv2d}.
 *
 * <p>The lectures write their derivative kernels for the true convolution, which flips the kernel: its
 * x-derivative {@code [[a,0,−a],[b,0,−b],[a,0,−a]]} with a=1, b=2 is, applied as a true convolution,
 * exactly {@link #sobelX()} applied here. Use {@link #flip} to apply a kernel as a true convolution.
 */
public final class FilterKernels {
    private FilterKernels() {}

    /** The mean (box) filter: an n×n kernel of 1/n². */
    public static Tensor box(int n) {
        requireSize("box", n);
        return Tensor.full(1f / (n * n), n, n);
    }

    /** A Gaussian with standard deviation σ sized to ±3σ: {@code 2·⌈3σ⌉ + 1} taps a side. */
    public static Tensor gaussian(double sigma) {
        if (!(sigma > 0)) throw new IllegalArgumentException("gaussian: sigma must be > 0, got " + sigma);
        return gaussian(sigma, 2 * (int) Math.ceil(3 * sigma) + 1);
    }

    /**
     * The sampled Gaussian {@code exp(−(x² + y²)/(2σ²))} on a size×size grid centred on the middle tap
     * (between taps for an even size), normalised to sum 1 so that flat regions keep their brightness.
     */
    public static Tensor gaussian(double sigma, int size) {
        if (!(sigma > 0)) throw new IllegalArgumentException("gaussian: sigma must be > 0, got " + sigma);
        requireSize("gaussian", size);
        double c = (size - 1) / 2.0;
        double[] g = new double[size];
        for (int i = 0; i < size; i++) g[i] = Math.exp(-(i - c) * (i - c) / (2 * sigma * sigma));
        double sum = 0;
        for (double a : g) for (double b : g) sum += a * b;
        float[] k = new float[size * size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++) k[i * size + j] = (float) (g[i] * g[j] / sum);
        return TensorData.wrap(k, size, size);
    }

    /** The lectures' integer 5×5 Gaussian table, before its 1/273 factor. */
    public static final int[][] GAUSSIAN_5X5_273_TABLE = {
        {1, 4, 7, 4, 1},
        {4, 16, 26, 16, 4},
        {7, 26, 41, 26, 7},
        {4, 16, 26, 16, 4},
        {1, 4, 7, 4, 1}};

    /** The lectures' 5×5 Gaussian table times 1/273 (it sums to exactly 1). */
    public static Tensor gaussian5x5Table() {
        return fromInts(GAUSSIAN_5X5_273_TABLE, 1f / 273);
    }

    /** Sobel x-derivative {@code [[−1,0,1],[−2,0,2],[−1,0,1]]}: positive where brightness grows to the right. */
    public static Tensor sobelX() {
        return fromInts(new int[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}, 1f);
    }

    /** Sobel y-derivative {@code [[−1,−2,−1],[0,0,0],[1,2,1]]}: positive where brightness grows downwards. */
    public static Tensor sobelY() {
        return fromInts(new int[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}}, 1f);
    }

    /** Prewitt x-derivative {@code [[−1,0,1],[−1,0,1],[−1,0,1]]} (the lectures' a = b = 1). */
    public static Tensor prewittX() {
        return fromInts(new int[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}}, 1f);
    }

    /** Prewitt y-derivative {@code [[−1,−1,−1],[0,0,0],[1,1,1]]}. */
    public static Tensor prewittY() {
        return fromInts(new int[][] {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}}, 1f);
    }

    /** The 4-neighbour Laplacian {@code [[0,1,0],[1,−4,1],[0,1,0]]}. */
    public static Tensor laplacian() {
        return fromInts(new int[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}, 1f);
    }

    /** The 8-neighbour edge detector {@code [[−1,−1,−1],[−1,8,−1],[−1,−1,−1]]} of the lectures. */
    public static Tensor laplacian8() {
        return fromInts(new int[][] {{-1, -1, -1}, {-1, 8, -1}, {-1, -1, -1}}, 1f);
    }

    /** Sharpening {@code [[0,−1,0],[−1,5,−1],[0,−1,0]]} of the lectures (identity minus the Laplacian). */
    public static Tensor sharpen() {
        return fromInts(new int[][] {{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}, 1f);
    }

    /** Emboss {@code [[−1,−1,0],[−1,0,1],[0,1,1]]} of the lectures: a diagonal derivative that sums to 0. */
    public static Tensor emboss() {
        return fromInts(new int[][] {{-1, -1, 0}, {-1, 0, 1}, {0, 1, 1}}, 1f);
    }

    /**
     * The lectures' random face-image filter: n×n coefficients uniform in [0, 1), divided by their sum so the
     * filter averages ({@code np.random.rand} then {@code /np.sum}).
     */
    public static Tensor randomUniform(int n, Generator gen) {
        requireSize("randomUniform", n);
        float[] k = Tensor.rand(gen, n * n).toFloatArray();
        double sum = 0;
        for (float v : k) sum += v;
        for (int i = 0; i < k.length; i++) k[i] = (float) (k[i] / sum);
        return TensorData.wrap(k, n, n);
    }

    /**
     * The lectures' normal-random filter: n×n coefficients from N(mean, std²), not normalised (with the
     * slide's std = 0, mean = 2 every tap is 2).
     */
    public static Tensor randomNormal(int n, double mean, double std, Generator gen) {
        requireSize("randomNormal", n);
        if (!(std >= 0)) throw new IllegalArgumentException("randomNormal: std must be >= 0, got " + std);
        float[] k = new float[n * n];
        for (int i = 0; i < k.length; i++) k[i] = (float) (mean + std * gen.nextGaussian());
        return TensorData.wrap(k, n, n);
    }

    /** The kernel rotated by 180°, which turns a cross-correlation into a true convolution. */
    public static Tensor flip(Tensor kernel) {
        if (kernel.dim() != 2) throw new IllegalArgumentException("flip: expected a 2-D kernel, got " + kernel.dim() + "-D");
        int h = kernel.size(0), w = kernel.size(1);
        float[] k = kernel.detach().contiguous().toFloatArray(), out = new float[k.length];
        for (int i = 0; i < k.length; i++) out[k.length - 1 - i] = k[i];
        return TensorData.wrap(out, h, w);
    }

    private static Tensor fromInts(int[][] rows, float scale) {
        int h = rows.length, w = rows[0].length;
        float[] k = new float[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) k[i * w + j] = rows[i][j] * scale;
        return TensorData.wrap(k, h, w);
    }

    private static void requireSize(String op, int n) {
        if (n < 1) throw new IllegalArgumentException(op + ": kernel size must be >= 1, got " + n);
    }
}
