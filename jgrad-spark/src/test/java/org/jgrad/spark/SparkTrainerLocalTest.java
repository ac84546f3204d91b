package org.jgrad.spark;

import static org.jgrad.spark.Fixtures.assertBitIdentical;
import static org.jgrad.spark.Fixtures.maxRelativeDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jgrad.data.Sample;
import org.jgrad.internal.TensorData;
import org.jgrad.kernels.Parallel;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.History;
import org.jgrad.train.TrainingDivergedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SparkTrainer in one JVM ({@code local[2]}): the same math as jgrad's Trainer, replicas and runs bit-identical. */
@Timeout(300)
class SparkTrainerLocalTest {
    private static SparkSession spark;
    private static JavaSparkContext jsc;

    @BeforeAll
    static void start() {
        // One compute thread everywhere: the tasks set it anyway, and the single-machine runs must use the same kernels' split.
        Parallel.setThreads(1);
        spark = SparkSession.builder().master("local[2]").appName("jgrad-spark-test")
                .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void oneWorkerIsBitIdenticalToTrainer() {
        var init = Fixtures.initialWeights(1);
        for (OptimizerSpec opt : List.of(OptimizerSpec.sgd(0.1).momentum(0.9), OptimizerSpec.adam(0.01))) {
            History[] h = new History[1];
            // 130 samples at batch 16: 9 steps an epoch, the last one partial.
            var single = Fixtures.trainer(init, opt, 130, 16, 2, h);
            var r = Fixtures.spark(init, opt, 1, 16, 2).build().fit(Fixtures.rdd(jsc, 130, 3), null);
            assertBitIdentical(r.weights(), single);
            assertEquals(18, r.steps());
            for (int e = 0; e < 2; e++)
                assertEquals(h[0].epochs().get(e).trainLoss(), r.history().epochs().get(e).trainLoss(), 0.0, "epoch " + e + " loss");
            assertEquals(h[0].epochs().get(1).trainAccuracy(), r.history().epochs().get(1).trainAccuracy(), 0.0);
        }
    }

    @Test
    void twoWorkersAtBatchBMatchOneMachineAtBatch2B() {
        var init = Fixtures.initialWeights(2);
        for (OptimizerSpec opt : List.of(OptimizerSpec.sgd(0.05).momentum(0.9), OptimizerSpec.adam(0.003))) {
            // 800 samples, 2 × 8 per step: 50 steps.
            var single = Fixtures.trainer(init, opt, 800, 16, 1, null);
            var r = Fixtures.spark(init, opt, 2, 8, 1).build().fit(Fixtures.rdd(jsc, 800, 4), null);
            assertEquals(50, r.steps());
            double rel = maxRelativeDifference(r.weights(), single);
            System.out.printf("local[2] %s: 2 workers x 8 vs 1 x 16 after 50 steps: max relative difference %.3g%n", opt, rel);
            assertTrue(rel < 1e-6, opt + ": relative difference " + rel);
            assertEquals(2, r.replicaDigests().size());
            assertEquals(r.replicaDigests().get(0), r.replicaDigests().get(1));
            // 200-byte buckets: four all-reduces a step, the first ones beside the backward pass. With two
            // ranks each sum is a + b whatever the buckets, so the weights are the same bits.
            var small = Fixtures.spark(init, opt, 2, 8, 1).bucketCapBytes(200).build().fit(Fixtures.rdd(jsc, 800, 4), null);
            assertBitIdentical(small.weights(), r.weights());
            assertEquals(small.replicaDigests().get(0), small.replicaDigests().get(1));
            System.out.printf("local[2] %s, 200-byte buckets: rank 0 per step: %s%n", opt, small.timings());
            // Both ranks run on this host: the sums go through shared memory unless told otherwise,
            // and over a Unix-domain socket they give the same bits (two ranks: a + b either way).
            assertEquals("shared memory", r.timings().transport());
            // The tasks share this JVM's cores; with one to spare the buckets go to a background thread.
            assertEquals(Runtime.getRuntime().availableProcessors() <= 1, r.timings().allReduceOnTrainingThread());
            var sockets = Fixtures.spark(init, opt, 2, 8, 1).sharedMemory(false).bucketCapBytes(200).build()
                    .fit(Fixtures.rdd(jsc, 800, 4), null);
            assertEquals("Unix-domain socket", sockets.timings().transport());
            assertBitIdentical(sockets.weights(), r.weights());
            assertEquals(sockets.replicaDigests().get(0), sockets.replicaDigests().get(1));
        }
    }

    @Test
    void twoRunsAreBitIdenticalAndSeedsTheWeights() {
        var b = SparkTrainer.builder(ModelSpec.of(TinyMlp.class, Fixtures.IN, Fixtures.HIDDEN, Fixtures.CLASSES),
                OptimizerSpec.sgd(0.1), LossSpec.of("cross_entropy")).workers(2).batchSize(10).epochs(2).seed(5)
                .shuffle(true).threadsPerWorker(1);
        var a = b.build().fit(Fixtures.rdd(jsc, 205, 3), Fixtures.rdd(jsc, 40, 2));
        var c = b.build().fit(Fixtures.rdd(jsc, 205, 2), Fixtures.rdd(jsc, 40, 1));
        assertBitIdentical(a.weights(), c.weights());
        assertEquals(a.history().epochs().get(1).valLoss(), c.history().epochs().get(1).valLoss(), 0.0);
        assertTrue(Double.isFinite(a.history().epochs().get(1).valAccuracy()));
        var other = b.seed(6).build().fit(Fixtures.rdd(jsc, 205, 3), null);
        assertTrue(maxRelativeDifference(other.weights(), a.weights()) > 1e-3, "the seed changed nothing");
    }

    @Test
    void aNaNOnOneRankStopsEveryRankWithOneClearError() {
        var init = Fixtures.initialWeights(3);
        long t0 = System.nanoTime();
        var e = assertThrows(TrainingDivergedException.class,
                () -> Fixtures.spark(init, OptimizerSpec.sgd(0.1), 2, 8, 1).nanAt(1, 5).build().fit(Fixtures.rdd(jsc, 160, 2), null));
        assertTrue(e.getMessage().startsWith("bad training data") && e.getMessage().contains("step 5")
                && e.getMessage().contains("rank 1") && !e.getMessage().contains("rank 0"), e.getMessage());
        System.out.printf("local[2] NaN on rank 1 at step 5: stopped after %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, e.getMessage());
    }

    @Test
    void aRunResumesFromItsCheckpointExactly(@TempDir Path dir) throws Exception {
        var init = Fixtures.initialWeights(4);
        OptimizerSpec opt = OptimizerSpec.adam(0.01);
        var whole = Fixtures.spark(init, opt, 2, 8, 3).build().fit(Fixtures.rdd(jsc, 100, 2), null);
        Path ck = dir.resolve("run");
        var first = Fixtures.spark(init, opt, 2, 8, 2).checkpoint(ck.toString()).build().fit(Fixtures.rdd(jsc, 100, 2), null);
        assertTrue(Files.exists(ck.resolve(CheckpointStore.FILE)));
        assertEquals(2, first.history().epochs().size());
        // The same run asked for a third epoch continues from epoch 2, not from the start.
        var resumed = Fixtures.spark(init, opt, 2, 8, 3).checkpoint(ck.toString()).build().fit(Fixtures.rdd(jsc, 100, 2), null);
        assertEquals(3, resumed.history().epochs().size());
        assertEquals(first.history().epochs().get(1), resumed.history().epochs().get(1));
        assertBitIdentical(resumed.weights(), whole.weights());
        // Another run (other weights) refuses the folder instead of resuming a stranger's state.
        var e = assertThrows(IllegalStateException.class, () -> Fixtures.spark(Fixtures.initialWeights(5), opt, 2, 8, 3)
                .checkpoint(ck.toString()).build().fit(Fixtures.rdd(jsc, 100, 2), null));
        assertTrue(e.getMessage().contains("belongs to another run"), e.getMessage());
    }

    @Test
    void averagingEveryKStepsKeepsReplicasIdenticalAndLearns() {
        var init = Fixtures.initialWeights(6);
        var r = Fixtures.spark(init, OptimizerSpec.sgd(0.1), 2, 8, 3).syncEvery(4).build().fit(Fixtures.rdd(jsc, 400, 2), null);
        assertEquals(r.replicaDigests().get(0), r.replicaDigests().get(1));
        var h = r.history().epochs();
        assertTrue(h.get(2).trainLoss() < h.get(0).trainLoss(), "loss " + h.get(0).trainLoss() + " -> " + h.get(2).trainLoss());
    }

    @Test
    void tablesTrainLikeRddsAndScoreWithOneModelPerPartition() {
        int n = 96;
        List<Sample> samples = Fixtures.DATA.all(n);
        List<Row> rows = new ArrayList<>();
        for (Sample s : samples) rows.add(RowFactory.create(s.input().toFloatArray(), (int) s.target().toLongArray()[0]));
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType))
                .add("label", DataTypes.IntegerType);
        Dataset<Row> table = spark.createDataFrame(rows, schema).repartition(3);
        var init = Fixtures.initialWeights(7);
        var fromRdd = Fixtures.spark(init, OptimizerSpec.sgd(0.1), 2, 8, 1).build().fit(Fixtures.rdd(jsc, n, 2), null);
        var fromTable = Fixtures.spark(init, OptimizerSpec.sgd(0.1), 2, 8, 1).features("features", Fixtures.IN).label("label")
                .build().fit(spark.createDataFrame(rows, schema).coalesce(1), null);
        assertBitIdentical(fromTable.weights(), fromRdd.weights());

        Dataset<Row> scored = SparkScorer.builder(ModelSpec.of(TinyMlp.class, Fixtures.IN, Fixtures.HIDDEN, Fixtures.CLASSES),
                fromRdd.weights()).features("features", Fixtures.IN).batchSize(7).build().score(table);
        List<Row> out = scored.collectAsList();
        assertEquals(n, out.size());
        TinyMlp local = fromRdd.loadInto(new TinyMlp(Fixtures.IN, Fixtures.HIDDEN, Fixtures.CLASSES));
        local.eval();
        for (Row r : out) {
            float[] x = new float[Fixtures.IN];
            List<Object> f = r.getList(0);
            for (int i = 0; i < x.length; i++) x[i] = (Float) f.get(i);
            Tensor y = local.call(TensorData.wrap(x, 1, Fixtures.IN));
            assertEquals((int) y.argmax(1, false).toLongArray()[0], r.getInt(2));
            List<Object> s = r.getList(3);
            for (int j = 0; j < Fixtures.CLASSES; j++) assertEquals(y.toFloatArray()[j], (Float) s.get(j), 1e-6f);
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> Fixtures.spark(init, OptimizerSpec.sgd(0.1), 2, 8, 1)
                .features("pixels", 6).build().fit(table, null));
        assertTrue(bad.getMessage().contains("no column 'pixels'"), bad.getMessage());
    }

    @Test
    void settingsAreCheckedOnTheDriver() {
        assertThrows(IllegalArgumentException.class, () -> Fixtures.spark(Map.of(), OptimizerSpec.sgd(0.1), 0, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.sgd(-1));
        var e = assertThrows(IllegalArgumentException.class, () -> Fixtures.spark(Fixtures.initialWeights(1),
                OptimizerSpec.sgd(0.1), 1, 8, 1).build().fit(Fixtures.rdd(jsc, 0, 1), null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
