package org.jgrad.io;

/**
 * The {@code torch.*Storage} types a checkpoint's tensors may live in, with their element size and the
 * jgrad dtype they load as: floating types become float32 ({@code DoubleStorage} rounded to nearest),
 * integer and bool types become int64 (value-preserving).
 */
enum TorchStorageType {
    FloatStorage(4, true), DoubleStorage(8, true), HalfStorage(2, true), BFloat16Storage(2, true),
    LongStorage(8, false), IntStorage(4, false), ShortStorage(2, false), CharStorage(1, false),
    ByteStorage(1, false), BoolStorage(1, false);

    final int size;
    final boolean isFloat;

    TorchStorageType(int size, boolean isFloat) {
        this.size = size;
        this.isFloat = isFloat;
    }

    /** The type {@code torch.<name>}, or null if jgrad does not read it. */
    static TorchStorageType byName(String name) {
        for (TorchStorageType t : values()) if (t.name().equals(name)) return t;
        return null;
    }

    @Override
    public String toString() {
        return "torch." + name();
    }
}
