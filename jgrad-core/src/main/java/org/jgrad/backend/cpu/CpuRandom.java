package org.jgrad.backend.cpu;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.RandomBackend;
import org.jgrad.backend.RandomStream;
import org.jgrad.backend.Storage;

/**
 * {@link RandomBackend} on the CPU: heap storages filled straight from the stream. The loops stay here
 * rather than in {@code org.jgrad.kernels} because they draw from a {@link RandomStream}, which the
 * kernels (plain arrays only) do not know; each is one pass, with one monomorphic call per draw.
 */
final class CpuRandom implements RandomBackend {

    @Override
    public Storage uniform(RandomStream gen, int length, float low, float high) {
        float[] d = new float[length];
        for (int i = 0; i < length; i++) {
            float v = low + (high - low) * gen.nextFloat();
            // u < 1 but the product and sum round: low + (high-low)*u can land on high itself
            d[i] = v < high || high == low ? v : Math.nextDown(high);
        }
        return FloatStorage.wrap(d);
    }

    @Override
    public Storage normal(RandomStream gen, int length, float mean, float std) {
        float[] d = new float[length];
        for (int i = 0; i < length; i++) d[i] = (float) (mean + std * gen.nextGaussian());
        return FloatStorage.wrap(d);
    }

    @Override
    public void normalInto(RandomStream gen, Storage dst, int offset, int length, double mean, double std, double low,
            double high) {
        float[] d = CpuStorages.floats(dst);
        for (int i = offset; i < offset + length; i++) {
            double v;
            do v = mean + std * gen.nextGaussian(); while (v < low || v > high);
            d[i] = (float) v;
        }
    }

    @Override
    public Storage randint(RandomStream gen, int length, long low, long high) {
        long[] d = new long[length];
        long span = high - low;
        for (int i = 0; i < length; i++)
            d[i] = low + (span <= Integer.MAX_VALUE ? gen.nextInt((int) span) : Math.floorMod(gen.nextLong(), span));
        return LongStorage.wrap(d);
    }

    @Override
    public Storage randperm(RandomStream gen, int n) {
        long[] d = new long[n];
        for (int i = 0; i < n; i++) d[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            long t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return LongStorage.wrap(d);
    }

    @Override
    public Storage bernoulli(RandomStream gen, int length, float p, float below, float otherwise) {
        float[] d = new float[length];
        for (int i = 0; i < length; i++) d[i] = gen.nextFloat() < p ? below : otherwise;
        return FloatStorage.wrap(d);
    }
}
