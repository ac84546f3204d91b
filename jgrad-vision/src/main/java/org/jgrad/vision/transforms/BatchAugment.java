package org.jgrad.vision.transforms;

import org.jgrad.data.Batch;
import org.jgrad.data.BatchTransform;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Data augmentation on whole image batches {@code [N, C, H, W]}, for
 * {@link org.jgrad.data.DataLoader.Builder#augment}: torchvision's {@code RandomHorizontalFlip} and
 * {@code RandomCrop(size, padding)} drawn independently per image, in one pass over the batch instead
 * of one small tensor op per sample.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(trainSet).batchSize(64).shuffle(true).seed(42)
 *         .augment(BatchAugment.compose(BatchAugment.randomCrop(2), BatchAugment.randomHorizontalFlip(0.5)))
 *         .build();
 * }</pre>
 */
public final class BatchAugment {
    private BatchAugment() {}

    /** Mirrors each image left-right with probability {@code p}. */
    public static BatchTransform randomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("randomHorizontalFlip: p must be in [0, 1], got " + p);
        return (batch, gen) -> {
            Tensor x = batch.inputs();
            int[] s = imageBatchShape("randomHorizontalFlip", x);
            int n = s[0], plane = s[1] * s[2] * s[3], h = s[1] * s[2], w = s[3];
            float[] in = x.contiguous().toFloatArray(), out = new float[in.length];
            for (int i = 0; i < n; i++) {
                int base = i * plane;
                if (gen.nextDouble() < p) {
                    for (int r = 0; r < h; r++) {
                        int row = base + r * w;
                        for (int c = 0; c < w; c++) out[row + c] = in[row + w - 1 - c];
                    }
                } else {
                    System.arraycopy(in, base, out, base, plane);
                }
            }
            return new Batch(TensorData.wrap(out, x.shape()), batch.targets());
        };
    }

    /**
     * Pads each image with {@code padding} zeros on every side and crops it back to its size at a
     * random offset: a shift by up to {@code padding} pixels in each direction.
     */
    public static BatchTransform randomCrop(int padding) {
        if (padding < 0) throw new IllegalArgumentException("randomCrop: padding must be >= 0, got " + padding);
        return (batch, gen) -> {
            Tensor x = batch.inputs();
            int[] s = imageBatchShape("randomCrop", x);
            int n = s[0], ch = s[1], h = s[2], w = s[3], plane = h * w;
            float[] in = x.contiguous().toFloatArray(), out = new float[in.length];
            for (int i = 0; i < n; i++) {
                // offset into the padded image, minus the padding: the shift of the source window
                int dy = gen.nextInt(2 * padding + 1) - padding, dx = gen.nextInt(2 * padding + 1) - padding;
                int c0 = Math.max(0, -dx), c1 = Math.min(w, w - dx);
                for (int c = 0; c < ch; c++) {
                    int base = (i * ch + c) * plane;
                    for (int r = 0; r < h; r++) {
                        int sr = r + dy;
                        if (sr < 0 || sr >= h || c1 <= c0) continue; // stays zero
                        System.arraycopy(in, base + sr * w + c0 + dx, out, base + r * w + c0, c1 - c0);
                    }
                }
            }
            return new Batch(TensorData.wrap(out, x.shape()), batch.targets());
        };
    }

    /** Applies the transforms in order, each with its own draws from the batch's generator. */
    public static BatchTransform compose(BatchTransform... transforms) {
        BatchTransform[] ts = transforms.clone();
        return (batch, gen) -> {
            Batch b = batch;
            for (BatchTransform t : ts) b = t.apply(b, gen);
            return b;
        };
    }

    private static int[] imageBatchShape(String op, Tensor x) {
        if (x.dim() != 4)
            throw new IllegalArgumentException(op + ": expected an image batch [N, C, H, W], got shape " + Shape.str(x.shape()));
        return x.shape();
    }
}
