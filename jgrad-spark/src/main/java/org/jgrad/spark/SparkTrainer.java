package org.jgrad.spark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.jgrad.data.Sample;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.EpochLog;
import org.jgrad.train.History;
import org.jgrad.train.TrainingDivergedException;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Trains a jgrad model on a Spark cluster with synchronous data parallelism, like {@code Trainer}
 * does on one machine:
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.builder(ModelSpec.zoo("resnet18", Map.of("num_classes", "10")),
 *                 OptimizerSpec.sgd(0.1).momentum(0.9), LossSpec.of("cross_entropy"))
 *         .workers(4).batchSize(32).epochs(10).checkpoint("hdfs:///runs/resnet18").build();
 * SparkTrainingResult r = trainer.fit(trainRdd, valRdd);    // JavaRDD<Sample>
 * Module model = r.loadInto(Models.resnet18(10));
 * }</pre>
 *
 * <p>One fit is one Spark job whose last stage is a barrier stage of {@code workers} tasks, started
 * together, each living for the whole run. The tasks exchange their addresses once through
 * {@code BarrierTaskContext.allGather} and then talk over TCP directly (a ring all-reduce), never
 * through the driver. Each step, every rank computes the gradients of its own batch of
 * {@code batchSize} samples; the gradients are averaged and every rank applies the same optimizer step,
 * so the effective batch is {@code workers × batchSize} and the result equals one machine training
 * at that batch (up to float rounding in the sum). Losses, sample counts and a status flag travel with
 * each step, so a NaN on one rank stops every rank at the same step with one clear error.
 *
 * <p>With a {@link Builder#checkpoint checkpoint} location, rank 0 saves the run after every epoch;
 * if a task or an executor dies, Spark cannot retry a failed barrier stage by itself, so this
 * class submits the job again (up to {@link Builder#maxAttempts}) and every rank resumes from the
 * last checkpoint. A divergence or a bad input is not retried.
 */
public final class SparkTrainer {
    private final Builder b;

    private SparkTrainer(Builder b) {
        this.b = b;
    }

    /** Starts configuring a trainer. */
    public static Builder builder(ModelSpec model, OptimizerSpec optimizer, LossSpec loss) {
        return new Builder(model, optimizer, loss);
    }

    /** Settings; defaults: 2 workers, batch 32 per worker, 10 epochs, seed 0, no shuffle, no checkpoint. */
    public static final class Builder {
        private final ModelSpec model;
        private final OptimizerSpec optimizer;
        private final LossSpec loss;
        private int workers = 2, batchSize = 32, epochs = 10, syncEvery = 1, maxAttempts = 3, threads;
        private long seed, bucketBytes = GradientReducer.DEFAULT_CAP_BYTES;
        private boolean sharedMemory = true;
        private boolean shuffle;
        private String checkpoint = "";
        private Duration timeout = Duration.ofMinutes(5);
        private Map<String, Tensor> initialWeights;
        private String featuresCol = "features", labelCol = "label";
        private int[] inputShape;
        private int haltRank = -1, nanRank = -1;
        private String allReduceThread = "auto";
        private long haltStep = -1, nanStep = -1;

        private Builder(ModelSpec model, OptimizerSpec optimizer, LossSpec loss) {
            if (model == null || optimizer == null || loss == null)
                throw new IllegalArgumentException("SparkTrainer: model, optimizer and loss are all required");
            this.model = model;
            this.optimizer = optimizer;
            this.loss = loss;
        }

        /** Number of ranks (Spark tasks training together); the cluster needs that many free task slots at once. */
        public Builder workers(int n) {
            if (n < 1) throw new IllegalArgumentException("SparkTrainer: workers must be at least 1, got " + n);
            workers = n;
            return this;
        }

        /** Samples per rank per step; the effective batch is {@code workers × batchSize}. */
        public Builder batchSize(int n) {
            if (n < 1) throw new IllegalArgumentException("SparkTrainer: batchSize must be at least 1, got " + n);
            batchSize = n;
            return this;
        }

        /** Total epochs (a resumed run continues up to this number). */
        public Builder epochs(int n) {
            if (n < 1) throw new IllegalArgumentException("SparkTrainer: epochs must be at least 1, got " + n);
            epochs = n;
            return this;
        }

        /** Seeds the initial weights (when none are given), the shuffles and the dropout streams. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Shuffles each rank's shard anew every epoch (seeded by seed, epoch and rank); off by default. */
        public Builder shuffle(boolean on) {
            shuffle = on;
            return this;
        }

        /**
         * Averages weights every {@code k} steps instead of gradients every step (k = 1, the default):
         * k times less traffic for slow networks, but each rank then steps on its own gradients in
         * between, which is not the same math as one machine at the large batch.
         */
        public Builder syncEvery(int k) {
            if (k < 1) throw new IllegalArgumentException("SparkTrainer: syncEvery must be at least 1, got " + k);
            syncEvery = k;
            return this;
        }

        /** Folder or Hadoop URI where rank 0 keeps the latest checkpoint; a run finding one of its own resumes from it. */
        public Builder checkpoint(String location) {
            checkpoint = location == null ? "" : location;
            return this;
        }

        /** How long a rank waits for a peer (connecting, or any progress of a transfer) before failing; 5 minutes by default. */
        public Builder allReduceTimeout(Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("SparkTrainer: the timeout must be positive");
            timeout = d;
            return this;
        }

        /**
         * Size of the buckets the gradients are averaged in (25 MiB by default, as PyTorch's DDP):
         * a bucket is sent as soon as the backward pass has completed all its gradients, while the pass
         * goes on. Smaller buckets start traffic earlier and hide more of it behind the backward pass,
         * at more messages per step; the first bucket is at most 1 MiB. With more than two workers the
         * bucket boundaries change how the sums are rounded, so a run resumed with another size is not
         * bit-identical to an uninterrupted one.
         */
        public Builder bucketCapBytes(long bytes) {
            if (bytes < 4) throw new IllegalArgumentException("SparkTrainer: bucketCapBytes must be at least 4 (one float), got "
                    + bytes);
            bucketBytes = bytes;
            return this;
        }

        /**
         * Whether workers on one host sum their gradients through a shared memory mapping (in
         * {@code /dev/shm}, else {@code java.io.tmpdir}) instead of sockets; on by default. The
         * mapping sums ResNet-18's gradients with about two thirds of the CPU of a Unix-domain socket
         * beside training (half of it alone), CPU the compute threads on the same cores need; its
         * barriers wait on a doorbell (one byte over the ranks' socket), asleep in the kernel, so a
         * rank waiting for a slower one takes no CPU (docs/spark.md, "Measured here"). Workers on
         * different hosts always use the ring over TCP; where no mapping can be shared (no room in
         * {@code /dev/shm} or the temporary folder, executors in containers of their own) the workers
         * use sockets. {@code false} keeps them on the sockets.
         */
        public Builder sharedMemory(boolean on) {
            sharedMemory = on;
            return this;
        }

        /** Spark jobs to try before giving up (each after the first resumes from the checkpoint); 3 by default. */
        public Builder maxAttempts(int n) {
            if (n < 1) throw new IllegalArgumentException("SparkTrainer: maxAttempts must be at least 1, got " + n);
            maxAttempts = n;
            return this;
        }

        /**
         * jgrad compute threads per task; 0 (the default) uses {@code spark.task.cpus}. jgrad has one
         * thread pool per JVM, so in {@code local[N]} mode, where the tasks run inside the driver's JVM,
         * this also sets the driver's jgrad threads.
         */
        public Builder threadsPerWorker(int n) {
            if (n < 0) throw new IllegalArgumentException("SparkTrainer: threadsPerWorker must be >= 0, got " + n);
            threads = n;
            return this;
        }

        /** Starts from these weights instead of the model's seeded initialization. */
        public Builder initialWeights(Map<String, Tensor> state) {
            initialWeights = state;
            return this;
        }

        /**
         * For {@link SparkTrainer#fit(Dataset, Dataset)}: the column of features ({@code array<float>} or
         * {@code array<double>}), reshaped to {@code inputShape} per sample (e.g. 3, 32, 32).
         */
        public Builder features(String column, int... inputShape) {
            featuresCol = column;
            this.inputShape = inputShape.clone();
            return this;
        }

        /** For {@link SparkTrainer#fit(Dataset, Dataset)}: the label column (an integer class, a number or an array). */
        public Builder label(String column) {
            labelCol = column;
            return this;
        }

        /**
         * Fault injection for tests of this module: rank {@code rank} halts its JVM (exit code 86) just
         * before global step {@code step}, in the first attempt only. Kills the executor it runs in.
         */
        Builder haltAt(int rank, long step) {
            haltRank = rank;
            haltStep = step;
            return this;
        }

        /** Fault injection for tests: rank {@code rank}'s batch at global step {@code step} gets a NaN input. */
        Builder nanAt(int rank, long step) {
            nanRank = rank;
            nanStep = step;
            return this;
        }

        /**
         * For measurements in this module: "training" or "background" puts every rank's all-reduce on
         * that thread whatever its cores; "auto" (the default) decides by the executor's cores.
         */
        Builder allReduceThread(String where) {
            if (!where.equals("auto") && !where.equals("training") && !where.equals("background"))
                throw new IllegalArgumentException("SparkTrainer: allReduceThread is auto, training or background, not " + where);
            allReduceThread = where;
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }

    /**
     * Trains on {@code train} (and evaluates on {@code validation}, which may be null, after every
     * epoch). The RDDs must give the same samples in the same order each time they are computed (cache
     * them if they are expensive or not deterministic): the layout is fixed by a count and a
     * {@code zipWithIndex}.
     *
     * @throws TrainingDivergedException when a rank's loss is not finite (all ranks stop at that step)
     * @throws IllegalStateException when the job fails on every attempt, or the replicas differ
     */
    public SparkTrainingResult fit(JavaRDD<Sample> train, JavaRDD<Sample> validation) {
        JavaPairRDD<Integer, Tuple2<Long, byte[]>> keyed = keyed(train.rdd(), SparkTask.KEY_SAMPLES, false, null);
        long n = train.count();
        long nv = 0;
        if (validation != null) {
            nv = validation.count();
            keyed = keyed.union(keyed(validation.rdd(), SparkTask.KEY_SAMPLES, true, null));
        }
        return run(keyed, n, nv);
    }

    /** {@link #fit(JavaRDD, JavaRDD)} over a table, with the columns named by {@link Builder#features} and {@link Builder#label}. */
    public SparkTrainingResult fit(Dataset<Row> train, Dataset<Row> validation) {
        if (b.inputShape == null)
            throw new IllegalArgumentException("SparkTrainer: fit(Dataset) needs features(column, inputShape...)");
        JavaPairRDD<Integer, Tuple2<Long, byte[]>> keyed = keyed(train.rdd(), SparkTask.KEY_ROWS, false, train);
        long n = train.count();
        long nv = 0;
        if (validation != null) {
            nv = validation.count();
            keyed = keyed.union(keyed(validation.rdd(), SparkTask.KEY_ROWS, true, validation));
        }
        return run(keyed, n, nv);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private JavaPairRDD<Integer, Tuple2<Long, byte[]>> keyed(RDD<?> data, int kind, boolean validation, Dataset<Row> table) {
        Properties p = new Properties();
        p.setProperty("batch", Integer.toString(b.batchSize));
        p.setProperty("workers", Integer.toString(b.workers));
        p.setProperty("validation", Boolean.toString(validation));
        if (table != null) {
            p.setProperty("featuresIndex", Integer.toString(columnIndex(table, b.featuresCol)));
            p.setProperty("labelIndex", Integer.toString(columnIndex(table, b.labelCol)));
            p.setProperty("featuresCol", b.featuresCol);
            p.setProperty("labelCol", b.labelCol);
            p.setProperty("inputShape", shapeText(b.inputShape));
        }
        RDD indexed = data.zipWithIndex();
        RDD pairs = indexed.map(new SparkTask(kind, new Envelope(p, new byte[0])), tag(Tuple2.class));
        return JavaPairRDD.fromRDD(pairs, tag(Integer.class), tag(Tuple2.class));
    }

    static int columnIndex(Dataset<Row> table, String column) {
        String[] names = table.columns();
        for (int i = 0; i < names.length; i++) if (names[i].equals(column)) return i;
        throw new IllegalArgumentException("SparkTrainer: no column '" + column + "' in " + String.join(", ", names));
    }

    static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder();
        for (int d : shape) {
            if (d < 1) throw new IllegalArgumentException("SparkTrainer: input shape dims must be positive, got " + d);
            if (s.length() > 0) s.append('x');
            s.append(d);
        }
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> ClassTag<T> tag(Class<?> c) {
        return (ClassTag<T>) ClassTag$.MODULE$.apply(c);
    }

    private Map<String, Tensor> initialWeights() {
        if (b.initialWeights != null) return b.initialWeights;
        // The model's own initialization under the run's seed, leaving the driver's default stream as it was.
        Generator g = DefaultGenerator.get();
        long[] saved = g.getState();
        try {
            DefaultGenerator.manualSeed(b.seed);
            Module m = b.model.create();
            return m.stateDict();
        } finally {
            g.setState(saved);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private SparkTrainingResult run(JavaPairRDD<Integer, Tuple2<Long, byte[]>> keyed, long n, long nv) {
        if (n == 0) throw new IllegalArgumentException("SparkTrainer: the training data is empty");
        byte[] weights = WeightsCodec.encode(initialWeights());
        Properties p = new Properties();
        b.model.write(p);
        b.optimizer.write(p);
        p.setProperty("loss", b.loss.name());
        p.setProperty("workers", Integer.toString(b.workers));
        p.setProperty("batch", Integer.toString(b.batchSize));
        p.setProperty("epochs", Integer.toString(b.epochs));
        p.setProperty("syncEvery", Integer.toString(b.syncEvery));
        p.setProperty("seed", Long.toString(b.seed));
        p.setProperty("shuffle", Boolean.toString(b.shuffle));
        p.setProperty("samples", Long.toString(n));
        p.setProperty("valSamples", Long.toString(nv));
        p.setProperty("checkpoint", b.checkpoint);
        p.setProperty("timeoutMillis", Long.toString(b.timeout.toMillis()));
        p.setProperty("threads", Integer.toString(b.threads));
        p.setProperty("bucketBytes", Long.toString(b.bucketBytes));
        p.setProperty("sharedMemory", Boolean.toString(b.sharedMemory));
        p.setProperty("allReduceThread", b.allReduceThread);
        p.setProperty("test.haltRank", Integer.toString(b.haltRank));
        p.setProperty("test.haltStep", Long.toString(b.haltStep));
        p.setProperty("test.nanRank", Integer.toString(b.nanRank));
        p.setProperty("test.nanStep", Long.toString(b.nanStep));
        p.setProperty("fingerprint", fingerprint(p, weights));
        p.setProperty("runId", UUID.randomUUID().toString());
        RDD<Tuple2<Integer, Tuple2<Long, byte[]>>> shards = keyed.partitionBy(new HashPartitioner(b.workers)).rdd();
        Exception last = null;
        for (int attempt = 0; attempt < b.maxAttempts; attempt++) {
            p.setProperty("attempt", Integer.toString(attempt));
            SparkTask task = new SparkTask(SparkTask.TRAIN, new Envelope(p, weights));
            List<byte[]> results;
            try {
                RDD out = shards.barrier().mapPartitions((scala.Function1) task, false, tag(byte[].class));
                results = JavaRDD.fromRDD(out, tag(byte[].class)).collect();
            } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
                String fatal = fatalMessage(e);
                if (fatal != null) {
                    if (fatal.startsWith("bad training data") || fatal.startsWith("training diverged"))
                        throw new TrainingDivergedException(fatal, -1);
                    throw new IllegalStateException("SparkTrainer: " + fatal, e);
                }
                last = e;
                System.err.println("SparkTrainer: attempt " + (attempt + 1) + " of " + b.maxAttempts + " failed ("
                        + firstLine(e) + ")" + (attempt + 1 < b.maxAttempts ? (b.checkpoint.isEmpty()
                        ? "; starting again from the beginning (no checkpoint location)"
                        : "; resuming from the last checkpoint in " + b.checkpoint) : ""));
                continue;
            }
            return result(results, attempt + 1);
        }
        throw new IllegalStateException("SparkTrainer: the training job failed " + b.maxAttempts + " times; last: "
                + firstLine(last), last);
    }

    private SparkTrainingResult result(List<byte[]> results, int attempts) {
        Envelope[] byRank = new Envelope[b.workers];
        for (byte[] r : results) {
            Envelope e = Envelope.decode(r);
            byRank[e.getInt("rank")] = e;
        }
        List<String> digests = new ArrayList<>();
        for (int r = 0; r < b.workers; r++) {
            if (byRank[r] == null) throw new IllegalStateException("SparkTrainer: no result from rank " + r);
            digests.add(byRank[r].get("digest"));
        }
        for (int r = 1; r < b.workers; r++)
            if (!digests.get(r).equals(digests.get(0)))
                throw new IllegalStateException("SparkTrainer: rank " + r + "'s weights differ from rank 0's after training"
                        + " (digests " + digests + "); the replicas diverged, which synchronous training must never do");
        Envelope zero = byRank[0];
        List<EpochLog> logs = EpochLogs.parse(zero.get("history"));
        List<StepTimings> timings = new ArrayList<>();
        for (Envelope e : byRank) timings.add(RankTrainer.timings(e));
        return new SparkTrainingResult(History.of(logs, "completed"), WeightsCodec.decode(zero.weights()), List.copyOf(digests),
                zero.getLong("steps"), attempts, timings.get(0), List.copyOf(timings));
    }

    /** The text after the not-retried marker in a failure's messages, or null for a failure worth retrying. */
    static String fatalMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) continue;
            int i = m.indexOf(RankTrainer.FATAL);
            if (i < 0) continue;
            String rest = m.substring(i + RankTrainer.FATAL.length());
            int nl = rest.indexOf('\n');
            return nl < 0 ? rest : rest.substring(0, nl);
        }
        return null;
    }

    private static String firstLine(Throwable e) {
        if (e == null) return "unknown";
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl) + " ...";
    }

    /** Names the run's configuration and starting weights, so that a checkpoint of another run is never resumed. */
    private static String fingerprint(Properties p, byte[] weights) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String k : new java.util.TreeSet<>(p.stringPropertyNames()))
                if (!k.equals("epochs") && !k.startsWith("test.") && !k.equals("timeoutMillis") && !k.equals("threads")
                        && !k.equals("checkpoint") && !k.equals("bucketBytes")
                        && !k.equals("sharedMemory") && !k.equals("allReduceThread"))
                    md.update((k + "=" + p.getProperty(k) + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(weights);
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
