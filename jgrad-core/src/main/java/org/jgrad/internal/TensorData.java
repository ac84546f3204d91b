package org.jgrad.internal;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;
import org.jgrad.tensor.Tensor;

/**
 * The raw elements behind a {@link Tensor}, for jgrad's own ops, readers and writers — not part of the
 * API. The package is exported only to jgrad's modules (module-info.java); a user's code moves data in
 * and out by copying ({@code Tensor.fromArray}, {@code toFloatArray}, {@code copyTo}).
 *
 * <p>A tensor is a {@link Storage} handle plus shape, strides and offset. {@link #storage} hands out
 * that handle, which is what an op passes to {@code Backends.current()}; {@link #floats} and
 * {@link #longs} unwrap the CPU backends' heap storages for the code that still loops over arrays
 * (readers, writers, kernels' callers).
 *
 * <p>{@code Tensor} keeps its storage private and installs an {@link Access} here when its class is
 * initialized (the JDK's "shared secrets" pattern), so that this accessor can live in a package that
 * users cannot reach without making the storage public in {@code org.jgrad.tensor}.
 */
public final class TensorData {
    private TensorData() {}

    /** What {@code Tensor} lets this class do; implemented once, inside {@code org.jgrad.tensor}. */
    public interface Access {
        /** The storage handle a tensor views (shared, not a copy). */
        Storage storage(Tensor t);

        /** See {@link TensorData#gradTargetStorage}. */
        Storage gradTarget(Tensor t);

        /** See {@link TensorData#takeSpareGradStorage}. */
        Storage spareGrad(Tensor t);

        /** See {@link TensorData#peekGrad}. */
        Tensor peekGrad(Tensor t);

        /** A contiguous tensor over {@code s} (float32 or int64 by its type), no copy. */
        Tensor wrap(Storage s, int[] shape);

        /** See {@link TensorData#wrapGradient(Storage, int...)}. */
        Tensor wrapGradient(Storage s, int[] shape);
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

    /** The storage handle {@code t} views (the tensor's own, not a copy): what an op hands to a backend. */
    public static Storage storage(Tensor t) {
        return access.storage(t);
    }

    /**
     * The float32 storage array that {@code t} views (shared, not a copy): element (i, j, …) is at
     * {@code t.offset() + Σ index·stride}. Throws {@link IllegalStateException} for an int64 tensor,
     * and for a storage that is not a CPU heap array.
     */
    public static float[] floats(Tensor t) {
        Storage s = access.storage(t);
        if (s instanceof FloatStorage f) return f.array();
        throw notHeap("storage", t, s, "float32");
    }

    /** The int64 storage array of an int64 tensor (shared). Throws for a float32 tensor. */
    public static long[] longs(Tensor t) {
        Storage s = access.storage(t);
        if (s instanceof LongStorage l) return l.array();
        throw notHeap("longStorage", t, s, "int64");
    }

    private static IllegalStateException notHeap(String what, Tensor t, Storage s, String wanted) {
        if (!s.dtype().equals(wanted))
            return new IllegalStateException(what + ": tensor is " + t.dtype().pyName() + ", not " + wanted);
        return new IllegalStateException(what + ": the tensor's " + s.dtype() + " storage is a " + s.getClass().getName()
                + ", not a CPU heap array");
    }

    /**
     * The storage of leaf {@code t}'s {@code .grad} when a backward may add its gradient straight into
     * it with the same result as {@code accumulateGrad}'s in-place sum, else null (the backward then
     * returns its gradient as usual). The gradient then starts at offset 0 and fills the storage.
     */
    public static Storage gradTargetStorage(Tensor t) {
        return access.gradTarget(t);
    }

    /**
     * For a backward computing leaf {@code t}'s gradient while {@code t} has none: the storage of the
     * gradient that {@code zeroGrad()} cleared, when nobody outside jgrad could hold it and it is a dense
     * float32 array of {@code t}'s shape; else null. The caller writes the whole gradient into it (its
     * contents are stale; a GEMM with beta 0) and returns {@code wrapGradient} over it. Handed out once.
     * A weight gradient then reuses last step's storage instead of a new array the JVM zeroes first.
     */
    public static Storage takeSpareGradStorage(Tensor t) {
        return access.spareGrad(t);
    }

    /**
     * {@code t.grad()} for jgrad's own optimizers and clipping, which read or update the gradient in place
     * and keep no reference to it: unlike {@code grad()}, this does not count as handing the gradient out,
     * so {@code zeroGrad()} may still recycle its storage (see {@link #takeSpareGradStorage}).
     */
    public static Tensor peekGrad(Tensor t) {
        return access.peekGrad(t);
    }

    /**
     * A contiguous float32 tensor over {@code data} without copying; the caller must not use the array
     * for anything else afterwards. Throws when the length does not fill the shape.
     */
    public static Tensor wrap(float[] data, int... shape) {
        return access.wrap(FloatStorage.wrap(data), shape);
    }

    /**
     * {@link #wrap} for a gradient a backward function computed into a new array that nothing else
     * references: the engine may make this very tensor a leaf's {@code .grad} instead of copying it.
     */
    public static Tensor wrapGradient(float[] data, int... shape) {
        return access.wrapGradient(FloatStorage.wrap(data), shape);
    }

    /** A contiguous int64 tensor over {@code data} without copying. */
    public static Tensor wrapLongs(long[] data, int... shape) {
        return access.wrap(LongStorage.wrap(data), shape);
    }

    /**
     * A contiguous tensor over a storage a backend returned, without copying; float32 or int64 by the
     * storage's type. Throws when the storage's length does not fill the shape.
     */
    public static Tensor wrap(Storage s, int... shape) {
        return access.wrap(s, shape);
    }

    /** {@link #wrapGradient(float[], int...)} over a float32 storage a backend returned. */
    public static Tensor wrapGradient(Storage s, int... shape) {
        return access.wrapGradient(s, shape);
    }
}
