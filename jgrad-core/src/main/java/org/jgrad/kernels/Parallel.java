package org.jgrad.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The one thread pool jgrad computes on, sized to the cores unless {@code JGRAD_NUM_THREADS}
 * (environment) or {@code jgrad.numThreads} (system property) says otherwise. Work is split only
 * when it is large enough to pay for the hand-off.
 */
public final class Parallel {
    private Parallel() {}

    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool;

    private static int initialThreads() {
        String v = System.getProperty("jgrad.numThreads", System.getenv("JGRAD_NUM_THREADS"));
        if (v != null && !v.isBlank()) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the core count; a bad value must not stop the program
            }
            System.err.println("jgrad: ignoring JGRAD_NUM_THREADS=" + v + " (expected a positive integer)");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads ops may use. */
    public static int threads() {
        return threads;
    }

    /** Changes the number of threads (1 = everything on the calling thread). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setThreads: need at least 1 thread, got " + n);
        if (n != threads) {
            threads = n;
            ForkJoinPool old = pool;
            pool = null;
            if (old != null) old.shutdown();
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(threads, pool1 -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool1);
                        t.setDaemon(true);
                        t.setName("jgrad-worker-" + t.getPoolIndex());
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** A body over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) split into about one chunk per thread, each at least {@code grain}
     * long; runs inline when there is one chunk or when already on a jgrad worker. The calling thread
     * runs the first chunk itself while the pool runs the others, so a two-way split wakes one worker,
     * not two, and the caller does not sit idle. Returns when every chunk is done; if chunks threw, the
     * lowest chunk's exception is rethrown then, with the others suppressed into it.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(grain, 1)));
        if (chunks <= 1 || Thread.currentThread().getName().startsWith("jgrad-worker-")) {
            if (n > 0) body.run(0, n);
            return;
        }
        ForkJoinPool p = pool();
        // Each chunk records its own failure: join() would rethrow a copy made on the joining thread.
        Throwable[] failures = new Throwable[chunks];
        ForkJoinTask<?>[] rest = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int chunk = c, from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            rest[c - 1] = p.submit(() -> {
                try {
                    body.run(from, to);
                } catch (Throwable e) {
                    failures[chunk] = e;
                }
            });
        }
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (Throwable e) {
            failures[0] = e;
        }
        // Wait for every chunk even after a failure: they write into arrays the caller owns.
        for (ForkJoinTask<?> f : rest) f.join();
        Throwable failure = null;
        for (Throwable e : failures) {
            if (e == null) continue;
            if (failure == null) failure = e;
            else failure.addSuppressed(e);
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new IllegalStateException(failure);
    }
}
