package org.jgrad.tensor;

import static org.jgrad.tensor.TensorBackends.elementwise;
import static org.jgrad.tensor.TensorBackends.random;

import java.util.function.IntFunction;
import org.jgrad.backend.Storage;

/**
 * How {@link Tensor}'s factories build their tensors: argument checks, a storage from the backend
 * (allocated, filled or drawn from a generator), and the wrap. Tensor's static methods call these.
 */
final class TensorFactories {
    private TensorFactories() {}

    static Tensor fromArray(float[] data, int[] shape) {
        int n = Shape.numel("fromArray", shape);
        if (data.length != n)
            throw new IllegalArgumentException("fromArray: " + data.length + " values do not fill shape " + Shape.str(shape)
                    + " (" + n + " elements)");
        return Tensor.wrap(data.clone(), shape);
    }

    static Tensor of(float[] values) {
        return values.length == 1 ? scalar(values[0]) : Tensor.wrap(values.clone(), values.length);
    }

    static Tensor of(float[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c)
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, expected " + c);
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return Tensor.wrap(d, r, c);
    }

    static Tensor scalar(float value) {
        return Tensor.wrap(new float[] {value});
    }

    static Tensor ofLongs(long[] values) {
        return Tensor.wrapLongs(values.clone(), values.length);
    }

    /**
     * Runs an allocation for {@code shape}, failing with a message that says what was asked for and
     * what the heap allows: a model too large for the JVM should read as that, not as a bare
     * "Java heap space" from deep inside a layer's constructor.
     */
    private static Storage allocate(String op, int[] shape, int bytesPerElement, IntFunction<Storage> alloc) {
        int n = Shape.numel(op, shape);
        try {
            return alloc.apply(n);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(op, shape, (long) bytesPerElement * n, e);
        }
    }

    private static OutOfMemoryError outOfMemory(String op, int[] shape, long bytes, OutOfMemoryError cause) {
        long max = Runtime.getRuntime().maxMemory();
        OutOfMemoryError e = new OutOfMemoryError(op + ": shape " + Shape.str(shape) + " needs " + (bytes >> 20)
                + " MiB, which the JVM heap (max " + (max >> 20) + " MiB) cannot provide; raise -Xmx (JGRAD_JAVA_OPTS"
                + " for the jgrad command) or make the model or batch smaller");
        e.initCause(cause);
        return e;
    }

    static Tensor zeros(int[] shape) {
        return Tensor.wrap(allocate("zeros", shape, 4, n -> elementwise().zeros(n)), shape);
    }

    static Tensor zerosLong(int[] shape) {
        return Tensor.wrap(allocate("zerosLong", shape, 8, n -> elementwise().zerosLong(n)), shape);
    }

    static Tensor full(float value, int[] shape) {
        return Tensor.wrap(allocate("full", shape, 4, n -> elementwise().full(n, value)), shape);
    }

    static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step)) throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        if (!Float.isFinite(start) || !Float.isFinite(end))
            throw new IllegalArgumentException("arange: unsupported range " + start + " -> " + end);
        if ((end - start) / step < 0)
            throw new IllegalArgumentException("arange: upper bound " + end + " and lower bound " + start
                    + " are inconsistent with step sign " + step);
        double count = Math.ceil(((double) end - start) / step);
        if (count > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("arange: range " + start + " -> " + end + " with step " + step
                    + " has too many elements (" + (long) count + ")");
        int n = (int) count;
        return Tensor.wrap(elementwise().arange(n, start, step), n);
    }

    static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        return Tensor.wrap(elementwise().linspace(steps, start, end), steps);
    }

    static Tensor eye(int n, int m) {
        Shape.numel("eye", new int[] {n, m});
        return Tensor.wrap(elementwise().eye(n, m), n, m);
    }

    static Tensor uniform(Generator gen, float low, float high, int[] shape) {
        if (!(high >= low)) throw new IllegalArgumentException("uniform: expected low <= high, got " + low + " > " + high);
        return Tensor.wrap(allocate("uniform", shape, 4, n -> random().uniform(gen.stream(), n, low, high)), shape);
    }

    static Tensor normal(Generator gen, float mean, float std, int[] shape) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        return Tensor.wrap(allocate("normal", shape, 4, n -> random().normal(gen.stream(), n, mean, std)), shape);
    }

    static Tensor randint(Generator gen, long low, long high, int[] shape) {
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high, got " + low + " >= " + high);
        return Tensor.wrap(random().randint(gen.stream(), Shape.numel("randint", shape), low, high), shape);
    }

    static Tensor randperm(Generator gen, int n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        return Tensor.wrap(random().randperm(gen.stream(), n), n);
    }

    static Tensor bernoulli(Generator gen, float p, int[] shape) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        return Tensor.wrap(allocate("bernoulli", shape, 4, n -> random().bernoulli(gen.stream(), n, p, 1f, 0f)), shape);
    }
}
