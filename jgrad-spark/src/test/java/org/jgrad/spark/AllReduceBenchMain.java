package org.jgrad.spark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.Models;

/**
 * One rank of the all-reduce benchmark, in a JVM of its own (as on a cluster): {@code rank ports mode
 * iterations [floats | bucketBytes]} where ports is "p0,p1,...". Modes:
 * <ul>
 *   <li>{@code ring floats}: the exchange of losses and status plus the sum of a float array of that length;
 *   <li>{@code buckets bucketBytes}: one step's gradient averaging for ResNet-18's 62 parameter tensors
 *       (11.7 M floats) through {@link GradientReducer}: copies in, the ring per bucket, copies out, with
 *       no backward pass to hide behind (every bucket is started by {@code finish}).
 * </ul>
 * Prints wall time per call (median, min, max) and CPU time per call: the calling thread's, the
 * reducer's background thread's, and the whole process's (JIT and GC included).
 */
public final class AllReduceBenchMain {
    private AllReduceBenchMain() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rank = Integer.parseInt(args[0]);
        String[] ports = args[1].split(",");
        String mode = args[2];
        int iters = Integer.parseInt(args[3]);
        String[] addresses = new String[ports.length];
        for (int i = 0; i < ports.length; i++) addresses[i] = "127.0.0.1:" + ports[i];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // -Djgrad.spark.bench.unix=false: loopback TCP between the two JVMs, as between hosts.
        // -Djgrad.spark.bench.unix=shm: a shared memory mapping for the sums, as SparkTrainer uses on one host.
        String transport = System.getProperty("jgrad.spark.bench.unix", "true");
        boolean unix = !transport.equals("false");
        var endpoint = RingAllReduce.listen(Integer.parseInt(ports[rank]), unix);
        addresses[rank] = endpoint.address("127.0.0.1");
        // The other rank's socket path is not known here (no exchange): each rank publishes it in a file.
        java.nio.file.Path mine = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "jgrad-bench-" + ports[rank]);
        java.nio.file.Files.writeString(mine, addresses[rank]);
        for (int r = 0; r < ports.length; r++) {
            if (r == rank) continue;
            java.nio.file.Path theirs = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "jgrad-bench-" + ports[r]);
            long until = System.nanoTime() + 60_000_000_000L;
            while (!java.nio.file.Files.exists(theirs) && System.nanoTime() < until) Thread.sleep(20);
            Thread.sleep(50);
            addresses[r] = java.nio.file.Files.readString(theirs).trim();
        }
        try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, endpoint, "bench", 60_000)) {
            java.nio.file.Files.deleteIfExists(mine);
            RankTrainer.Comm comm = transport.equals("shm")
                    ? SharedMemoryAllReduce.attach(ring, rank, addresses, "bench-" + ports[0], 60_000) : ring;
            double[] ms = new double[iters];
            long cpu = 0, commCpu = 0, proc = 0;
            String what;
            if (mode.equals("ring")) {
                int n = Integer.parseInt(args[4]);
                what = n + " floats";
                float[] v = new float[n];
                Arrays.fill(v, rank + 1);
                for (int i = -2; i < iters; i++) {
                    long t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime();
                    ring.gather(new double[5], "bench");
                    comm.sum(v, n, "bench");
                    if (i < 0) continue;
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    cpu += THREADS.getCurrentThreadCpuTime() - c0;
                    proc += os.getProcessCpuTime() - p0;
                }
            } else {
                long cap = Long.parseLong(args[4]);
                Module model = Models.resnet18(1000);
                List<Tensor> params = model.parameters();
                Generator gen = new Generator(rank);
                List<Tensor> grads = new ArrayList<>();
                long n = 0;
                for (Tensor p : params) {
                    grads.add(Tensor.randn(gen, p.shape()));
                    n += p.numel();
                }
                try (GradientReducer red = new GradientReducer(params, comm, rank, cap)) {
                    what = "ResNet-18 gradients (" + n + " floats) in " + red.buckets() + " buckets of up to " + cap + " bytes";
                    for (int i = -2; i < iters; i++) {
                        for (int k = 0; k < params.size(); k++) params.get(k).setGrad(grads.get(k));
                        long t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime();
                        long b0 = red.commCpuNanos();
                        ring.gather(new double[5], "bench");
                        red.begin("bench", 32, 1f, 1f / ports.length);
                        red.finish();
                        if (i < 0) continue;
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                        cpu += THREADS.getCurrentThreadCpuTime() - c0;
                        commCpu += red.commCpuNanos() - b0;
                        proc += os.getProcessCpuTime() - p0;
                    }
                }
            }
            Arrays.sort(ms);
            System.out.printf("rank %d: %s %s over %s: wall median %.1f ms, min %.1f ms, max %.1f ms over %d; CPU per call: calling thread"
                    + " %.1f ms, background thread %.1f ms, process %.1f ms%n", rank, mode, what,
                    comm instanceof SharedMemoryAllReduce ? "shared memory"
                            : ring.sameHostTransport() ? "a Unix-domain socket" : "TCP", ms[iters / 2], ms[0],
                    ms[iters - 1], iters, cpu / 1e6 / iters, commCpu / 1e6 / iters, proc / 1e6 / iters);
        }
    }
}
