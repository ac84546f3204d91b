package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
