package org.jgrad.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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
        /** Processes indices {@code from} (inclusive) to {@code to} (exclusive); ranges never overlap. */
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) split into about one chunk per thread, each at least {@code grain}
     * long; runs inline when there is one chunk or when already on a jgrad worker. Chunks are claimed,
     * not assigned: the calling thread claims and runs chunks itself while the pool's workers claim the
     * others, so a two-way split wakes one worker, not two, the caller does not sit idle, and a chunk
     * whose worker has not been scheduled yet (every core busy, on a shared machine) is run by the
     * caller instead of being waited for. Returns when every chunk is done; if chunks threw, the
     * lowest chunk's exception is rethrown then, with the others suppressed into it.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(grain, 1)));
        if (chunks <= 1 || Thread.currentThread().getName().startsWith("jgrad-worker-")) {
            if (n > 0) body.run(0, n);
            return;
        }
        Split split = new Split(n, chunks, body, Thread.currentThread());
        ForkJoinPool p = pool();
        for (int c = 1; c < chunks; c++) p.execute(split::work);
        split.work();
        // Wait for every claimed chunk even after a failure: they write into arrays the caller owns.
        while (split.remaining.get() > 0) LockSupport.park(split);
        Throwable failure = null;
        for (Throwable e : split.failures) {
            if (e == null) continue;
            if (failure == null) failure = e;
            else failure.addSuppressed(e);
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new IllegalStateException(failure);
    }

    /** One forRange call: chunks go to whichever thread claims them first. */
    private static final class Split {
        final int n, chunks;
        final RangeBody body;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger(), remaining;
        // Each chunk records its own failure, read by the caller after remaining reaches 0.
        final Throwable[] failures;

        Split(int n, int chunks, RangeBody body, Thread caller) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
            this.remaining = new AtomicInteger(chunks);
            this.failures = new Throwable[chunks];
        }

        /** Claims and runs chunks until none is left; a worker that starts late finds nothing to do. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
                try {
                    body.run(from, to);
                } catch (Throwable e) {
                    failures[c] = e;
                }
                if (remaining.decrementAndGet() == 0 && Thread.currentThread() != caller) LockSupport.unpark(caller);
            }
        }
    }
}
