package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.ReductionBackend;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.ReductionLoops;

/** {@link ReductionBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuReduction implements ReductionBackend {

    @Override
    public Storage sumLeading(Storage x, int xOff, int rows, int cols) {
        float[] out = new float[cols];
        ReductionLoops.sumLeading(floats(x), xOff, rows, cols, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage sumRows(Storage x, int xOff, int rows, int len) {
        float[] out = new float[rows];
        ReductionLoops.sumRows(floats(x), xOff, rows, len, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public ValuesIndices extremeRows(Storage x, int xOff, int rows, int len, boolean isMax) {
        float[] v = new float[rows];
        long[] ix = new long[rows];
        ReductionLoops.extremeRows(floats(x), xOff, rows, len, isMax, v, ix);
        return new ValuesIndices(FloatStorage.wrap(v), LongStorage.wrap(ix));
    }

    @Override
    public Storage shareAmongTies(Storage x, int xOff, int n, float best, float g) {
        float[] out = new float[n];
        ReductionLoops.shareAmongTies(floats(x), xOff, n, best, g, out);
        return FloatStorage.wrap(out);
    }
}
