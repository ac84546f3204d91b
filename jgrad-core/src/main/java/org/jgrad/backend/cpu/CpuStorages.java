package org.jgrad.backend.cpu;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;

/** The arrays behind the CPU backends' storages, with an error naming what was handed over instead. */
final class CpuStorages {
    private CpuStorages() {}

    /** The float32 array of a CPU heap storage; null for null (an optional operand). */
    static float[] floats(Storage s) {
        if (s == null) return null;
        if (s instanceof FloatStorage f) return f.array();
        throw new IllegalArgumentException("cpu backend: expected a float32 heap storage, got a " + s.dtype() + " "
                + s.getClass().getName());
    }

    /** The int64 array of a CPU heap storage; null for null. */
    static long[] longs(Storage s) {
        if (s == null) return null;
        if (s instanceof LongStorage l) return l.array();
        throw new IllegalArgumentException("cpu backend: expected an int64 heap storage, got a " + s.dtype() + " "
                + s.getClass().getName());
    }
}
