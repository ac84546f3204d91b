package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;
import static org.jgrad.backend.cpu.CpuStorages.longs;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.IndexBackend;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.EmbeddingBags;
import org.jgrad.kernels.EmbeddingRows;
import org.jgrad.kernels.IndexLoops;

/** {@link IndexBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuIndex implements IndexBackend {

    private static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    @Override
    public Storage gather(Storage x, int xOff, int[] xShape, int dim, Storage index, int indexOff, int[] indexShape) {
        float[] out = new float[numel(indexShape)];
        IndexLoops.gather(floats(x), xOff, xShape, dim, longs(index), indexOff, indexShape, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage scatterAdd(int[] shape, int dim, Storage index, int indexOff, int[] indexShape, Storage src, int srcOff) {
        float[] out = new float[numel(shape)];
        IndexLoops.scatterAdd(floats(src), srcOff, shape, dim, longs(index), indexOff, indexShape, numel(indexShape), out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage indexSelect(Storage x, int xOff, int outer, int size, int inner, Storage index, int indexOff, int count) {
        if (x instanceof LongStorage l) {
            long[] dst = new long[outer * count * inner];
            IndexLoops.indexSelect(l.array(), xOff, outer, size, inner, longs(index), indexOff, count, dst);
            return LongStorage.wrap(dst);
        }
        float[] dst = new float[outer * count * inner];
        IndexLoops.indexSelect(floats(x), xOff, outer, size, inner, longs(index), indexOff, count, dst);
        return FloatStorage.wrap(dst);
    }

    @Override
    public Storage indexSelectBackward(Storage g, int gOff, int outer, int size, int inner, Storage index, int indexOff,
            int count) {
        float[] gx = new float[outer * size * inner];
        IndexLoops.indexSelectBackward(floats(g), gOff, outer, size, inner, longs(index), indexOff, count, gx);
        return FloatStorage.wrap(gx);
    }

    @Override
    public void copyRows(Storage src, int srcOff, int srcStride, Storage dst, int dstOff, int dstStride, int rows, int len) {
        Object s = src instanceof LongStorage l ? l.array() : floats(src);
        Object d = dst instanceof LongStorage l ? l.array() : floats(dst);
        IndexLoops.copyRows(s, srcOff, srcStride, d, dstOff, dstStride, rows, len);
    }

    @Override
    public Storage oneHot(Storage labels, int labelsOff, int n, int classes) {
        float[] out = new float[n * classes];
        IndexLoops.oneHot(longs(labels), labelsOff, n, classes, out);
        return FloatStorage.wrap(out);
    }

    /** {@code n} indices from {@code off}: the array itself when it is exactly those, else a copy. */
    private static long[] indices(Storage index, int off, int n) {
        long[] a = longs(index);
        return off == 0 && a.length == n ? a : java.util.Arrays.copyOfRange(a, off, off + n);
    }

    @Override
    public void embeddingGather(Storage table, int tableOff, int dim, Storage index, int indexOff, int n, Storage out) {
        EmbeddingRows.gather(floats(table), tableOff, dim, indices(index, indexOff, n), floats(out));
    }

    @Override
    public void embeddingScatterAdd(Storage g, int gOff, int dim, Storage index, int indexOff, int n, long paddingIdx,
            Storage grad) {
        EmbeddingRows.scatterAdd(floats(g), gOff, dim, indices(index, indexOff, n), paddingIdx, floats(grad));
    }

    @Override
    public void embeddingRenorm(Storage table, int tableOff, int dim, Storage index, int indexOff, int n, double maxNorm,
            double normType) {
        EmbeddingRows.renorm(floats(table), tableOff, dim, indices(index, indexOff, n), maxNorm, normType);
    }

    private static int bagMode(BagMode mode) {
        return switch (mode) {
            case SUM -> EmbeddingBags.SUM;
            case MEAN -> EmbeddingBags.MEAN;
            case MAX -> EmbeddingBags.MAX;
        };
    }

    @Override
    public void embeddingBag(Storage table, int tableOff, int dim, Storage index, int indexOff, int n, int[] bagStarts,
            Storage weights, int wOff, BagMode mode, long paddingIdx, Storage out, int[] count, int[] argmax) {
        EmbeddingBags.forward(floats(table), tableOff, dim, indices(index, indexOff, n), bagStarts, floats(weights), wOff,
                bagMode(mode), paddingIdx, floats(out), count, argmax);
    }

    @Override
    public void embeddingBagBackwardTable(Storage g, int gOff, int dim, Storage index, int indexOff, int n, int[] bagStarts,
            Storage weights, int wOff, BagMode mode, long paddingIdx, int[] count, int[] argmax, Storage grad) {
        EmbeddingBags.backwardTable(floats(g), gOff, dim, indices(index, indexOff, n), bagStarts, floats(weights), wOff,
                bagMode(mode), paddingIdx, count, argmax, floats(grad));
    }

    @Override
    public void embeddingBagBackwardWeights(Storage g, int gOff, Storage table, int tableOff, int dim, Storage index,
            int indexOff, int n, int[] bagStarts, long paddingIdx, Storage out) {
        EmbeddingBags.backwardWeights(floats(g), gOff, floats(table), tableOff, dim, indices(index, indexOff, n), bagStarts,
                paddingIdx, floats(out));
    }
}
