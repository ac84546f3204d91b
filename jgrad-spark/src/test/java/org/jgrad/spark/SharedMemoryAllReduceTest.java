package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared-memory sums between threads standing for the ranks of one host, without Spark. */
@Timeout(60)
class SharedMemoryAllReduceTest {
    private static final String[] ONE_HOST = {"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3", "127.0.0.1:4"};

    /** A connected ring of {@code n} ranks and, attached by all ranks at once, its shared-memory comms. */
    static List<RankTrainer.Comm> attach(List<RingAllReduce> rings, String run, long timeout, int piece)
            throws Exception {
        int n = rings.size();
        String[] addresses = java.util.Arrays.copyOf(ONE_HOST, n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<RankTrainer.Comm>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(pool.submit(() -> SharedMemoryAllReduce.attach(rings.get(rank), rank, addresses, run, timeout, piece)));
            }
            List<RankTrainer.Comm> out = new ArrayList<>();
            for (Future<RankTrainer.Comm> f : fs) out.add(f.get(30, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /** Every rank sums its segment at once with {@code scale}. */
    private static void sumOnAll(List<RankTrainer.Comm> comms, MemorySegment[] data, long n, float scale) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(comms.size());
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int r = 0; r < comms.size(); r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    comms.get(rank).sum(data[rank], n, scale, "test");
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
    }

    private static void closeAll(List<RankTrainer.Comm> comms, List<RingAllReduce> rings) throws IOException {
        for (RankTrainer.Comm c : comms) if (c instanceof SharedMemoryAllReduce s) s.close();
        for (RingAllReduce r : rings) r.close();
    }

    @Test
    void sumsLeftToRightInRankOrderScaledOnceWithIdenticalBitsOnEveryRank() throws Exception {
        for (int n : new int[] {2, 3}) {
            List<RingAllReduce> rings = RingAllReduceTest.ring(n, "shm-" + n, 10_000);
            // 1,000-float slots against 10,007 floats: eleven pieces, the last one short and uneven.
            List<RankTrainer.Comm> comms = attach(rings, "shm-" + n, 10_000, 1000);
            try {
                for (RankTrainer.Comm c : comms) assertTrue(c instanceof SharedMemoryAllReduce, "rank fell back to sockets");
                int len = 10_007;
                Random rnd = new Random(n);
                float[][] v = new float[n][len];
                for (float[] row : v) for (int i = 0; i < len; i++) row[i] = (float) rnd.nextGaussian();
                float scale = 1f / 3;
                float[] expect = new float[len];
                for (int i = 0; i < len; i++) {
                    float s = v[0][i];
                    for (int r = 1; r < n; r++) s += v[r][i];
                    expect[i] = s * scale;
                }
                MemorySegment[] data = new MemorySegment[n];
                for (int r = 0; r < n; r++) {
                    data[r] = Arena.ofAuto().allocate(4L * len + 8, 64);
                    MemorySegment.copy(v[r], 0, data[r], RingAllReduce.FLOAT, 0, len);
                    data[r].set(RingAllReduce.FLOAT, 4L * len, 42f); // past n: must stay untouched
                }
                for (int round = 0; round < 2; round++) { // twice: the barriers' generations go on
                    for (int r = 0; r < n; r++) MemorySegment.copy(v[r], 0, data[r], RingAllReduce.FLOAT, 0, len);
                    sumOnAll(comms, data, len, scale);
                    for (int r = 0; r < n; r++) {
                        float[] got = new float[len];
                        MemorySegment.copy(data[r], RingAllReduce.FLOAT, 0, got, 0, len);
                        assertArrayEquals(expect, got, 0f, "rank " + r + " of " + n + ", round " + round);
                        assertEquals(42f, data[r].get(RingAllReduce.FLOAT, 4L * len));
                    }
                }
                // The float[] form: plain sums.
                float[][] arrays = {v[0].clone(), v[1].clone(), n > 2 ? v[2].clone() : null};
                ExecutorService pool = Executors.newFixedThreadPool(n);
                List<Future<?>> fs = new ArrayList<>();
                for (int r = 0; r < n; r++) {
                    int rank = r;
                    fs.add(pool.submit(() -> {
                        comms.get(rank).sum(arrays[rank], len, "test");
                        return null;
                    }));
                }
                for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
                pool.shutdown();
                for (int i = 0; i < len; i++) {
                    float s = v[0][i];
                    for (int r = 1; r < n; r++) s += v[r][i];
                    for (int r = 0; r < n; r++) assertEquals(s, arrays[r][i], 0f, "float[] sum, rank " + r + ", element " + i);
                }
                assertEquals(List.of(), leftovers("shm-" + n), "the mapping's file was left behind");
            } finally {
                closeAll(comms, rings);
            }
        }
    }

    @Test
    void sumsHeapArraysIntoOthersWithTheBitsOfTheSlotSum() throws Exception {
        for (int n : new int[] {2, 3}) {
            List<RingAllReduce> rings = RingAllReduceTest.ring(n, "arrays-" + n, 10_000);
            // 1,000-float slots against 2,503 floats in three ranges (one at an offset in a larger
            // array, one of zeros): three pieces, the chunks crossing the ranges' boundaries.
            List<RankTrainer.Comm> comms = attach(rings, "arrays-" + n, 10_000, 1000);
            try {
                int[] lengths = {700, 1303, 500};
                int total = 2503;
                Random rnd = new Random(7 + n);
                float[][] v = new float[n][total];
                for (float[] row : v) for (int i = 0; i < 2003; i++) row[i] = (float) rnd.nextGaussian();
                for (float own : new float[] {1f, 0.375f}) {
                    float scale = own == 1f ? 1f / n : 1f;
                    float[] expect = new float[total];
                    for (int i = 0; i < total; i++) {
                        float s = own == 1f ? v[0][i] : v[0][i] * own;
                        for (int r = 1; r < n; r++) s += own == 1f ? v[r][i] : v[r][i] * own;
                        expect[i] = scale != 1f ? s * scale : s;
                    }
                    float[][][] dst = new float[n][][];
                    for (int r = 0; r < n; r++) dst[r] = new float[][] {new float[700], new float[lengths[1] + 3], new float[500]};
                    for (int round = 0; round < 2; round++) { // twice: the generations and the result slot go on
                        float[][][] src = new float[n][][];
                        float[][] before = new float[n][];
                        for (int r = 0; r < n; r++) {
                            float[] big = new float[lengths[1] + 9];
                            java.util.Arrays.fill(big, 42f);
                            System.arraycopy(v[r], 700, big, 5, lengths[1]);
                            src[r] = new float[][] {java.util.Arrays.copyOfRange(v[r], 0, 700), big, null};
                            before[r] = big.clone();
                            java.util.Arrays.fill(dst[r][1], -7f);
                        }
                        ExecutorService pool = Executors.newFixedThreadPool(n);
                        List<Future<?>> fs = new ArrayList<>();
                        for (int r = 0; r < n; r++) {
                            int rank = r;
                            fs.add(pool.submit(() -> {
                                comms.get(rank).sumArrays(src[rank], new int[] {0, 5, 0}, dst[rank], new int[] {0, 3, 0},
                                        lengths, own, scale, "test");
                                return null;
                            }));
                        }
                        for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
                        pool.shutdown();
                        for (int r = 0; r < n; r++) {
                            float[] got = new float[total];
                            System.arraycopy(dst[r][0], 0, got, 0, 700);
                            System.arraycopy(dst[r][1], 3, got, 700, lengths[1]);
                            System.arraycopy(dst[r][2], 0, got, 2003, 500);
                            assertArrayEquals(expect, got, 0f, "rank " + r + " of " + n + ", own " + own + ", round " + round);
                            assertEquals(-7f, dst[r][1][2], "before the destination range, rank " + r);
                            assertArrayEquals(before[r], src[r][1], "the source changed, rank " + r);
                        }
                    }
                    // In place: each destination its own source.
                    float[][][] same = new float[n][][];
                    for (int r = 0; r < n; r++) {
                        float[] big = new float[lengths[1] + 9];
                        java.util.Arrays.fill(big, 42f);
                        System.arraycopy(v[r], 700, big, 5, lengths[1]);
                        same[r] = new float[][] {java.util.Arrays.copyOfRange(v[r], 0, 700), big, new float[500]};
                    }
                    ExecutorService pool = Executors.newFixedThreadPool(n);
                    List<Future<?>> fs = new ArrayList<>();
                    for (int r = 0; r < n; r++) {
                        int rank = r;
                        fs.add(pool.submit(() -> {
                            comms.get(rank).sumArrays(same[rank], new int[] {0, 5, 0}, same[rank], new int[] {0, 5, 0}, lengths,
                                    own, scale, "test");
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
                    pool.shutdown();
                    for (int r = 0; r < n; r++) {
                        float[] got = new float[total];
                        System.arraycopy(same[r][0], 0, got, 0, 700);
                        System.arraycopy(same[r][1], 5, got, 700, lengths[1]);
                        System.arraycopy(same[r][2], 0, got, 2003, 500);
                        assertArrayEquals(expect, got, 0f, "in place, rank " + r + " of " + n + ", own " + own);
                        assertEquals(42f, same[r][1][4], "before the range, in place, rank " + r);
                        assertEquals(42f, same[r][1][5 + lengths[1]], "after the range, in place, rank " + r);
                    }
                }
            } finally {
                closeAll(comms, rings);
            }
        }
    }

    @Test
    void twoRanksGiveTheRingsBits() throws Exception {
        int len = 50_001;
        Random rnd = new Random(7);
        float[][] v = new float[2][len];
        for (float[] row : v) for (int i = 0; i < len; i++) row[i] = (float) rnd.nextGaussian() * 1e3f;
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "bits", 10_000);
        MemorySegment[] viaRing = {Arena.ofAuto().allocate(4L * len), Arena.ofAuto().allocate(4L * len)};
        MemorySegment[] viaShm = {Arena.ofAuto().allocate(4L * len), Arena.ofAuto().allocate(4L * len)};
        for (int r = 0; r < 2; r++) {
            MemorySegment.copy(v[r], 0, viaRing[r], RingAllReduce.FLOAT, 0, len);
            MemorySegment.copy(v[r], 0, viaShm[r], RingAllReduce.FLOAT, 0, len);
        }
        sumOnAll(List.of(rings.get(0), rings.get(1)), viaRing, len, 0.5f);
        List<RankTrainer.Comm> comms = attach(rings, "bits", 10_000, 4096);
        try {
            sumOnAll(comms, viaShm, len, 0.5f);
            for (int r = 0; r < 2; r++)
                assertEquals(-1L, viaRing[r].mismatch(viaShm[r]), "rank " + r + ": shared memory and ring differ");
        } finally {
            closeAll(comms, rings);
        }
    }

    @Test
    void ranksOnDifferentHostsStayOnTheRing() throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "hosts", 10_000);
        try {
            String[] addresses = {"10.0.0.1:7000|/tmp/a.sock", "10.0.0.2:7000|/tmp/b.sock"};
            assertSame(rings.get(0), SharedMemoryAllReduce.attach(rings.get(0), 0, addresses, "hosts", 1000));
        } finally {
            for (RingAllReduce r : rings) r.close();
        }
    }

    @Test
    void aPeerThatLeftIsReportedAtOnceNamingItAndTheStep() throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "left", 30_000);
        List<RankTrainer.Comm> comms = attach(rings, "left", 30_000, 1000);
        try {
            // Its task failed: it unmaps and closes its ring, as SparkTask does on the way out.
            ((SharedMemoryAllReduce) comms.get(1)).close();
            rings.get(1).close();
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> comms.get(0).sum(Arena.ofAuto().allocate(4000), 1000, 1f, "step 3"));
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "took too long");
            assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("step 3"), e.getMessage());
        } finally {
            closeAll(comms, rings);
        }
    }

    @Test
    void aSilentPeerFailsTheCallWithinTheTimeoutNamingIt() throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "silent", 10_000);
        List<RankTrainer.Comm> comms = attach(rings, "silent", 500, 1000);
        try {
            long t0 = System.nanoTime();
            TimeoutException e = assertThrows(TimeoutException.class,
                    () -> comms.get(0).sum(Arena.ofAuto().allocate(4000), 1000, 1f, "step 7"));
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "took too long");
            assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("step 7"), e.getMessage());
        } finally {
            closeAll(comms, rings);
        }
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "interrupt", 10_000);
        List<RankTrainer.Comm> comms = attach(rings, "interrupt", 60_000, 1000);
        try {
            Thread waiter = Thread.currentThread();
            Thread stopper = Thread.ofPlatform().daemon().start(() -> {
                // Once the waiter sleeps at the barrier (however slow the machine is), interrupt it.
                while (!waitsAtBarrier(waiter)) Thread.onSpinWait();
                waiter.interrupt();
            });
            long t0 = System.nanoTime();
            assertThrows(java.io.InterruptedIOException.class,
                    () -> comms.get(0).sum(Arena.ofAuto().allocate(4000), 1000, 1f, "step 8"));
            assertTrue((System.nanoTime() - t0) / 1e9 < 30, "took too long");
            assertTrue(Thread.interrupted(), "the interrupt was swallowed"); // and cleared, for the join
            stopper.join();
        } finally {
            closeAll(comms, rings);
        }
    }

    /** Whether {@code t} waits for its peer at a barrier (asleep in the kernel, or napping). */
    private static boolean waitsAtBarrier(Thread t) {
        boolean barrier = false, asleep = t.getState() == Thread.State.TIMED_WAITING;
        for (StackTraceElement f : t.getStackTrace()) {
            barrier |= f.getClassName().equals(SharedMemoryAllReduce.class.getName()) && f.getMethodName().equals("barrier");
            asleep |= f.getMethodName().startsWith("select") || f.getMethodName().startsWith("doSelect");
        }
        return barrier && asleep;
    }

    @Test
    void aWaitAtTheBarrierSleepsInTheKernelInsteadOfPolling() throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "sleeps", 10_000);
        List<RankTrainer.Comm> comms = attach(rings, "sleeps", 10_000, 1000);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            long[] cpu = new long[1];
            Thread[] waiter = new Thread[1];
            Future<?> f = pool.submit(() -> {
                waiter[0] = Thread.currentThread();
                long c0 = threads.getCurrentThreadCpuTime();
                comms.get(0).sum(Arena.ofAuto().allocate(4000), 1000, 1f, "step 9");
                cpu[0] = threads.getCurrentThreadCpuTime() - c0;
                return null;
            });
            // Rank 1 arrives a second later: rank 0 waits that long at the first barrier.
            while (waiter[0] == null || !waitsAtBarrier(waiter[0])) Thread.onSpinWait();
            Thread.sleep(1000);
            comms.get(1).sum(Arena.ofAuto().allocate(4000), 1000, 1f, "step 9");
            f.get(30, TimeUnit.SECONDS);
            // Polling (spin, then 20 µs naps) for that second took 131 ms of CPU here; sleeping, 0.4 ms.
            System.out.printf("shared memory: rank 0 waited a second at the doorbell on %.2f ms of CPU%n", cpu[0] / 1e6);
            assertTrue(cpu[0] < 25_000_000L, "rank 0 spent " + cpu[0] / 1e6 + " ms of CPU waiting a second");
        } finally {
            pool.shutdownNow();
            closeAll(comms, rings);
        }
    }

    /** Mapping files of run {@code run} still in either place the mapping may live. */
    private static List<Path> leftovers(String run) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path dir : new Path[] {Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir"))}) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().equals(SharedMemoryAllReduce.fileName(run))).forEach(out::add);
            }
        }
        return out;
    }
}
