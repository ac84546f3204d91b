package org.jgrad.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.jgrad.train.EpochLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurements, not a test (it asserts nothing about speed): the all-reduce's cost per step for a
 * ResNet-18-sized gradient and for the lectures' MLP between two JVMs, and the epoch time of ResNet-18
 * at batch 32 per worker on 2 workers × 1 core against 1 worker × 1 core in {@code local-cluster}.
 * Run: {@code ./mvnw -pl jgrad-spark -am test -Dtest=SparkScalingBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Djgrad.spark.bench=true} (add {@code -Djgrad.spark.bench.steps=N -Djgrad.spark.bench.repeats=R}, and
 * {@code -Djgrad.spark.bench.executorMemory=1800m -Djgrad.spark.bench.executorJavaOptions=...} for the executors
 * (default {@code -XX:ActiveProcessorCount=1}), {@code -Djgrad.spark.bench.transports=shm,sockets} for the same-host
 * transports measured, each optionally with {@code /training} or {@code /background} for the thread that sums the
 * gradients, e.g. {@code shm/training,shm/background},
 * {@code -Djgrad.spark.bench.bucketBytes=N} for the all-reduce's bucket size, {@code -Djgrad.spark.bench.calls=N} for
 * the all-reduce's calls, {@code -Djgrad.spark.bench.epochs=N} for the epochs of each fit, the last one timed (default 2),
 * {@code -Djgrad.spark.bench.warmUpFits=N} for the untimed two-worker fits before the first timed one (default 1)).
 * Every fit prints rank 0's {@link StepTimings}, with the CPU of each of its JVM's threads per step.
 */
@EnabledIfSystemProperty(named = "jgrad.spark.bench", matches = "true", disabledReason = "a benchmark: -Djgrad.spark.bench=true")
class SparkScalingBench {

    @Test
    void allReduceCostBetweenTwoJvms() throws Exception {
        int iters = Integer.getInteger("jgrad.spark.bench.calls", 20);
        String cap = Long.toString(GradientReducer.DEFAULT_CAP_BYTES);
        // {mode, size, transport}: a shared mapping and a Unix-domain socket (one host), TCP (as between hosts).
        String[][] runs = {{"ring", "11689512", "shm"}, {"ring", "11689512", "true"}, {"ring", "11689512", "false"},
                {"ring", "535818", "shm"}, {"ring", "535818", "true"}, {"buckets", cap, "shm"}, {"buckets", cap, "true"},
                {"buckets", cap, "false"}};
        for (String[] run : runs) {
            int[] ports = {freePort(), freePort()};
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> ps = new ArrayList<>();
            for (int r = 0; r < 2; r++)
                ps.add(new ProcessBuilder(java, "-Xmx1g", "--add-modules", "jdk.incubator.vector",
                        "-Djgrad.spark.bench.unix=" + run[2], "-cp", cp,
                        AllReduceBenchMain.class.getName(), Integer.toString(r), ports[0] + "," + ports[1], run[0],
                        Integer.toString(iters), run[1]).redirectErrorStream(true).start());
            for (Process p : ps) {
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                System.out.print("all-reduce 2 JVMs: " + out.lines().filter(l -> l.startsWith("rank")).reduce("", (a, b) -> a + b + "\n"));
            }
            System.out.println("  (" + loadAverage() + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void resnet18EpochTimeTwoWorkersAgainstOne() throws Exception {
        int steps = Integer.getInteger("jgrad.spark.bench.steps", 6), repeats = Integer.getInteger("jgrad.spark.bench.repeats", 2);
        // The last epoch is timed: the ones before it warm the JIT compiler up.
        int epochs = Integer.getInteger("jgrad.spark.bench.epochs", 2);
        long bucket = Long.getLong("jgrad.spark.bench.bucketBytes", GradientReducer.DEFAULT_CAP_BYTES);
        // Which same-host transports the two workers use, each measured in every repeat: shm, sockets or both,
        // each optionally with "/training" or "/background" for the thread that sums the gradients.
        List<String> transports = List.of(System.getProperty("jgrad.spark.bench.transports", "shm,sockets").split(","));
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME")));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,2048]").appName("jgrad-spark-bench")
                .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", cp)
                .config("spark.executor.memory", System.getProperty("jgrad.spark.bench.executorMemory", "1g"))
                // One core per executor: its JVM sizes its GC and JIT threads to it (and picks the serial
                // collector) instead of to the whole machine; -Djgrad.spark.bench.executorJavaOptions= (empty) turns it off.
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector "
                        + System.getProperty("jgrad.spark.bench.executorJavaOptions", "-XX:ActiveProcessorCount=1")).getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            ModelSpec resnet = ModelSpec.zoo("resnet18", Map.of("num_classes", "1000"));
            // Untimed: one two-worker fit like the timed ones, so that both executors' JIT compilers have
            // compiled the training step before anything is timed. Without it the lone worker's executor
            // was warm from its own fit when the two-worker fit started and the other one cold, and the
            // cold one's compiler took CPU from both ranks' steps (each rank waits for the other).
            int warmUpFits = Integer.getInteger("jgrad.spark.bench.warmUpFits", 1);
            for (int i = 0; i < warmUpFits; i++) {
                long t0 = System.nanoTime();
                fit(jsc, resnet, 2, steps, epochs, bucket, transports.get(0));
                System.out.printf("warm-up fit %d of %d (2 workers, %s, %d epochs of %d steps, untimed): %.1f s%n", i + 1,
                        warmUpFits, transports.get(0), epochs, steps, (System.nanoTime() - t0) / 1e9);
            }
            for (int rep = 0; rep < repeats; rep++) {
                double one = 0;
                List<String> runs = new ArrayList<>(List.of("one"));
                runs.addAll(transports);
                for (String transport : runs) {
                    int w = transport.equals("one") ? 1 : 2;
                    long driverCpu0 = processCpuNanos(), wall0 = System.nanoTime();
                    DriverCpu sampler = DriverCpu.start();
                    var r = fit(jsc, resnet, w, steps, epochs, bucket, transport);
                    double driverCpuShare = (processCpuNanos() - driverCpu0) / (double) (System.nanoTime() - wall0);
                    double driverSteady = sampler.stop();
                    EpochLog second = r.history().epochs().get(epochs - 1);
                    StringBuilder perEpoch = new StringBuilder();
                    for (EpochLog e : r.history().epochs())
                        perEpoch.append(String.format(java.util.Locale.ROOT, "epoch %d %.1f s, ", e.epoch(), e.seconds()));
                    System.out.printf("resnet18 batch 32/worker, %d worker(s) x 1 core%s, %d steps: %s"
                            + "(%.3f s/step); rank 0 per step (epoch %d): %s; the driver's JVM (with local-cluster's master"
                            + " and worker) used %.0f %% of a core during fit, a median %.1f %% per second%n", w,
                            w == 1 ? "" : " (" + transport + ")", steps, perEpoch, second.seconds() / steps, epochs, r.timings(),
                            100 * driverCpuShare, 100 * driverSteady);
                    for (int k = 1; k < r.rankTimings().size(); k++)
                        System.out.printf("  rank %d per step: %s%n", k, r.rankTimings().get(k));
                    System.out.printf("  the driver's JVM during rank 0's timed steps: %s%n",
                            sampler.during(r.timings().fromMillis(), r.timings().toMillis(), second.seconds() / steps));
                    if (w == 1) {
                        one = second.seconds();
                        continue;
                    }
                    StepTimings two = r.timings();
                    System.out.printf("repeat %d, %s: scaling efficiency (same steps, twice the samples) = T1/T2 = %.2f; rank 0 per"
                            + " step: %.1f ms in the exchange of losses, %.1f ms waiting for the all-reduce after backward"
                            + " (busy %.1f ms, CPU %.1f ms beside it); buckets of %d bytes; %s%n", rep + 1, transport,
                            one / second.seconds(), two.exchange() * 1e3, two.allReduceWait() * 1e3, two.allReduceBusy() * 1e3,
                            two.allReduceCpu() * 1e3, bucket, loadAverage());
                }
            }
        } finally {
            spark.stop();
        }
    }

    /** ResNet-18 on {@code workers} × 1 core, batch 32 per worker, {@code steps} steps an epoch. */
    private static SparkTrainingResult fit(JavaSparkContext jsc, ModelSpec resnet, int workers, int steps, int epochs,
            long bucket, String transport) {
        // "shm" or "sockets", optionally "/training" or "/background": which thread sums the gradients.
        String[] t = transport.split("/");
        return SparkTrainer.builder(resnet, OptimizerSpec.sgd(0.01).momentum(0.9), LossSpec.of("cross_entropy"))
                .workers(workers).batchSize(32).epochs(epochs).seed(1).threadsPerWorker(1).bucketCapBytes(bucket)
                .sharedMemory(!t[0].equals("sockets")).allReduceThread(t.length > 1 ? t[1] : "auto").build()
                .fit(jsc.parallelize(indices(32L * workers * steps), 2).map(new ImageSamples()), null);
    }

    /**
     * Samples this JVM's CPU share once a second while a fit runs: the median is the driver's steady
     * cost beside the training (the total also holds shipping the weights out and back). It also keeps
     * every thread's scheduler times twice a second, so that the driver's CPU by thread can be given
     * over the steps rank 0 timed ({@link #during}).
     */
    private static final class DriverCpu {
        private final List<Double> shares = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Map.Entry<Long, ThreadSchedule.Snapshot>> snapshots =
                java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile boolean stop;
        private Thread thread;

        static DriverCpu start() {
            DriverCpu d = new DriverCpu();
            d.thread = Thread.ofPlatform().daemon().name("bench-driver-cpu").start(() -> {
                long c = processCpuNanos(), t = System.nanoTime();
                while (!d.stop) {
                    // Reading ~200 threads' files takes this thread a few ms (it is left out of the totals).
                    d.snapshots.add(Map.entry(System.currentTimeMillis(), ThreadSchedule.take()));
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long c1 = processCpuNanos(), t1 = System.nanoTime();
                    d.shares.add((c1 - c) / (double) (t1 - t));
                    c = c1;
                    t = t1;
                }
            });
            return d;
        }

        double stop() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join();
            List<Double> s = new ArrayList<>(shares);
            if (s.isEmpty()) return Double.NaN;
            java.util.Collections.sort(s);
            return s.get(s.size() / 2);
        }

        /**
         * The driver's CPU by thread per step of {@code stepSeconds} between the first snapshot after
         * {@code fromMillis} and the last before {@code toMillis} (rank 0's timed steps), or why not.
         */
        String during(long fromMillis, long toMillis, double stepSeconds) {
            List<Map.Entry<Long, ThreadSchedule.Snapshot>> in = new ArrayList<>();
            synchronized (snapshots) {
                for (var e : snapshots) if (e.getKey() >= fromMillis && e.getKey() <= toMillis) in.add(e);
            }
            if (in.size() < 2) return "no two samples inside the timed steps";
            var a = in.get(0);
            var b = in.get(in.size() - 1);
            double seconds = (b.getKey() - a.getKey()) / 1e3, steps = seconds / stepSeconds;
            long total = 0, own = 0;
            for (var t : b.getValue().times().entrySet()) {
                long[] before = a.getValue().times().getOrDefault(t.getKey(), new long[2]);
                total += t.getValue()[0] - before[0];
                if (String.valueOf(b.getValue().names().get(t.getKey())).startsWith("bench-driver-cp")) own += t.getValue()[0] - before[0];
            }
            total -= own;
            return String.format(java.util.Locale.ROOT, "%.1f ms a step over %.1f s of them (%.1f %% of a core), without this"
                    + " bench's sampling thread; by thread: %s",
                    total / 1e6 / steps, seconds, total / 1e7 / seconds,
                    ThreadSchedule.summary(a.getValue(), b.getValue(), steps, -1));
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The load average line, so that a number says how busy the machine was. */
    static String loadAverage() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "load average " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    private static List<Long> indices(long n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) out.add(i);
        return out;
    }
}
