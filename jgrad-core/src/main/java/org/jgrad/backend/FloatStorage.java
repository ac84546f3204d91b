package org.jgrad.backend;

/** float32 elements in a Java array: the CPU backends' storage. */
public final class FloatStorage implements Storage {
    private final float[] array;

    private FloatStorage(float[] array) {
        this.array = array;
    }

    /** A storage over {@code array}, not a copy: whoever wraps it hands the array over. */
    public static FloatStorage wrap(float[] array) {
        if (array == null) throw new NullPointerException("FloatStorage.wrap: array is null");
        return new FloatStorage(array);
    }

    /** A zero-filled storage of {@code length} elements. */
    public static FloatStorage allocate(int length) {
        if (length < 0) throw new IllegalArgumentException("FloatStorage.allocate: negative length " + length);
        return new FloatStorage(new float[length]);
    }

    /** The array itself (shared): for CPU kernels, readers and writers only. */
    public float[] array() {
        return array;
    }

    @Override
    public int length() {
        return array.length;
    }

    @Override
    public String dtype() {
        return "float32";
    }
}
