package org.jgrad.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.jgrad.data.Sample;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Sample {@code i} of a seeded classification problem, computed wherever it is asked for (on an
 * executor, or in the test for the single-machine run): Gaussian inputs, a class that depends on them.
 */
final class SyntheticSamples implements Function<Long, Sample> {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private final int in, classes;

    SyntheticSamples(long seed, int in, int classes) {
        this.seed = seed;
        this.in = in;
        this.classes = classes;
    }

    @Override
    public Sample call(Long i) {
        Tensor x = Tensor.randn(new Generator(seed * 1_000_003L + i), in);
        float[] v = x.toFloatArray();
        int c = (int) Math.floorMod((long) Math.floor(v[0] * 2 + v[1]), (long) classes);
        return new Sample(x, TensorData.wrapLongs(new long[] {c}));
    }

    List<Sample> all(int n) {
        List<Sample> out = new ArrayList<>();
        for (long i = 0; i < n; i++) out.add(call(i));
        return out;
    }

    static List<Long> indices(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) out.add(i);
        return out;
    }
}
