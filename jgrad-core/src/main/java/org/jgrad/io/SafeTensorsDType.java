package org.jgrad.io;

/** The file dtypes jgrad reads; {@code rank} is the reference writer's sort order (by alignment). */
enum SafeTensorsDType {
    BOOL(1, 0), U8(1, 1), I8(1, 2), I16(2, 5), U16(2, 6), F16(2, 7), BF16(2, 8),
    I32(4, 9), U32(4, 10), F32(4, 11), F64(8, 12), I64(8, 13);

    final int size;
    final int rank;

    SafeTensorsDType(int size, int rank) {
        this.size = size;
        this.rank = rank;
    }

    boolean isFloat() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }
}
