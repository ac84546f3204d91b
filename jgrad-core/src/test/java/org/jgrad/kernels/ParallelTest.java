package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 5}) {
                Parallel.setThreads(threads);
                for (int n : new int[] {0, 1, 2, 7, 100, 1001})
                    for (int grain : new int[] {1, 3, 50}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        Parallel.forRange(n, grain, (from, to) -> {
                            for (int i = from; i < to; i++) hits.incrementAndGet(i);
                        });
                        for (int i = 0; i < n; i++)
                            assertEquals(1, hits.get(i), "threads=" + threads + " n=" + n + " grain=" + grain + " i=" + i);
                    }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** A split a worker joins is counted once, as taken up while polling or after a park. */
    @Test
    void workerTakeUpsAreCounted() throws InterruptedException {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            long[] before = Parallel.takeUps();
            // each chunk waits until both have started, so the worker has to take one of them
            CountDownLatch bothStarted = new CountDownLatch(2);
            Parallel.forRange(2, 1, (from, to) -> {
                bothStarted.countDown();
                try {
                    assertTrue(bothStarted.await(30, java.util.concurrent.TimeUnit.SECONDS), "the worker never joined");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long[] after = Parallel.takeUps();
            // other tests' splits may run meanwhile in this JVM, so at least one more, not exactly one
            assertTrue(after[0] + after[1] >= before[0] + before[1] + 1, java.util.Arrays.toString(before) + " -> "
                    + java.util.Arrays.toString(after));
            assertTrue(after[0] >= before[0] && after[1] >= before[1]);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void claimedPiecesCoverEveryIndexOnceWithFixedBounds() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                for (int n : new int[] {0, 1, 9, 10, 11, 1000})
                    for (int piece : new int[] {0, 1, 3, 10, 2000}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        Set<String> ranges = ConcurrentHashMap.newKeySet();
                        Parallel.forClaimed(n, piece, (from, to) -> {
                            ranges.add(from + ".." + to);
                            for (int i = from; i < to; i++) hits.incrementAndGet(i);
                        });
                        String what = "threads=" + threads + " n=" + n + " piece=" + piece;
                        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), what + " i=" + i);
                        int p = Math.max(piece, 1);
                        // one range when it all fits in one piece or runs inline on one thread
                        int want = n == 0 ? 0 : threads == 1 ? 1 : (n + p - 1) / p;
                        assertEquals(want, ranges.size(), what + " " + ranges);
                        if (threads > 1 && n > p) assertTrue(ranges.contains("0.." + p), what + " " + ranges);
                    }
            }
            Parallel.setThreads(3);
            var e = assertThrows(IllegalStateException.class, () -> Parallel.forClaimed(100, 7, (from, to) -> {
                if (from <= 50 && 50 < to) throw new IllegalStateException("boom at 50");
            }));
            assertEquals("boom at 50", e.getMessage());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void failureInAnyChunkReachesTheCaller() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(3);
            for (int bad : new int[] {0, 50, 99}) {
                var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (from, to) -> {
                    if (from <= bad && bad < to) throw new IllegalStateException("boom at " + bad);
                }));
                assertEquals("boom at " + bad, e.getMessage());
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void chunksDoNotDependOnWhichThreadRunsThem() {
        // Reductions sum per chunk, so the chunk bounds must be the same whether the workers help or not.
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(3);
            Set<String> first = null;
            for (int run = 0; run < 50; run++) {
                Set<String> ranges = ConcurrentHashMap.newKeySet();
                Parallel.forRange(1000, 10, (from, to) -> ranges.add(from + ".." + to));
                if (first == null) first = ranges;
                assertEquals(new TreeSet<>(first), new TreeSet<>(ranges));
            }
            assertEquals(Set.of("0..333", "333..666", "666..1000"), first);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void severalCallersAtOnceEachGetEveryIndexOnce() throws Exception {
        // One split holds the workers at a time; the other callers run their chunks themselves.
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            int callers = 4, n = 5000, rounds = 200;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < callers; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int r = 0; r < rounds; r++) {
                            AtomicIntegerArray hits = new AtomicIntegerArray(n);
                            Parallel.forRange(n, 1, (from, to) -> {
                                for (int i = from; i < to; i++) hits.incrementAndGet(i);
                            });
                            for (int i = 0; i < n; i++) if (hits.get(i) != 1) throw new AssertionError("index " + i + " ran " + hits.get(i) + " times");
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                th.start();
                threads.add(th);
            }
            start.countDown();
            for (Thread th : threads) th.join(60_000);
            assertTrue(errors.isEmpty(), () -> "failures: " + errors);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void aSplitInsideAChunkRunsInlineAndCompletes() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            AtomicIntegerArray hits = new AtomicIntegerArray(100 * 100);
            Parallel.forRange(100, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;
                    Parallel.forRange(100, 1, (f, t) -> {
                        for (int j = f; j < t; j++) hits.incrementAndGet(row * 100 + j);
                    });
                }
            });
            for (int i = 0; i < hits.length(); i++) assertEquals(1, hits.get(i), "index " + i);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void changingTheThreadCountBetweenSplitsKeepsWorking() {
        int saved = Parallel.threads();
        try {
            for (int round = 0; round < 20; round++) {
                Parallel.setThreads(1 + round % 4);
                AtomicIntegerArray hits = new AtomicIntegerArray(64);
                Parallel.forRange(64, 1, (from, to) -> {
                    for (int i = from; i < to; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i), "round " + round + " index " + i);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
