package org.jgrad.backend;

import org.jgrad.kernels.Parallel;

/**
 * The host threads jgrad computes on, for jgrad's modules that run work of their own beside the ops
 * (k-means, feature extraction, a Spark task sizing itself to its cores): PyTorch's
 * {@code torch.set_num_threads} and ATen's {@code at::parallel_for}. It is the CPU backend's pool, sized
 * to the cores unless {@code JGRAD_NUM_THREADS} or {@code -Djgrad.numThreads} says otherwise, so work
 * split here shares the threads (and the thread count) of the ops rather than competing with them.
 */
public final class ThreadPool {
    private ThreadPool() {}

    /** The number of threads work may be split across. */
    public static int threads() {
        return Parallel.threads();
    }

    /** Changes the number of threads (1 = everything on the calling thread), for the ops too. */
    public static void setThreads(int n) {
        Parallel.setThreads(n);
    }

    /**
     * How the pool's workers took up the splits made so far in this JVM: {@code {while polling, after a
     * park}}. A diagnostic for benchmarks: a worker that was parked paid a wake-up (tens of µs) before it joined.
     */
    public static long[] workerTakeUps() {
        return Parallel.takeUps();
    }

    /**
     * Whether a pool worker is awake now (polling for the next split) rather than parked: a split made now is
     * taken up at once instead of after a wake-up call (tens of µs), so smaller work repays splitting.
     */
    public static boolean workersAwake() {
        return Parallel.workersAwake();
    }

    /** A body over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes indices {@code from} (inclusive) to {@code to} (exclusive); ranges never overlap. */
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) split into about one chunk per thread, each at least {@code grain}
     * long (inline when there is one chunk, or when called from a pool thread); returns when every chunk
     * is done and rethrows the first chunk's exception, if any.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        Parallel.forRange(n, grain, body::run);
    }
}
