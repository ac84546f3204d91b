package org.jgrad.backend;

/** int64 elements (labels, indices) in a Java array. */
public final class LongStorage implements Storage {
    private final long[] array;

    private LongStorage(long[] array) {
        this.array = array;
    }

    /** A storage over {@code array}, not a copy. */
    public static LongStorage wrap(long[] array) {
        if (array == null) throw new NullPointerException("LongStorage.wrap: array is null");
        return new LongStorage(array);
    }

    /** A zero-filled storage of {@code length} elements. */
    public static LongStorage allocate(int length) {
        if (length < 0) throw new IllegalArgumentException("LongStorage.allocate: negative length " + length);
        return new LongStorage(new long[length]);
    }

    /** The array itself (shared): for CPU kernels, readers and writers only. */
    public long[] array() {
        return array;
    }

    @Override
    public int length() {
        return array.length;
    }

    @Override
    public String dtype() {
        return "int64";
    }
}
