package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ring all-reduce between threads over loopback TCP, without Spark. */
@Timeout(60)
class RingAllReduceTest {

    /** Opens {@code n} endpoints and connects the ring from {@code n} threads, over Unix-domain sockets (one host). */
    static List<RingAllReduce> ring(int n, String runId, long timeoutMillis) throws Exception {
        return ring(n, runId, timeoutMillis, true);
    }

    /** The same, over loopback TCP when {@code unix} is false (as between hosts). */
    static List<RingAllReduce> ring(int n, String runId, long timeoutMillis, boolean unix) throws Exception {
        RingAllReduce.Endpoint[] servers = new RingAllReduce.Endpoint[n];
        String[] addresses = new String[n];
        for (int r = 0; r < n; r++) {
            servers[r] = RingAllReduce.listen(unix);
            addresses[r] = servers[r].address("127.0.0.1");
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<RingAllReduce>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(pool.submit(() -> RingAllReduce.connect(rank, addresses, servers[rank], runId, timeoutMillis)));
            }
            List<RingAllReduce> out = new ArrayList<>();
            for (Future<RingAllReduce> f : fs) out.add(f.get(30, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static float[][] sumOnAll(List<RingAllReduce> rings, float[][] data) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(rings.size());
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int r = 0; r < rings.size(); r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    rings.get(rank).sum(data[rank], data[rank].length, "test");
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
            return data;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void sumsAcrossRanksAndLeavesIdenticalBits() throws Exception {
        for (int n : new int[] {2, 3, 4, -2, -3}) {
            boolean unix = n > 0;
            n = Math.abs(n);
            List<RingAllReduce> rings = ring(n, "run", 10_000, unix);
            try {
                for (RingAllReduce r : rings)
                    assertEquals(unix, r.sameHostTransport(), "transport of rank " + rings.indexOf(r) + " of " + n);
                Random rnd = new Random(n);
                int len = 10_007; // not a multiple of the rank count: uneven chunks
                float[][] data = new float[n][len];
                double[] expect = new double[len];
                for (int r = 0; r < n; r++)
                    for (int i = 0; i < len; i++) {
                        data[r][i] = (float) rnd.nextGaussian();
                        expect[i] += data[r][i];
                    }
                sumOnAll(rings, data);
                for (int r = 1; r < n; r++) assertArrayEquals(data[0], data[r], "rank " + r + " differs from rank 0 (n=" + n + ")");
                for (int i = 0; i < len; i++) assertEquals(expect[i], data[0][i], 1e-5, "element " + i);
                sumOnAll(rings, data); // once more: buffers reused, n ranks' copies of the same sum
                for (int i = 0; i < len; i++) assertEquals(n * expect[i], data[0][i], 1e-4 * n, "element " + i + ", second sum");
            } finally {
                for (RingAllReduce r : rings) r.close();
            }
        }
    }

    @Test
    void gatherGivesEveryRankEveryVectorInRankOrder() throws Exception {
        List<RingAllReduce> rings = ring(3, "run", 10_000);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<double[][]>> fs = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                int rank = r;
                fs.add(pool.submit(() -> rings.get(rank).gather(new double[] {rank, rank * 0.1, Math.PI}, "test")));
            }
            for (Future<double[][]> f : fs) {
                double[][] all = f.get(30, TimeUnit.SECONDS);
                for (int r = 0; r < 3; r++) assertArrayEquals(new double[] {r, r * 0.1, Math.PI}, all[r]);
            }
        } finally {
            pool.shutdown();
            for (RingAllReduce r : rings) r.close();
        }
    }

    @Test
    void aSilentPeerFailsTheCallWithinTheTimeoutNamingIt() throws Exception {
        List<RingAllReduce> rings = ring(2, "run", 500);
        try {
            long t0 = System.nanoTime();
            // Rank 1 never calls sum: rank 0 sends its chunk but receives nothing.
            TimeoutException e = assertThrows(TimeoutException.class, () -> rings.get(0).sum(new float[1000], 1000, "step 7"));
            double s = (System.nanoTime() - t0) / 1e9;
            assertTrue(s < 5, "took " + s + " s");
            assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("step 7"), e.getMessage());
        } finally {
            for (RingAllReduce r : rings) r.close();
        }
    }

    @Test
    void aPeerThatDiesIsReportedNotWaitedFor() throws Exception {
        List<RingAllReduce> rings = ring(2, "run", 30_000);
        rings.get(1).close();
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> rings.get(0).sum(new float[1000], 1000, "step 3"));
        assertTrue((System.nanoTime() - t0) / 1e9 < 5);
        assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("step 3"), e.getMessage());
        rings.get(0).close();
    }

    @Test
    void aConnectionFromAnotherRunIsRefused() throws Exception {
        RingAllReduce.Endpoint s0 = RingAllReduce.listen(true), s1 = RingAllReduce.listen(false);
        String[] addr = {s0.address("127.0.0.1"), s1.address("127.0.0.1")};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RingAllReduce> a = pool.submit(() -> RingAllReduce.connect(0, addr, s0, "run-A", 1500));
            Future<RingAllReduce> b = pool.submit(() -> RingAllReduce.connect(1, addr, s1, "run-B", 1500));
            for (Future<RingAllReduce> f : List.of(a, b)) {
                var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof TimeoutException, String.valueOf(e.getCause()));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aSameHostPeerWithoutItsSocketIsDialedOverTcpAndSocketFilesAreRemoved() throws Exception {
        RingAllReduce.Endpoint s0 = RingAllReduce.listen(true), s1 = RingAllReduce.listen(true);
        assertTrue(s0.unixPath != null && java.nio.file.Files.exists(s0.unixPath), "no Unix-domain socket in java.io.tmpdir");
        // Rank 1 advertises a socket that is not there (another container's file system): TCP it is.
        String[] addr = {s0.address("127.0.0.1"), s1.address("127.0.0.1").replaceAll("\\|.*", "|/nonexistent/jgrad.sock")};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RingAllReduce> a = pool.submit(() -> RingAllReduce.connect(0, addr, s0, "run", 10_000));
            Future<RingAllReduce> b = pool.submit(() -> RingAllReduce.connect(1, addr, s1, "run", 10_000));
            try (RingAllReduce r0 = a.get(30, TimeUnit.SECONDS); RingAllReduce r1 = b.get(30, TimeUnit.SECONDS)) {
                assertTrue(!r0.sameHostTransport() && !r1.sameHostTransport());
                float[][] data = {{1f, 2f, 3f}, {10f, 20f, 30f}};
                sumOnAll(List.of(r0, r1), data);
                assertArrayEquals(new float[] {11f, 22f, 33f}, data[1]);
            }
            assertTrue(!java.nio.file.Files.exists(s0.unixPath) && !java.nio.file.Files.exists(s1.unixPath),
                    "a socket file was left behind");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void oneRankIsANoOp() throws Exception {
        RingAllReduce.Endpoint s = RingAllReduce.listen(true);
        try (RingAllReduce r = RingAllReduce.connect(0, new String[] {"x:1"}, s, "run", 100)) {
            float[] v = {1.5f, -2f};
            r.sum(v, 2, "test");
            assertArrayEquals(new float[] {1.5f, -2f}, v);
            assertEquals(1, r.gather(new double[] {3}, "test").length);
        }
    }
}
