package org.jgrad.vision.features;

import org.jgrad.backend.ThreadPool;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/** Features of whole batches and datasets of images, computed on every core. */
public final class Features {
    private Features() {}

    /**
     * The features {@code [N, D]} of images {@code [N, H, W]} (grey) or {@code [N, C, H, W]}: for this
     * package's features one image per task on jgrad's thread pool ({@link ThreadPool}), for any other
     * {@link ImageFeature} its {@code apply} on each image in turn.
     *
     * @throws IllegalArgumentException if the images are empty or the feature cannot take them
     */
    public static Tensor extract(ImageFeature feature, Tensor images) {
        ImageShape s = ImageShape.ofBatch(feature.name(), images);
        int d = feature.length(s.channels(), s.height(), s.width());
        long total = (long) s.count() * d;
        if (total > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(feature.name() + ": " + s.count() + " images of " + d
                    + " features each are more than one tensor holds; extract them in parts");
        float[] out = new float[(int) total];
        if (feature instanceof ArrayImageFeature f) {
            float[] x = images.detach().contiguous().toFloatArray();
            int px = s.pixels();
            ThreadPool.forRange(s.count(), 16, (from, to) -> {
                for (int i = from; i < to; i++) f.extract(x, i * px, s.channels(), s.height(), s.width(), out, i * d);
            });
        } else {
            // A feature written elsewhere sees each image as a tensor ([C, H, W], or [H, W] from a grey
            // batch [N, H, W]), one after the other: its tensor ops parallelise on their own.
            for (int i = 0; i < s.count(); i++) {
                Tensor v = feature.apply(images.select(0, i));
                if (v.numel() != d)
                    throw new IllegalArgumentException(feature.name() + ": image " + i + " gave " + v.numel()
                            + " values, not the " + d + " its length says");
                v.contiguous().copyTo(out, i * d);
            }
        }
        return TensorData.wrap(out, s.count(), d);
    }

    /**
     * A dataset of feature vectors {@code [N, D]} with the same targets, computed now (use
     * {@code dataset.map(feature)} to compute them lazily as samples are read instead).
     */
    public static TensorDataset extract(ImageFeature feature, TensorDataset images) {
        return new TensorDataset(extract(feature, images.inputTensor()), images.targetTensor());
    }
}
