package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;

import org.jgrad.backend.ElementwiseBackend;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.CompareSelect;
import org.jgrad.kernels.Elementwise;
import org.jgrad.kernels.StridedCopy;

/** {@link ElementwiseBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuElementwise implements ElementwiseBackend {

    // ------------------------------------------------------------ for tensor/: fills, copies, gradient sums


    // ------------------------------------------------------------ for ops/: arithmetic, comparisons, where

    private static final Elementwise.Binary[] BINARY = new Elementwise.Binary[Binary.values().length];
    private static final Elementwise.Unary[] UNARY = new Elementwise.Unary[Unary.values().length];
    private static final CompareSelect.Compare[] COMPARE = new CompareSelect.Compare[Compare.values().length];

    static {
        for (Binary b : Binary.values()) BINARY[b.ordinal()] = Elementwise.Binary.valueOf(b.name());
        for (Unary u : Unary.values()) UNARY[u.ordinal()] = Elementwise.Unary.valueOf(u.name());
        for (Compare c : Compare.values()) COMPARE[c.ordinal()] = CompareSelect.Compare.valueOf(c.name());
    }

    @Override
    public Storage binary(Binary op, int[] shape, Storage a, int aOff, int[] aStrides, Storage b, int bOff, int[] bStrides) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] out = new float[n];
        Elementwise.binary(BINARY[op.ordinal()], shape, floats(a), aOff, aStrides, floats(b), bOff, bStrides, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage contiguousCopy(Storage src, int offset, int[] shape, int[] strides) {
        int n = 1;
        for (int s : shape) n *= s;
        if (src instanceof LongStorage l) {
            long[] dst = new long[n];
            StridedCopy.toContiguous(l.array(), offset, shape, strides, dst, 0);
            return LongStorage.wrap(dst);
        }
        float[] dst = new float[n];
        StridedCopy.toContiguous(floats(src), offset, shape, strides, dst, 0);
        return FloatStorage.wrap(dst);
    }

    @Override
    public Storage unary(Unary op, Storage x, int xOff, int n) {
        float[] out = new float[n];
        Elementwise.unary(UNARY[op.ordinal()], floats(x), xOff, out, 0, n);
        return FloatStorage.wrap(out);
    }

    @Override
    public void unaryInPlace(Unary op, Storage x, int xOff, int n) {
        float[] a = floats(x);
        Elementwise.unary(UNARY[op.ordinal()], a, xOff, a, xOff, n);
    }

    @Override
    public Storage reluBackward(Storage g, int gOff, Storage y, int yOff, int n) {
        float[] gi = new float[n];
        Elementwise.reluBackward(floats(g), gOff, floats(y), yOff, gi, 0, n);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage clamp(Storage x, int xOff, int n, float min, float max) {
        float[] out = new float[n];
        CompareSelect.clamp(floats(x), xOff, n, min, max, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage compare(Compare cmp, Storage a, int aOff, Storage b, int bOff, int n) {
        float[] out = new float[n];
        CompareSelect.compare(COMPARE[cmp.ordinal()], floats(a), aOff, floats(b), bOff, n, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage where(Storage cond, int cOff, Storage a, int aOff, Storage b, int bOff, int n) {
        float[] out = new float[n];
        CompareSelect.where(floats(cond), cOff, floats(a), aOff, floats(b), bOff, n, out);
        return FloatStorage.wrap(out);
    }
}
