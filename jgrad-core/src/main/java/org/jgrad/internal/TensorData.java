package org.jgrad.internal;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * The raw elements behind a {@link Tensor}, for jgrad's own kernels, readers and writers — not part
 * of the API. The package is exported only to jgrad's modules (module-info.java); a user's code moves
 * data in and out by copying ({@code Tensor.fromArray}, {@code toFloatArray}, {@code copyTo}).
 *
 * <p>{@code Tensor} keeps its storage private and installs an {@link Access} here when its class is
 * initialized (the JDK's "shared secrets" pattern), so that this accessor can live in a package that
 * users cannot reach without making the storage public in {@code org.jgrad.tensor}.
 */
public final class TensorData {
    private TensorData() {}

    /** What {@code Tensor} lets this class do; implemented once, inside {@code Tensor}. */
    public interface Access {
        /** The float32 elements a tensor views (shared, not a copy). */
        float[] floats(Tensor t);

        /** The int64 elements a tensor views (shared). */
        long[] longs(Tensor t);

        /** See {@link TensorData#gradTarget}. */
        float[] gradTarget(Tensor t);

        /** A contiguous float32 tensor over {@code data}, no copy. */
        Tensor wrap(float[] data, int[] shape);

        /** See {@link TensorData#wrapGradient}. */
        Tensor wrapGradient(float[] data, int[] shape);

        /** A contiguous int64 tensor over {@code data}, no copy. */
        Tensor wrapLongs(long[] data, int[] shape);
    }

    private static Access access;

    static {
        // wrap() may be the first use of tensors in a JVM: make Tensor install its Access first.
        try {
            Class.forName(Tensor.class.getName(), true, TensorData.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Called once, by {@code Tensor}'s static initializer. */
    public static synchronized void install(Access a) {
        if (access != null) throw new IllegalStateException("TensorData: the tensor access is installed already");
        access = a;
    }

    /**
     * The storage handle {@code t} views: what an op hands to {@code Backends.current()}. (Transitional:
     * until {@code Tensor} holds its {@link Storage} itself, this wraps its array in a new handle.)
     */
    public static Storage storage(Tensor t) {
        return t.dtype() == DType.INT64 ? LongStorage.wrap(longs(t)) : FloatStorage.wrap(floats(t));
    }

    /**
     * The float32 storage array that {@code t} views (shared, not a copy): element (i, j, …) is at
     * {@code t.offset() + Σ index·stride}. Throws {@link IllegalStateException} for an int64 tensor.
     */
    public static float[] floats(Tensor t) {
        return access.floats(t);
    }

    /** The int64 storage array of an int64 tensor (shared). Throws for a float32 tensor. */
    public static long[] longs(Tensor t) {
        return access.longs(t);
    }

    /**
     * The array of leaf {@code t}'s {@code .grad} when a backward may add its gradient straight into
     * it with the same result as {@code accumulateGrad}'s in-place sum, else null (the backward then
     * returns its gradient as usual).
     */
    public static float[] gradTarget(Tensor t) {
        return access.gradTarget(t);
    }

    /**
     * A contiguous float32 tensor over {@code data} without copying; the caller must not use the array
     * for anything else afterwards. Throws when the length does not fill the shape.
     */
    public static Tensor wrap(float[] data, int... shape) {
        return access.wrap(data, shape);
    }

    /**
     * {@link #wrap} for a gradient a backward function computed into a new array that nothing else
     * references: the engine may make this very tensor a leaf's {@code .grad} instead of copying it.
     */
    public static Tensor wrapGradient(float[] data, int... shape) {
        return access.wrapGradient(data, shape);
    }

    /** A contiguous int64 tensor over {@code data} without copying. */
    public static Tensor wrapLongs(long[] data, int... shape) {
        return access.wrapLongs(data, shape);
    }

    /**
     * A contiguous tensor over a storage a backend returned, without copying; float32 or int64 by the
     * storage's type. (Transitional: CPU heap storages only, until {@code Tensor} holds a {@link Storage}.)
     */
    public static Tensor wrap(Storage s, int... shape) {
        if (s instanceof FloatStorage f) return wrap(f.array(), shape);
        if (s instanceof LongStorage l) return wrapLongs(l.array(), shape);
        throw new IllegalArgumentException("TensorData.wrap: a " + s.getClass().getName() + " is not a CPU heap storage");
    }

    /** {@link #wrapGradient(float[], int...)} over a float32 storage a backend returned. */
    public static Tensor wrapGradient(Storage s, int... shape) {
        if (s instanceof FloatStorage f) return wrapGradient(f.array(), shape);
        throw new IllegalArgumentException("TensorData.wrapGradient: a " + s.getClass().getName()
                + " is not a CPU float32 heap storage");
    }
}
