package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
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

    /** Opens {@code n} listening sockets and connects the ring from {@code n} threads. */
    static List<RingAllReduce> ring(int n, String runId, long timeoutMillis) throws Exception {
        ServerSocketChannel[] servers = new ServerSocketChannel[n];
        String[] addresses = new String[n];
        for (int r = 0; r < n; r++) {
            servers[r] = RingAllReduce.listen();
            addresses[r] = "127.0.0.1:" + ((java.net.InetSocketAddress) servers[r].getLocalAddress()).getPort();
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
        for (int n : new int[] {2, 3, 4}) {
            List<RingAllReduce> rings = ring(n, "run", 10_000);
            try {
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
        ServerSocketChannel s0 = RingAllReduce.listen(), s1 = RingAllReduce.listen();
        String[] addr = {"127.0.0.1:" + ((java.net.InetSocketAddress) s0.getLocalAddress()).getPort(),
                "127.0.0.1:" + ((java.net.InetSocketAddress) s1.getLocalAddress()).getPort()};
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
    void oneRankIsANoOp() throws Exception {
        ServerSocketChannel s = RingAllReduce.listen();
        try (RingAllReduce r = RingAllReduce.connect(0, new String[] {"x:1"}, s, "run", 100)) {
            float[] v = {1.5f, -2f};
            r.sum(v, 2, "test");
            assertArrayEquals(new float[] {1.5f, -2f}, v);
            assertEquals(1, r.gather(new double[] {3}, "test").length);
        }
    }
}
