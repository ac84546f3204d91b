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
 * {@code -Djgrad.spark.bench.executorMemory=1800m -Djgrad.spark.bench.executorJavaOptions=...} for the executors,
 * {@code -Djgrad.spark.bench.bucketBytes=N} for the all-reduce's bucket size, {@code -Djgrad.spark.bench.calls=N} for
 * the all-reduce's calls).
 */
@EnabledIfSystemProperty(named = "jgrad.spark.bench", matches = "true", disabledReason = "a benchmark: -Djgrad.spark.bench=true")
class SparkScalingBench {

    @Test
    void allReduceCostBetweenTwoJvms() throws Exception {
        int iters = Integer.getInteger("jgrad.spark.bench.calls", 20);
        String cap = Long.toString(GradientReducer.DEFAULT_CAP_BYTES);
        // {mode, size, Unix-domain socket?}: the same host's transport, and TCP as between hosts.
        String[][] runs = {{"ring", "11689512", "true"}, {"ring", "11689512", "false"}, {"ring", "535818", "true"},
                {"buckets", cap, "true"}, {"buckets", cap, "false"}};
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
        long bucket = Long.getLong("jgrad.spark.bench.bucketBytes", GradientReducer.DEFAULT_CAP_BYTES);
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME")));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,2048]").appName("jgrad-spark-bench")
                .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", cp)
                .config("spark.executor.memory", System.getProperty("jgrad.spark.bench.executorMemory", "1g"))
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector "
                        + System.getProperty("jgrad.spark.bench.executorJavaOptions", "")).getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            ModelSpec resnet = ModelSpec.zoo("resnet18", Map.of("num_classes", "1000"));
            for (int rep = 0; rep < repeats; rep++) {
                double[] epoch = new double[3];
                StepTimings two = null;
                for (int w : new int[] {1, 2}) {
                    long n = 32L * w * steps;
                    var r = SparkTrainer.builder(resnet, OptimizerSpec.sgd(0.01).momentum(0.9), LossSpec.of("cross_entropy"))
                            .workers(w).batchSize(32).epochs(2).seed(1).threadsPerWorker(1).bucketCapBytes(bucket).build()
                            .fit(jsc.parallelize(indices(n), 2).map(new ImageSamples()), null);
                    EpochLog second = r.history().epochs().get(1);
                    epoch[w] = second.seconds();
                    if (w == 2) two = r.timings();
                    System.out.printf("resnet18 batch 32/worker, %d worker(s) x 1 core, %d steps: epoch 1 %.1f s, epoch 2 %.1f s"
                            + " (%.3f s/step); rank 0 per step (both epochs): %s%n", w, steps,
                            r.history().epochs().get(0).seconds(), second.seconds(), second.seconds() / steps, r.timings());
                }
                System.out.printf("repeat %d: scaling efficiency (same steps, twice the samples) = T1/T2 = %.2f; rank 0 per step:"
                        + " %.1f ms waiting for rank 1's forward, %.1f ms waiting for the all-reduce after backward"
                        + " (busy %.1f ms, CPU %.1f ms beside it); buckets of %d bytes; %s%n", rep + 1, epoch[1] / epoch[2],
                        two.exchange() * 1e3, two.allReduceWait() * 1e3, two.allReduceBusy() * 1e3, two.allReduceCpu() * 1e3,
                        bucket, loadAverage());
            }
        } finally {
            spark.stop();
        }
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
