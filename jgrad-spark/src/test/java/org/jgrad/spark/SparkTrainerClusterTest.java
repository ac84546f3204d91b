package org.jgrad.spark;

import static org.jgrad.spark.Fixtures.assertBitIdentical;
import static org.jgrad.spark.Fixtures.maxRelativeDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.jgrad.kernels.Parallel;
import org.jgrad.train.TrainingDivergedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * SparkTrainer on a real multi-JVM cluster without a Spark install: {@code local-cluster[2,1,1536]}
 * starts a master, two workers and one executor JVM of 1 core and 1536 MB on each, so the ranks talk
 * between processes (shared memory, or their sockets), and an executor can be killed. Three to five minutes on two busy cores,
 * so it runs behind a flag: {@code ./mvnw -pl jgrad-spark -am test -Pspark-cluster} (.ci/run does).
 */
@Timeout(600)
@EnabledIfSystemProperty(named = "jgrad.spark.cluster", matches = "true",
        disabledReason = "the multi-JVM cluster tests run with -Pspark-cluster (they take minutes)")
class SparkTrainerClusterTest {
    private static SparkSession spark;
    private static JavaSparkContext jsc;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME")));
        Parallel.setThreads(1);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        spark = SparkSession.builder().master("local-cluster[2,1,1536]").appName("jgrad-spark-cluster-test")
                .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", cp)
                // One core's JVM per executor, as docs/spark.md recommends: the ranks then sum their
                // gradients on the training thread (no core to spare for a second thread), so every
                // check here runs that way; the local[2] tests run the background thread.
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector -XX:ActiveProcessorCount=1")
                // A replacement executor is waited for by re-checking the free slots; every second, not every 15.
                .config("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s")
                // for up to 5 minutes: a new executor JVM takes over the default 40 checks on a loaded machine.
                .config("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "300")
                .getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Both executors up and serving before any test times a job.
        Fixtures.rdd(jsc, 4, 2).count();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void sameMathAsOneMachineAcrossTwoExecutorJvms() {
        var init = Fixtures.initialWeights(21);
        OptimizerSpec sgd = OptimizerSpec.sgd(0.05).momentum(0.9), adam = OptimizerSpec.adam(0.003);
        var one = Fixtures.spark(init, sgd, 1, 16, 1).build().fit(Fixtures.rdd(jsc, 130, 2), null);
        assertBitIdentical(one.weights(), Fixtures.trainer(init, sgd, 130, 16, 1, null));

        var a = Fixtures.spark(init, sgd, 2, 8, 1).build().fit(Fixtures.rdd(jsc, 800, 4), null);
        var b = Fixtures.spark(init, sgd, 2, 8, 1).build().fit(Fixtures.rdd(jsc, 800, 3), null);
        assertBitIdentical(a.weights(), b.weights());
        assertEquals(a.replicaDigests().get(0), a.replicaDigests().get(1));
        // Two executor JVMs of one host sum through shared memory by default; over their Unix-domain
        // socket they get the same bits (two ranks: a + b either way).
        assertEquals("shared memory", a.timings().transport());
        assertTrue(a.timings().allReduceOnTrainingThread() && a.rankTimings().get(1).allReduceOnTrainingThread(),
                "executors of one core sum on the training thread");
        var sockets = Fixtures.spark(init, sgd, 2, 8, 1).sharedMemory(false).build().fit(Fixtures.rdd(jsc, 800, 4), null);
        assertEquals("Unix-domain socket", sockets.timings().transport());
        assertBitIdentical(sockets.weights(), a.weights());
        double relSgd = maxRelativeDifference(a.weights(), Fixtures.trainer(init, sgd, 800, 16, 1, null));
        var c = Fixtures.spark(init, adam, 2, 8, 1).build().fit(Fixtures.rdd(jsc, 800, 4), null);
        double relAdam = maxRelativeDifference(c.weights(), Fixtures.trainer(init, adam, 800, 16, 1, null));
        System.out.printf("local-cluster: 2 workers x 8 vs 1 x 16 after 50 steps: SGD %.3g, Adam %.3g; rank 0 per step: %s%n",
                relSgd, relAdam, a.timings());
        assertTrue(relSgd < 1e-6 && relAdam < 1e-6, "SGD " + relSgd + ", Adam " + relAdam);
    }

    @Test
    void anExecutorKilledMidEpochResumesFromTheCheckpoint(@TempDir Path dir) {
        var init = Fixtures.initialWeights(22);
        OptimizerSpec opt = OptimizerSpec.adam(0.01);
        // 160 samples at 2 × 8: 10 steps an epoch; rank 1's executor dies before step 15, in epoch 2.
        var whole = Fixtures.spark(init, opt, 2, 8, 3).build().fit(Fixtures.rdd(jsc, 160, 2), null);
        long t0 = System.nanoTime();
        var r = Fixtures.spark(init, opt, 2, 8, 3).checkpoint(dir.resolve("ck").toString()).haltAt(1, 15).build()
                .fit(Fixtures.rdd(jsc, 160, 2), null);
        System.out.printf("local-cluster: executor killed at step 15, resumed and finished in %.1f s, %d attempts%n",
                (System.nanoTime() - t0) / 1e9, r.attempts());
        assertEquals(2, r.attempts());
        assertEquals(3, r.history().epochs().size());
        assertEquals(30, r.steps());
        assertBitIdentical(r.weights(), whole.weights());
    }

    @Test
    void aNaNOnOneRankStopsTheJobWithoutHanging() {
        var init = Fixtures.initialWeights(23);
        long t0 = System.nanoTime();
        var e = assertThrows(TrainingDivergedException.class, () -> Fixtures.spark(init, OptimizerSpec.sgd(0.1), 2, 8, 2)
                .nanAt(1, 7).build().fit(Fixtures.rdd(jsc, 160, 2), null));
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("local-cluster: NaN on rank 1 at step 7 stopped the job in %.1f s: %s%n", s, e.getMessage());
        assertTrue(e.getMessage().startsWith("bad training data") && e.getMessage().contains("rank 1")
                && e.getMessage().contains("step 7"), e.getMessage());
        assertTrue(s < 120, "took " + s + " s");
    }
}
