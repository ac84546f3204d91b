package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;
import static org.jgrad.backend.cpu.CpuStorages.longs;

import java.util.Arrays;
import org.jgrad.backend.ElementwiseBackend;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.CompareSelect;
import org.jgrad.kernels.Elementwise;
import org.jgrad.kernels.Fills;
import org.jgrad.kernels.Parallel;
import org.jgrad.kernels.StridedCopy;
import org.jgrad.kernels.ViewLoops;

/** {@link ElementwiseBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuElementwise implements ElementwiseBackend {

    // ------------------------------------------------------------ for tensor/: fills, copies, gradient sums

    /** Elements per task of a split gradient accumulation. */
    private static final int ACCUMULATE_GRAIN = 1 << 17;

    @Override
    public Storage zeros(int length) {
        return FloatStorage.allocate(length);
    }

    @Override
    public Storage zerosLong(int length) {
        return LongStorage.allocate(length);
    }

    @Override
    public Storage full(int length, float value) {
        float[] d = new float[length];
        Arrays.fill(d, value);
        return FloatStorage.wrap(d);
    }

    @Override
    public Storage arange(int length, float start, float step) {
        float[] d = new float[length];
        Fills.arange(d, start, step);
        return FloatStorage.wrap(d);
    }

    @Override
    public Storage linspace(int steps, float start, float end) {
        float[] d = new float[steps];
        Fills.linspace(d, start, end);
        return FloatStorage.wrap(d);
    }

    @Override
    public Storage eye(int n, int m) {
        float[] d = new float[Math.multiplyExact(n, m)];
        Fills.eye(d, n, m);
        return FloatStorage.wrap(d);
    }

    @Override
    public float readFloat(Storage s, int index) {
        return s instanceof FloatStorage f ? f.array()[index] : (float) longs(s)[index];
    }

    @Override
    public long readLong(Storage s, int index) {
        return s instanceof LongStorage l ? l.array()[index] : (long) floats(s)[index];
    }

    @Override
    public void writeFloat(Storage s, int index, float value) {
        if (s instanceof FloatStorage f) f.array()[index] = value;
        else longs(s)[index] = (long) value;
    }

    @Override
    public void writeLong(Storage s, int index, long value) {
        if (s instanceof LongStorage l) l.array()[index] = value;
        else floats(s)[index] = value;
    }

    @Override
    public void copyToContiguous(Storage src, int offset, int[] shape, int[] strides, Storage dst, int dstOffset) {
        if (src instanceof FloatStorage f) {
            if (dst instanceof FloatStorage d) StridedCopy.toContiguous(f.array(), offset, shape, strides, d.array(), dstOffset);
            else ViewLoops.toContiguous(f.array(), offset, shape, strides, longs(dst), dstOffset);
        } else {
            long[] l = longs(src);
            if (dst instanceof LongStorage d) StridedCopy.toContiguous(l, offset, shape, strides, d.array(), dstOffset);
            else ViewLoops.toContiguous(l, offset, shape, strides, floats(dst), dstOffset);
        }
    }

    @Override
    public void fill(Storage dst, int offset, int[] shape, int[] strides, float value) {
        ViewLoops.fill(floats(dst), offset, shape, strides, value);
    }

    @Override
    public void copyFromContiguous(Storage dst, int offset, int[] shape, int[] strides, Storage src, int srcOffset) {
        ViewLoops.copyFromContiguous(floats(dst), offset, shape, strides, floats(src), srcOffset);
    }

    @Override
    public void addScaledFromContiguous(Storage dst, int offset, int[] shape, int[] strides, Storage src, int srcOffset,
            float alpha) {
        ViewLoops.addScaledFromContiguous(floats(dst), offset, shape, strides, floats(src), srcOffset, alpha);
    }

    @Override
    public void scale(Storage dst, int offset, int[] shape, int[] strides, float factor) {
        ViewLoops.scale(floats(dst), offset, shape, strides, factor);
    }

    @Override
    public void accumulate(Storage dst, int dstOffset, Storage src, int srcOffset, int length) {
        // Large sums are split across the pool: the add is bound by memory, which two cores draw
        // faster than one (ResNet-18 adds 11M floats per step; a 512x512x3x3 gradient took 212
        // instead of 440 us).
        float[] gd = floats(dst), sd = floats(src);
        Parallel.forRange(length, ACCUMULATE_GRAIN, (a, b) -> Elementwise.row(
                Elementwise.Binary.ADD, gd, dstOffset + a, 1, sd, srcOffset + a, 1, gd, dstOffset + a, b - a));
    }

    @Override
    public boolean allClose(Storage a, int aOffset, Storage b, int bOffset, int length, float rtol, float atol) {
        return ViewLoops.allClose(floats(a), aOffset, floats(b), bOffset, length, rtol, atol);
    }


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
