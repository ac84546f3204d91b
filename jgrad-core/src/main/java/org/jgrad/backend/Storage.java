package org.jgrad.backend;

/**
 * A tensor's elements, wherever a backend keeps them: a handle, not the data. A {@code Tensor} is a
 * storage plus shape, strides and offset; views share one storage. The CPU backends keep elements in
 * Java arrays ({@link FloatStorage}, {@link LongStorage}); another backend (off-heap, memory-mapped,
 * a device) brings its own implementation and is handed back only storages it made.
 */
public interface Storage {
    /** The number of elements. */
    int length();

    /** The element type: {@code "float32"} or {@code "int64"} (PyTorch's names). */
    String dtype();
}
