package org.jgrad.spark;

import java.util.Arrays;

/**
 * One rank of the all-reduce benchmark, in a JVM of its own (as on a cluster): {@code rank ports floats
 * iterations} where ports is "p0,p1,...". Prints "rank R: median M ms, min m ms" for summing a float
 * array of that length, after two warm-up calls.
 */
public final class AllReduceBenchMain {
    private AllReduceBenchMain() {}

    public static void main(String[] args) throws Exception {
        int rank = Integer.parseInt(args[0]);
        String[] ports = args[1].split(",");
        int n = Integer.parseInt(args[2]), iters = Integer.parseInt(args[3]);
        String[] addresses = new String[ports.length];
        for (int i = 0; i < ports.length; i++) addresses[i] = "127.0.0.1:" + ports[i];
        var server = RingAllReduce.listen(Integer.parseInt(ports[rank]));
        try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, server, "bench", 60_000)) {
            float[] v = new float[n];
            Arrays.fill(v, rank + 1);
            double[] ms = new double[iters];
            for (int i = -2; i < iters; i++) {
                long t0 = System.nanoTime();
                ring.gather(new double[5], "bench");
                ring.sum(v, n, "bench");
                if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf("rank %d: %d floats: median %.1f ms, min %.1f ms, max %.1f ms over %d%n", rank, n, ms[iters / 2], ms[0],
                    ms[iters - 1], iters);
        }
    }
}
