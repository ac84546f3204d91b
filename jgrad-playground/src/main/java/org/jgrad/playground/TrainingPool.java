package org.jgrad.playground;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Where sessions train: a fixed number of daemon threads, never the threads that answer requests.
 * Fair per session: a session with work (playing, or epochs asked for by {@code step}) has at most
 * one slice queued; a slice trains whole epochs for at most {@value #SLICE_MAX_EPOCHS} epochs or
 * about 25 ms, and a session with more work queues its next slice behind everyone else's (the
 * queue is ordered by time). A session nobody has polled for {@code abandonAfter} stops training.
 */
final class TrainingPool implements AutoCloseable {
    private static final long SLICE_NANOS = 25_000_000;
    static final int SLICE_MAX_EPOCHS = 5;
    private static final long SLICE_PAUSE_MILLIS = 15; // leaves the cores to request handlers now and then

    private final ScheduledThreadPoolExecutor threads;
    private final Map<Session, AtomicBoolean> queued = new ConcurrentHashMap<>();
    private final long abandonAfterMillis;
    private final LongSupplier clockMillis;
    private volatile boolean closed;

    TrainingPool(int threadCount, Duration abandonAfter, LongSupplier clockMillis) {
        threads = new ScheduledThreadPoolExecutor(threadCount, r -> {
            Thread t = new Thread(r, "playground-trainer");
            t.setDaemon(true);
            return t;
        });
        threads.setRemoveOnCancelPolicy(true);
        this.abandonAfterMillis = abandonAfter.toMillis();
        this.clockMillis = clockMillis;
    }

    /** Runs {@code task} every {@code millis} on the pool (the idle-session sweep). */
    void every(long millis, Runnable task) {
        threads.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    void add(Session s) {
        queued.put(s, new AtomicBoolean());
    }

    void remove(Session s) {
        queued.remove(s);
    }

    /** Queues a slice for {@code s} unless one is queued already. */
    void wake(Session s) {
        schedule(s, 0);
    }

    private void schedule(Session s, long delayMillis) {
        AtomicBoolean flag = queued.get(s);
        if (flag == null || closed || !flag.compareAndSet(false, true)) return;
        try {
            threads.schedule(() -> slice(s, flag), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            flag.set(false); // shutting down
        }
    }

    private void slice(Session s, AtomicBoolean flag) {
        try {
            if (clockMillis.getAsLong() - s.lastSeen() > abandonAfterMillis) s.stopTraining();
            else s.trainSlice(SLICE_NANOS, SLICE_MAX_EPOCHS);
        } catch (RuntimeException e) {
            s.stopTraining(); // e.g. a diverged network; the page shows it stopped
        }
        flag.set(false);
        // play or step may have arrived while this slice ran and found the flag still set: re-check
        if (s.hasWork()) schedule(s, SLICE_PAUSE_MILLIS);
    }

    @Override
    public void close() {
        closed = true;
        threads.shutdownNow();
    }
}
