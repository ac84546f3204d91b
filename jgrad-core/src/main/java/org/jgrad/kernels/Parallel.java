package org.jgrad.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread pool jgrad computes on, sized to the cores unless {@code JGRAD_NUM_THREADS}
 * (environment) or {@code jgrad.numThreads} (system property) says otherwise. Work is split only
 * when it is large enough to pay for the hand-off.
 *
 * <p>The pool is {@code threads - 1} workers beside the calling thread, which always takes a share.
 * A worker that has just finished a share keeps polling for the next split for
 * {@code -Djgrad.spinMicros=N} µs (default {@value #DEFAULT_SPIN_MICROS}) before it parks, and a caller
 * waiting for the last share polls as long before it parks; {@code -Djgrad.spinMicros=0} parks at once.
 * Polling is for a training step, a run of kernel calls split in two, often less than 100 µs apart:
 * waking a parked thread costs tens of microseconds (31–56 µs median from the split to the worker's
 * start on the shared 2-core machine this was tuned on) against 50–700 µs for a GEMM strip of the MLP,
 * and a worker woken late finds its strip taken (a 512² product on two threads at half the GFLOP/s of
 * the polling pool, measured on a quiet machine). The polling is bounded, so a program that stops
 * computing costs nothing after it. On a machine with more runnable threads than cores, polling
 * backfires: the poller spends its share of the core and is descheduled when the split comes, while a
 * parked thread's wake-up is what the scheduler favours (with one other two-threaded process on the 2
 * cores, 200 µs of polling made the MLP epoch of {@code jgrad bench} 2.91 s against 1.41 s parking;
 * at load 14–19 the GEMMs of an MLP step took 0.95–1.11 ms best-of parking at once, 1.06–1.19 ms
 * polling 100 µs). So nothing polls while the load average is at least the cores + 1
 * ({@code -Djgrad.spinMaxLoad}), and a polling worker that takes up a split late (it was descheduled
 * meanwhile) stops polling until take-ups after a park have grown it back: polling is what a quiet
 * machine gets, parking what a busy one gets.
 */
public final class Parallel {
    private Parallel() {}

    /** Default of {@code -Djgrad.spinMicros}: how long an idle worker (or a waiting caller) polls before it parks. */
    static final int DEFAULT_SPIN_MICROS = 100;

    private static final long SPIN_NS = spinNanos();

    /** A worker that was polling and takes up a split later than this was descheduled meanwhile. */
    private static final long LATE_NS = 20_000;

    /** What the polling time grows by, at least, per split taken up after a park. */
    private static final long PROBE_NS = 10_000;

    private static volatile int threads = initialThreads();
    private static volatile Crew crew;

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

    private static long spinNanos() {
        String v = System.getProperty("jgrad.spinMicros");
        if (v != null && !v.isBlank()) {
            try {
                long us = Long.parseLong(v.trim());
                if (us >= 0) return us * 1000;
            } catch (NumberFormatException ignored) {
                // fall through to the default; a bad value must not stop the program
            }
            System.err.println("jgrad: ignoring -Djgrad.spinMicros=" + v + " (expected a non-negative integer)");
        }
        return DEFAULT_SPIN_MICROS * 1000L;
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
            Crew old = crew;
            crew = null;
            if (old != null) old.stop();
        }
    }

    private static Crew crew() {
        Crew c = crew;
        if (c == null) {
            synchronized (Parallel.class) {
                c = crew;
                if (c == null) crew = c = new Crew(threads - 1);
            }
        }
        return c;
    }

    /** A body over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes indices {@code from} (inclusive) to {@code to} (exclusive); ranges never overlap. */
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) cut into pieces of {@code piece} indices (the last one shorter), which
     * the calling thread and the pool's workers claim one at a time until none is left. Unlike
     * {@link #forRange}'s one chunk per thread, a worker that starts late (its wake-up takes tens of µs
     * on a VM whose idle CPU halts) joins for the pieces left, instead of the caller finishing its own
     * chunk and then waiting for the worker's whole chunk; a worker that arrives when more than half the
     * pieces are claimed does not join. The pieces are the same whichever thread runs them; which thread
     * that is varies from call to call. Runs inline when there is one piece or one thread; exceptions as
     * in {@link #forRange}.
     */
    public static void forClaimed(int n, int piece, RangeBody body) {
        int p = Math.max(piece, 1);
        int pieces = (int) ((n + (long) p - 1) / p);
        int t = threads;
        if (pieces <= 1 || t == 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Thread caller = Thread.currentThread();
        forRange(Math.min(t, pieces), 1, (a, b) -> {
            // A worker that arrives when most pieces are taken stays out: it could save at most a
            // quarter of the time, and on a busy machine a worker descheduled in the middle of a piece
            // holds the caller for a whole time slice (measured: 2-thread medians 1.5-2.4× worse at load
            // 10-18 when late workers joined). The caller claims until none is left, so nothing is missed.
            if (Thread.currentThread() != caller && next.get() > pieces / 2) return;
            for (int q; (q = next.getAndIncrement()) < pieces; )
                body.run(q * p, (int) Math.min(n, (long) q * p + p));
        });
    }

    private static final java.util.concurrent.atomic.LongAdder TAKE_UPS_POLLING = new java.util.concurrent.atomic.LongAdder(),
            TAKE_UPS_WOKEN = new java.util.concurrent.atomic.LongAdder();

    /**
     * How the workers took up the splits made so far: {@code {while polling, after a park}}. A diagnostic for
     * benchmarks: polling is what a quiet machine is meant to get (the load guard), and a split taken up after
     * a park paid a wake-up.
     */
    public static long[] takeUps() {
        return new long[] {TAKE_UPS_POLLING.sum(), TAKE_UPS_WOKEN.sum()};
    }

    /** How long workers woken by {@link #expectSplit} poll for the split before they park again. */
    private static final long EXPECT_NS = 300_000;

    /**
     * Tells the pool that the calling thread is about to make a split (within ~100 µs: it allocates the
     * output first, say): parked workers are woken now and poll for up to 300 µs for it, so that their
     * wake-up (tens of µs on a VM whose idle CPU halts) overlaps the caller's work instead of following
     * the split. If no split comes, that polling is all it costs. Does nothing on one thread, and while
     * the machine has no core to spare (the load guard on polling): there a polling worker is descheduled
     * and arrives later than one woken at the split, which the scheduler favours.
     */
    public static void expectSplit() {
        if (threads == 1 || Thread.currentThread() instanceof Worker || !LOAD.spare()) return;
        Crew c = crew();
        c.expectUntil = System.nanoTime() + EXPECT_NS;
        for (Worker w : c.workers)
            if (w.parked) LockSupport.unpark(w);
    }

    /**
     * Whether a worker is awake now (polling for the next split, {@code -Djgrad.spinMicros}) rather than
     * parked, so that a split made now is taken up within a microsecond or so instead of after a wake-up
     * call: the GEMM splits smaller products then. False on one thread, and while the machine has no core
     * to spare for polling.
     */
    public static boolean workersAwake() {
        Crew c = crew;
        if (c == null || threads == 1 || c.pollNs() == 0) return false;
        for (Worker w : c.workers)
            if (!w.parked) return true;
        return false;
    }

    /**
     * Runs {@code body} over [0, n) split into about one chunk per thread, each at least {@code grain}
     * long; runs inline when there is one chunk or when already on a jgrad worker. Chunks are claimed,
     * not assigned: the calling thread claims and runs chunks itself while the pool's workers claim the
     * others, so the caller does not sit idle, and a chunk whose worker has not been scheduled yet
     * (every core busy, on a shared machine) is run by the caller instead of being waited for. When
     * another thread's split holds the pool, the caller runs every chunk itself. The chunks are the
     * same whichever thread runs them. Returns when every chunk is done; if chunks threw, the lowest
     * chunk's exception is rethrown then, with the others suppressed into it.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(grain, 1)));
        if (chunks <= 1 || Thread.currentThread() instanceof Worker) {
            if (n > 0) body.run(0, n);
            return;
        }
        Split split = new Split(n, chunks, body, Thread.currentThread());
        Crew c = crew();
        boolean published = c.publish(split);
        split.work();
        // Wait for every claimed chunk even after a failure: they write into arrays the caller owns.
        if (split.remaining.get() > 0) {
            long start = System.nanoTime();
            long spin = c.pollNs();
            while (split.remaining.get() > 0) {
                if (System.nanoTime() - start < spin) Thread.onSpinWait();
                else LockSupport.park(split);
            }
        }
        if (published) c.slot.compareAndSet(split, null);
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

    private static final Load LOAD = new Load();

    /**
     * Whether the machine has a core to spare for polling: the 1-minute load average (Linux's
     * /proc/loadavg, read at most every 100 ms) below the cores + 1, jgrad's own threads included. Where
     * there is no /proc/loadavg the answer is yes.
     */
    private static final class Load {
        private static final java.nio.file.Path FILE = java.nio.file.Path.of("/proc/loadavg");
        private static final long EVERY_NS = 100_000_000L;
        private volatile long checkedAt = System.nanoTime() - EVERY_NS;
        private volatile boolean spare = true;

        /** {@code -Djgrad.spinMaxLoad}: the load average from which nothing polls (default the cores + 1). */
        private static final double MAX = maxLoad();

        boolean spare() {
            long now = System.nanoTime();
            if (now - checkedAt >= EVERY_NS) {
                checkedAt = now;
                spare = read() < MAX;
            }
            return spare;
        }

        private static double maxLoad() {
            String v = System.getProperty("jgrad.spinMaxLoad");
            if (v != null && !v.isBlank()) {
                try {
                    double x = Double.parseDouble(v.trim());
                    if (x > 0) return x;
                } catch (NumberFormatException ignored) {
                    // fall through to the default; a bad value must not stop the program
                }
                System.err.println("jgrad: ignoring -Djgrad.spinMaxLoad=" + v + " (expected a positive number)");
            }
            return Runtime.getRuntime().availableProcessors() + 1;
        }

        private static double read() {
            try {
                String s = java.nio.file.Files.readString(FILE);
                return Double.parseDouble(s.substring(0, s.indexOf(' ')));
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    /** The workers of one thread count, and the one split they help with at a time. */
    private static final class Crew {
        final AtomicReference<Split> slot = new AtomicReference<>();
        final Worker[] workers;
        volatile boolean stopped;
        /**
         * How long an idle worker or a waiting caller polls now: SPIN_NS while workers see splits on
         * time, shrinking when they see them late (they were descheduled while polling: more runnable
         * threads than cores, where polling only takes turns from the threads that have work), and
         * growing back, a little per split, once polling stops being late.
         */
        volatile long spinNs = SPIN_NS;
        /** Workers poll rather than park until this System.nanoTime(): a split is on its way ({@link #expectSplit}). */
        volatile long expectUntil = System.nanoTime();

        /** Adjusts {@link #spinNs} after a worker took up a split {@code late} ns after it was made. */
        void tookUp(long late, boolean wasPolling) {
            long s = spinNs;
            if (!wasPolling) s = Math.min(SPIN_NS, s + PROBE_NS);
            else if (late <= LATE_NS) s = SPIN_NS;
            else s = 0;
            spinNs = s;
        }

        /** The polling time now: {@link #spinNs}, or 0 while the machine has no core to spare. */
        long pollNs() {
            return LOAD.spare() ? spinNs : 0;
        }

        Crew(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        /** Offers the split to the workers; false when another thread's split holds them. */
        boolean publish(Split split) {
            if (!slot.compareAndSet(null, split)) return false;
            // A worker sets `parked` before it reads the slot again, and this reads `parked` after the
            // slot is written, so one of the two sees the other: no worker sleeps through the split.
            int wake = split.chunks - 1;
            for (Worker w : workers) {
                if (wake == 0) break;
                if (w.parked) LockSupport.unpark(w);
                wake--;
            }
            return true;
        }

        void stop() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    /** A pool thread: helps with each split it sees, polls a while for the next one, then parks. */
    private static final class Worker extends Thread {
        final Crew crew;
        volatile boolean parked;

        Worker(Crew crew, int index) {
            super("jgrad-worker-" + index);
            this.crew = crew;
            setDaemon(true);
        }

        @Override
        public void run() {
            Split last = null;
            boolean woken = false;
            long idleSince = System.nanoTime();
            while (!crew.stopped) {
                Split s = crew.slot.get();
                if (s != null && s != last) {
                    last = s;
                    crew.tookUp(System.nanoTime() - s.made, !woken);
                    (woken ? TAKE_UPS_WOKEN : TAKE_UPS_POLLING).increment();
                    s.work();
                    woken = false;
                    idleSince = System.nanoTime();
                    continue;
                }
                long now = System.nanoTime();
                if (now - idleSince < crew.pollNs() || now - crew.expectUntil < 0) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    s = crew.slot.get();
                    if ((s == null || s == last) && !crew.stopped) LockSupport.park(crew);
                    parked = false;
                    woken = true;
                    idleSince = System.nanoTime();
                }
            }
        }
    }

    /** One forRange call: chunks go to whichever thread claims them first. */
    private static final class Split {
        final int n, chunks;
        final RangeBody body;
        final Thread caller;
        /** System.nanoTime() when the split was made, just before it was offered to the workers. */
        final long made = System.nanoTime();
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
