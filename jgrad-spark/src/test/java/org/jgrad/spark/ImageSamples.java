package org.jgrad.spark;

import org.apache.spark.api.java.function.Function;
import org.jgrad.data.Sample;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/** Seeded random 3×32×32 images with labels 0–9, made on the executors (benchmark data). */
final class ImageSamples implements Function<Long, Sample> {
    private static final long serialVersionUID = 1L;

    @Override
    public Sample call(Long i) {
        return new Sample(Tensor.randn(new Generator(77 + i), 3, 32, 32), TensorData.wrapLongs(new long[] {i % 10}));
    }
}
