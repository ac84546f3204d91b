package org.jgrad.io;

import java.util.Locale;

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

    /** PyTorch's dtype name, e.g. {@code torch.bfloat16}, for messages. */
    String dtypeName() {
        return switch (this) {
            case FloatStorage -> "torch.float32";
            case DoubleStorage -> "torch.float64";
            case HalfStorage -> "torch.float16";
            case BFloat16Storage -> "torch.bfloat16";
            case LongStorage -> "torch.int64";
            case IntStorage -> "torch.int32";
            case ShortStorage -> "torch.int16";
            case CharStorage -> "torch.int8";
            case ByteStorage -> "torch.uint8";
            case BoolStorage -> "torch.bool";
        };
    }

    @Override
    public String toString() {
        return "torch." + name() + " (" + dtypeName().toLowerCase(Locale.ROOT) + ")";
    }
}
