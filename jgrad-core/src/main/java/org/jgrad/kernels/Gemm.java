package org.jgrad.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op transposes when asked.
 *
 * <p>op(A) is m×k, op(B) is k×n, C is m×n. {@code lda}, {@code ldb}, {@code ldc} are the row strides
 * of A, B, C as stored (before the transpose). As in BLAS, C is not read when beta is 0, and A and B
 * are not read when alpha or k is 0.
 *
 * <p>The algorithm is the Goto/BLIS one (docs/performance.md): for each KC-deep slice of k, a KC×NC
 * block of op(B) is packed into NR-wide panels, then for each MC-high block of op(A) an MC×KC block
 * is packed into MR-high panels, and a register-blocked micro-kernel (from the {@link KernelProvider})
 * multiplies every MR panel with every NR panel. Packing absorbs the transposes, strides and offsets,
 * so the micro-kernel only ever reads two contiguous streams. Three exceptions for products with few
 * rows (a Linear layer at batch 64), where packing is a large share of the work: a row-major A next to
 * a narrow B is read in place, a row-major B next to few rows of A is read in place, and a few-rows
 * x·Wᵀ is computed as (W·xᵀ)ᵀ so that W is that in-place A instead of a transposed, packed B.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * Depth of a k-slice. The vector kernel keeps one kc×NR panel of B in L1 while the A panels stream
     * past it: 256 × 32 floats = 32 KiB of Zen 5's 48 KiB L1d, leaving room for the A panel (6 KiB)
     * and the C tile. Longer slices also amortize the C tile's load and store over more FMAs.
     */
    static final int KC = 256;

    /**
     * Depth of a k-slice when C has at least {@link #DEEP_MIN_C} elements and the provider's B micro-panel
     * stays within {@link #DEEP_PANEL_BYTES} at that depth: each slice reads and writes every C tile once
     * more, and a C that large lives beyond L2, so fewer slices save that traffic. The vector kernel's
     * 512 × 32-float B micro-panel (64 KiB) then streams from L2 rather than staying in L1, which its blocks
     * did not notice (342×256×256 and 252×256×512 blocks both at 217–220 GFLOP/s, p5 of single calls), while
     * whole 1024² products took 3–7 % less CPU on one thread and 2–4 % on two (docs/performance.md, "The
     * 1024² product: deeper k-slices"). The plain-Java kernel's 512-wide panel would be 1 MiB deep and lost
     * 5–15 %, so it keeps {@link #KC}: above DEEP_MIN_C the two providers cut k differently and agree to
     * rounding rather than to the bit.
     */
    static final int KC_DEEP = 512;

    /** Elements of C (1 MiB of floats, a 512² product) from which the k-slices may be {@link #KC_DEEP} deep. */
    static final long DEEP_MIN_C = 1L << 18;

    /** Largest B micro-panel (NR × KC_DEEP floats) for which deep slices are used: 64 KiB, streamed from L2. */
    private static final int DEEP_PANEL_BYTES = 64 * 1024;

    /**
     * Target size of a packed MC×KC block of A, which stays in L2 (1 MiB per Zen 5 core) while every
     * B panel of the slice passes over it: about half of L2, so the B panels streaming from L3 do
     * not evict it. 512 KiB / (256 × 4 B) = 512 rows at full depth, rounded down to whole MR panels.
     */
    static final int A_BLOCK_BYTES = 512 * 1024;

    /**
     * Width of a packed KC×NC block of B: 256 × 4096 floats = 4 MiB, which lives in the shared L3.
     * Its only job is to bound the packing buffer; most layers' n is below it and take one block.
     */
    static final int NC = 4096;

    /**
     * Below this many multiply-adds (m·n·k, 8M ≈ 80 µs on one core) one thread does the whole product.
     * A split costs the caller a worker's wake-up call and an allocation or two, and gains only once the
     * worker runs, 20–70 µs after the call on this VM even when it is idle; since the strips are claimed
     * one at a time (see {@link #run}), a late worker costs no waiting. 2²² (the MLP's 64×500×250
     * products split too) made those products faster back to back but the whole MLP training step 5 %
     * slower on a quiet machine (docs/performance.md, "Second round"), so it stays at 2²³.
     * {@code -Djgrad.gemm.parallelMinWork=N} moves it (docs/performance.md, "The thread pool").
     */
    static final long PARALLEL_MIN_WORK = minWork("jgrad.gemm.parallelMinWork", 1L << 23);

    /**
     * The split threshold while a worker is awake ({@link Parallel#workersAwake}: polling between splits,
     * so it takes a split up within a microsecond or so instead of after a wake-up call): 2²¹ multiply-adds,
     * ~20 µs on one core, where half of it still repays the split's hand-off. In an MLP training step on
     * two threads every product but the 80K ones then splits. {@code -Djgrad.gemm.awakeMinWork=N} moves it.
     */
    static final long AWAKE_MIN_WORK = minWork("jgrad.gemm.awakeMinWork", 1L << 21);

    private static long minWork(String property, long otherwise) {
        String v = System.getProperty(property);
        if (v != null && !v.isBlank()) {
            try {
                long w = Long.parseLong(v.trim());
                if (w >= 1) return w;
            } catch (NumberFormatException ignored) {
                // fall through to the default; a bad value must not stop the program
            }
            System.err.println("jgrad: ignoring -D" + property + "=" + v + " (expected a positive integer)");
        }
        return otherwise;
    }

    /**
     * Called before a product's output is allocated (the JVM zeroes a new array first: ~70 µs for the 1 MiB
     * of a 512² product): when the product will be split across threads, wakes the parked workers now
     * ({@link Parallel#expectSplit}), so that they are polling by the time the split is made.
     */
    public static void aboutToMultiply(int m, int n, int k) {
        if ((long) m * n * k >= PARALLEL_MIN_WORK && Parallel.threads() > 1) Parallel.expectSplit();
    }

    /** Largest m·n (floats of scratch, 4 MiB) for which a few-rows x·Wᵀ is computed transposed. */
    static final int SWAP_MAX = 1 << 20;

    /**
     * Widest block of op(B) for which a non-transposed A is read in place rather than packed. Packing
     * A (a transposing copy, MR rows at a time) is repaid once per NR-wide panel of B; below ~16
     * panels it is a visible share of the product (a fifth at n = 125, m = 64), above it noise, and
     * the packed block is the friendlier stream for the large products. Public so that a caller
     * can choose the operand layout that is read in place.
     */
    public static final int ROWS_A_MAX_N = 512;

    /**
     * Most rows of op(A) for which a row-major B is read in place rather than packed (whole NR-wide panels;
     * a last partial panel is still packed). Packing B copies all of it and is repaid once per MR-high
     * panel of A: at m = 64 (a Linear layer's input gradient g·W at batch 64) each B panel serves only 11
     * A panels, and the copy of the weight (500 KB for 250×500) was a large share of the product. Not
     * final so that tests and benchmarks can compare both paths; {@code -Djgrad.gemm.bInPlaceMaxRows=N}
     * moves it (0 packs always).
     */
    static int bInPlaceMaxRows = (int) Math.min(Integer.MAX_VALUE, minWork("jgrad.gemm.bInPlaceMaxRows", 96));

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}; see the class comment for the layout.
     *
     * @throws IllegalArgumentException if m, n or k is negative
     * @throws ArrayIndexOutOfBoundsException if an operand does not hold the elements its offset and
     *     stride describe
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        sgemm(Kernels.DEFAULT, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #sgemm} on the given provider, so that tests can run both in one JVM. */
    static void sgemm(KernelProvider kp, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
            int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("sgemm: sizes must be non-negative, got m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (beta == 0f && !transA && transB && kp.gemmSwapFewRows() && (long) m * (k + n) < (long) k * n && (long) m * n <= SWAP_MAX) {
            // x·Wᵀ with few rows (a Linear forward): packing op(B) = Wᵀ would transpose all k·n weights,
            // which for m = 64 costs a fifth of the product. Cᵀ = W·xᵀ instead reads W in place as
            // row panels of A and packs only xᵀ; Cᵀ goes to a scratch matrix that is transposed into C.
            // Every element is summed in the same order either way, so the result is the same bits.
            // Split over threads, each transposes the rows of Cᵀ it finished (columns of C) itself.
            float[] t = Scratch.get(Scratch.GEMM_T, m * n);
            run(kp, false, true, n, m, k, alpha, b, bOff, ldb, a, aOff, lda, 0f, t, 0, m,
                    (j0, j1) -> kp.transposeInto(t, j0 * m, m, j1 - j0, m, c, cOff + j0, ldc));
            return;
        }
        run(kp, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Target multiply-adds of one strip of a split product (~10 µs): small enough that a worker which
     * wakes up late still finds strips to share, large enough that claiming one is noise.
     */
    static final long STRIP_WORK = 1L << 20;

    /**
     * Largest operand (floats, padded; 4 MiB) that a split product packs once for all its strips
     * rather than once per strip. Above it the strips are halves, each packing its own copy.
     */
    static final int SHARED_MAX = 1 << 20;

    /** In-place A above this many floats (512 KiB, half an L2) is streamed from L3 once per strip. */
    private static final int BIG_IN_PLACE_A = 1 << 17;

    /** Called after the rows [i0, i1) of C are final (all k-slices summed); see {@link #run}. */
    @FunctionalInterface
    private interface RowsDone {
        void done(int i0, int i1);
    }

    /** {@link #sgemm} after the trivial cases: the blocked algorithm, on one thread or split into strips. */
    private static void run(KernelProvider kp, boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        run(kp, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null);
    }

    /**
     * The product, with {@code rowsDone} (if not null) told about each finished range of rows by the
     * thread that finished it, so that a follow-up pass over those rows runs on that thread while the
     * rows are in its cache.
     */
    private static void run(KernelProvider kp, boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
            RowsDone rowsDone) {
        int mr = kp.gemmMr(), nr = kp.gemmNr();
        long work = (long) m * n * k;
        int threads = Parallel.threads();
        // Below the threshold a product runs on one thread; between the awake threshold and it only while a
        // worker polls (asked last: it reads every worker's state).
        boolean oneThread = work < PARALLEL_MIN_WORK && (work < AWAKE_MIN_WORK || !Parallel.workersAwake());
        // The slices are cut for the whole product, not per strip, so that strips sum in one thread's order.
        int kc = sliceDepth(k, m, n, nr);
        if (threads == 1 || oneThread) {
            blocked(kp, transA, transB, m, n, k, kc, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, null);
            if (rowsDone != null) rowsDone.done(0, m);
            return;
        }
        // Split the longer of m and n into strips of whole micro-tile panels, which the threads claim one
        // at a time: a worker that wakes up late (tens of µs on this kind of VM) joins for the strips
        // left rather than finding its half taken or making the caller wait for it. Each strip runs the
        // serial algorithm. The operand every strip reads whole (A when n is split, B when m is) is
        // packed once, by the caller, before the split, when it is packed at all: per strip it would
        // be packed again each time (a transposed weight gradient's gᵀ, a swapped forward's xᵀ).
        // (Waking the worker first and packing while it wakes, the worker waiting for the panels, gained
        // nothing measurable in the MLP step at load 9-15: docs/performance.md, "Third round".)
        boolean splitN = n >= m;
        int len = splitN ? n : m, step = splitN ? nr : mr;
        boolean shareA = splitN && transA && (long) roundUp(m, mr) * k <= SHARED_MAX;
        boolean shareB = !shareA && !splitN && (long) roundUp(n, nr) * k <= SHARED_MAX;
        boolean inPlaceA = !transA; // A's strips are read in place when they are narrow enough (blocked)
        int panels = ceilDiv(len, step);
        long target = Math.min(8L * threads, Math.max(threads, work / STRIP_WORK));
        // At least 24 rows or 64 columns a strip; an in-place A too big for L2 in at most two strips a thread.
        int minPer = !splitN ? ceilDiv(24, step)
                : !shareA && (long) m * k > BIG_IN_PLACE_A ? ceilDiv(panels, 2 * threads) : ceilDiv(64, step);
        int per = Math.max(minPer, ceilDiv(panels, (int) target));
        boolean packsShared = splitN ? !shareA && (!inPlaceA || per * step > ROWS_A_MAX_N) : !shareB;
        if (packsShared) per = ceilDiv(panels, threads); // then one strip a thread, each packing its own copy
        int strips = ceilDiv(panels, per), width = per * step;
        if (strips < 2) {
            blocked(kp, transA, transB, m, n, k, kc, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, null);
            if (rowsDone != null) rowsDone.done(0, m);
            return;
        }
        float[] shared = shareA ? packAllA(kp, transA, a, aOff, lda, m, k, kc, mr)
                : shareB ? packAllB(kp, transB, b, bOff, ldb, n, k, kc, nr) : null;
        Parallel.forClaimed(strips, 1, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int s0 = q * width, s1 = Math.min(len, s0 + width);
                if (splitN) {
                    blocked(kp, transA, transB, m, s1 - s0, k, kc, alpha, a, aOff, lda, b, bOff + (transB ? s0 * ldb : s0),
                            ldb, beta, c, cOff + s0, ldc, shared, null);
                } else {
                    blocked(kp, transA, transB, s1 - s0, n, k, kc, alpha, a, aOff + (transA ? s0 : s0 * lda), lda, b, bOff,
                            ldb, beta, c, cOff + s0 * ldc, ldc, null, shared);
                    if (rowsDone != null) rowsDone.done(s0, s1);
                }
            }
        });
        if (splitN && rowsDone != null) rowsDone.done(0, m);
    }

    /**
     * Depth of the k-slices of an m×n product on panels nr wide: even slices, k = 300 runs as 150 + 150, not
     * 256 + 44 whose short slice wastes the C traffic; at most {@link #KC}, or {@link #KC_DEEP} when C is large.
     */
    static int sliceDepth(int k, int m, int n, int nr) {
        boolean deep = (long) m * n >= DEEP_MIN_C && (long) nr * KC_DEEP * Float.BYTES <= DEEP_PANEL_BYTES;
        return ceilDiv(k, ceilDiv(k, deep ? KC_DEEP : KC));
    }

    /**
     * All of op(A) packed for {@link #blocked}: the slice at depth pc holds every row's panels from
     * {@code pc * roundUp(m, mr)}, so the block of rows from ic starts at {@code pc * roundUp(m, mr) + ic * kb}.
     */
    private static float[] packAllA(KernelProvider kp, boolean transA, float[] a, int aOff, int lda, int m, int k,
            int kc, int mr) {
        int mPad = roundUp(m, mr);
        float[] ap = Scratch.get(Scratch.GEMM_SHARED, mPad * k);
        for (int pc = 0; pc < k; pc += kc) packA(kp, transA, a, aOff, lda, 0, m, pc, Math.min(kc, k - pc), mr, ap, pc * mPad);
        return ap;
    }

    /**
     * All of op(B) packed for {@link #blocked}: the slice at depth pc holds every column's panels from
     * {@code pc * roundUp(n, nr)}, so the block of columns from jc starts at {@code pc * roundUp(n, nr) + jc * kb}.
     */
    private static float[] packAllB(KernelProvider kp, boolean transB, float[] b, int bOff, int ldb, int n, int k,
            int kc, int nr) {
        int nPad = roundUp(n, nr);
        float[] bp = Scratch.get(Scratch.GEMM_SHARED, nPad * k);
        for (int pc = 0; pc < k; pc += kc) packB(kp, transB, b, bOff, ldb, pc, Math.min(kc, k - pc), 0, n, nr, bp, pc * nPad);
        return bp;
    }

    /**
     * The single-threaded blocked algorithm. {@code sharedA} / {@code sharedB}, when not null, hold all of
     * op(A) / op(B) already packed ({@link #packAllA}, {@link #packAllB}) for these m / n.
     */
    private static void blocked(KernelProvider kp, boolean transA, boolean transB, int m, int n, int k, int kc,
            float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
            int ldc, float[] sharedA, float[] sharedB) {
        int mr = kp.gemmMr(), nr = kp.gemmNr();
        int mcMax = Math.max(mr, A_BLOCK_BYTES / (Float.BYTES * kc) / mr * mr);
        int mc = roundUp(ceilDiv(m, ceilDiv(m, mcMax)), mr);
        // Deep slices take narrower B blocks, so that the packing buffer stays at NC × KC floats (4 MiB).
        int nc = Math.min(roundUp(n, nr), kc <= KC ? NC : Math.max(nr, NC * KC / kc / nr * nr));
        int mPad = roundUp(m, mr), nPad = roundUp(n, nr);
        // Packing buffers: per thread and kept, as GEMM is called once per layer per step.
        float[] ap = sharedA != null ? sharedA : Scratch.get(Scratch.GEMM_A, mc * kc);
        float[] bp = sharedB != null ? sharedB : Scratch.get(Scratch.GEMM_B, kc * nc);
        // A row-major A with few B panels is read in place; only a last partial MR panel is packed.
        boolean rowsA = sharedA == null && !transA && n <= ROWS_A_MAX_N;
        // A row-major B next to few rows of A is read in place too; only a last partial NR panel is packed.
        boolean rowsB = sharedB == null && !transB && m <= bInPlaceMaxRows;
        for (int jc = 0; jc < n; jc += nc) {
            int nb = Math.min(nc, n - jc);
            int inPlaceB = rowsB ? nb / nr * nr : 0; // columns of the block read in place
            for (int pc = 0; pc < k; pc += kc) {
                int kb = Math.min(kc, k - pc);
                int bo = sharedB != null ? pc * nPad + jc * kb : 0;
                if (sharedB == null && inPlaceB < nb)
                    packB(kp, transB, b, bOff, ldb, pc, kb, jc + inPlaceB, nb - inPlaceB, nr, bp, 0);
                // beta applies once, on the first slice; later slices accumulate onto the result.
                float be = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += mc) {
                    int mb = Math.min(mc, m - ic);
                    float[] ia = null; // A read in place (rowsA), else its packed block in ap from ao
                    int iao = 0, ao = 0;
                    if (rowsA) {
                        int full = mb / mr * mr;
                        if (full < mb) packA(kp, false, a, aOff, lda, ic + full, mb - full, pc, kb, mr, ap, 0);
                        ia = a;
                        iao = aOff + ic * lda + pc;
                    } else {
                        ao = sharedA != null ? pc * mPad + ic * kb : 0;
                        if (sharedA == null) packA(kp, transA, a, aOff, lda, ic, mb, pc, kb, mr, ap, 0);
                    }
                    int co = cOff + ic * ldc + jc;
                    if (inPlaceB > 0)
                        kp.gemmBlock(mb, inPlaceB, kb, alpha, ia, iao, lda, ap, ao, b, bOff + pc * ldb + jc, ldb, be, c,
                                co, ldc);
                    if (inPlaceB < nb)
                        kp.gemmBlock(mb, nb - inPlaceB, kb, alpha, ia, iao, lda, ap, ao, bp, bo, 0, be, c, co + inPlaceB,
                                ldc);
                }
            }
        }
    }

    /** {@link #packA(KernelProvider, boolean, float[], int, int, int, int, int, int, int, float[], int)} from the start of ap. */
    static void packA(KernelProvider kp, boolean transA, float[] a, int aOff, int lda, int i0, int mb, int p0,
            int kb, int mr, float[] ap) {
        packA(kp, transA, a, aOff, lda, i0, mb, p0, kb, mr, ap, 0);
    }

    /** {@link #packB(KernelProvider, boolean, float[], int, int, int, int, int, int, int, float[], int)} from the start of bp. */
    static void packB(KernelProvider kp, boolean transB, float[] b, int bOff, int ldb, int p0, int kb, int j0,
            int nb, int nr, float[] bp) {
        packB(kp, transB, b, bOff, ldb, p0, kb, j0, nb, nr, bp, 0);
    }

    /**
     * Packs rows [i0, i0+mb) × columns [p0, p0+kb) of op(A) into mr-high panels: element (i, p) of
     * panel q goes to {@code apOff + q*mr*kb + p*mr + i}; rows past mb are zero.
     */
    static void packA(KernelProvider kp, boolean transA, float[] a, int aOff, int lda, int i0, int mb, int p0,
            int kb, int mr, float[] ap, int apOff) {
        for (int iq = 0; iq < mb; iq += mr) {
            int h = Math.min(mr, mb - iq), dst = apOff + iq * kb;
            if (transA && h == 6 && mr == 6) {
                // The vector provider's full panel, unrolled: the six-element loop below cost more in
                // loop overhead than in copying (a Linear weight gradient packs g this way).
                for (int p = 0, src = aOff + p0 * lda + i0 + iq, d = dst; p < kb; p++, src += lda, d += 6) {
                    float x0 = a[src], x1 = a[src + 1], x2 = a[src + 2], x3 = a[src + 3], x4 = a[src + 4],
                            x5 = a[src + 5];
                    ap[d] = x0;
                    ap[d + 1] = x1;
                    ap[d + 2] = x2;
                    ap[d + 3] = x3;
                    ap[d + 4] = x4;
                    ap[d + 5] = x5;
                }
            } else if (transA) {
                // op(A)(i, p) = a[p*lda + i]: each k-step is a contiguous run of h rows.
                for (int p = 0; p < kb; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + iq, d = dst + p * mr;
                    for (int i = 0; i < h; i++) ap[d + i] = a[src + i];
                    for (int i = h; i < mr; i++) ap[d + i] = 0f;
                }
            } else {
                kp.transposeInto(a, aOff + (i0 + iq) * lda + p0, lda, h, kb, ap, dst, mr);
                for (int i = h; i < mr; i++)
                    for (int p = 0; p < kb; p++) ap[dst + p * mr + i] = 0f;
            }
        }
    }

    /**
     * Packs rows [p0, p0+kb) × columns [j0, j0+nb) of op(B) into nr-wide panels: element (p, j) of
     * panel q goes to {@code bpOff + q*nr*kb + p*nr + j}; columns past nb are zero, or left as they were
     * for a provider that never reads them ({@link KernelProvider#gemmReadsBPadding}).
     */
    static void packB(KernelProvider kp, boolean transB, float[] b, int bOff, int ldb, int p0, int kb, int j0,
            int nb, int nr, float[] bp, int bpOff) {
        boolean pad = kp.gemmReadsBPadding();
        for (int jq = 0; jq < nb; jq += nr) {
            int w = Math.min(nr, nb - jq), dst = bpOff + jq * kb;
            if (transB) {
                // op(B)(p, j) = b[j*ldb + p]: the stored rows become panel columns.
                kp.transposeInto(b, bOff + (j0 + jq) * ldb + p0, ldb, w, kb, bp, dst, nr);
                if (w < nr && pad)
                    for (int p = 0; p < kb; p++) java.util.Arrays.fill(bp, dst + p * nr + w, dst + (p + 1) * nr, 0f);
            } else {
                for (int p = 0; p < kb; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + jq, d = dst + p * nr;
                    System.arraycopy(b, src, bp, d, w);
                    if (w < nr && pad) java.util.Arrays.fill(bp, d + w, d + nr, 0f);
                }
            }
        }
    }

    /** C = beta * C, writing zeros (not reading C) when beta is 0. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f);
            else for (int j = 0; j < n; j++) c[row + j] *= beta;
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }
}
