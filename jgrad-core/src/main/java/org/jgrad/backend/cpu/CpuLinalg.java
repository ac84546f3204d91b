package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.BiasRows;
import org.jgrad.kernels.Gemm;
import org.jgrad.kernels.PairwiseDistances;
import org.jgrad.kernels.Recurrent;

/** {@link LinalgBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuLinalg implements LinalgBackend {

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int aOff, int lda,
            Storage b, int bOff, int ldb, float beta, Storage c, int cOff, int ldc) {
        Gemm.sgemm(transA, transB, m, n, k, alpha, floats(a), aOff, lda, floats(b), bOff, ldb, beta, floats(c), cOff, ldc);
    }

    @Override
    public Storage matmul(boolean transA, boolean transB, int m, int n, int k, Storage a, int aOff, int lda, Storage b,
            int bOff, int ldb) {
        Gemm.aboutToMultiply(m, n, k); // a split product's workers wake while the output is zeroed
        float[] out = new float[m * n];
        Gemm.sgemm(transA, transB, m, n, k, 1f, floats(a), aOff, lda, floats(b), bOff, ldb, 0f, out, 0, n);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage batchedMatmul(boolean transA, boolean transB, int m, int n, int k, Storage a, int[] aOffsets, int lda,
            Storage b, int[] bOffsets, int ldb) {
        int batches = aOffsets.length;
        float[] out = new float[batches * m * n];
        float[] ad = floats(a), bd = floats(b);
        for (int bi = 0; bi < batches; bi++)
            Gemm.sgemm(transA, transB, m, n, k, 1f, ad, aOffsets[bi], lda, bd, bOffsets[bi], ldb, 0f, out, bi * m * n, n);
        return FloatStorage.wrap(out);
    }

    @Override
    public void biasRelu(Storage out, int rows, int n, Storage bias, int biasOff, int biasStride, boolean relu) {
        BiasRows.addRows(floats(out), rows, n, floats(bias), biasOff, biasStride, relu);
    }

    private static final Recurrent.Cell[] CELLS = new Recurrent.Cell[RecurrentCell.values().length];

    static {
        for (RecurrentCell c : RecurrentCell.values()) CELLS[c.ordinal()] = Recurrent.Cell.valueOf(c.name());
    }

    @Override
    public void recurrentForward(RecurrentCell cell, int T, int B, int H, Storage xp, int xpOff, Storage whh, int whhOff,
            Storage bhh, int bhhOff, Storage h0, int h0Off, Storage c0, int c0Off, int[] lengths, boolean reverse, Storage y,
            Storage acts, Storage hPrev, Storage cPrev, Storage hn) {
        Recurrent.forward(CELLS[cell.ordinal()], T, B, H, floats(xp), xpOff, floats(whh), whhOff, floats(bhh), bhhOff,
                floats(h0), h0Off, floats(c0), c0Off, lengths, reverse, floats(y), floats(acts), floats(hPrev), floats(cPrev),
                floats(hn));
    }

    @Override
    public void recurrentBackward(RecurrentCell cell, int T, int B, int H, Storage gy, int gyOff, Storage whh, int whhOff,
            int[] lengths, boolean reverse, Storage acts, Storage hPrev, Storage cPrev, Storage hn, Storage dxp, Storage dh0,
            Storage dc0, Storage dwhh, Storage dbhh) {
        Recurrent.backward(CELLS[cell.ordinal()], T, B, H, floats(gy), gyOff, floats(whh), whhOff, lengths, reverse,
                floats(acts), floats(hPrev), floats(cPrev), floats(hn), floats(dxp), floats(dh0), floats(dc0), floats(dwhh),
                floats(dbhh));
    }

    // ------------------------------------------------------------------ pairwise distances (vision.classic's k-NN)

    @Override
    public void l1Distances(Storage q, int q0, int q1, Storage t, int t0, int t1, int d, Storage out, int ldo) {
        PairwiseDistances.l1(floats(q), q0, q1, floats(t), t0, t1, d, floats(out), ldo);
    }
}
