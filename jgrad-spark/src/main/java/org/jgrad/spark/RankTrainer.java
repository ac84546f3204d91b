package org.jgrad.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.Batch;
import org.jgrad.data.Dataset;
import org.jgrad.data.Sample;
import org.jgrad.internal.TensorData;
import org.jgrad.io.Checkpoint;
import org.jgrad.nn.Module;
import org.jgrad.nn.Stochastic;
import org.jgrad.nn.loss.Loss;
import org.jgrad.optim.Optimizer;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.EpochLog;
import org.jgrad.train.TrainingDivergedException;

/**
 * One rank's part of a synchronous data-parallel run, inside its long-lived Spark task. Every step
 * each rank computes the loss and gradients of its own batch, the ranks swap their loss, sample and
 * correct counts and a status (ok, bad data, diverged), and then sum their gradients with the ring
 * all-reduce; every rank applies the same optimizer step to the same averaged gradient, so the
 * replicas never drift apart. With {@code syncEvery = K > 1} each rank steps on its own gradients
 * and the ranks average their weights every K steps instead (less traffic, not the same math).
 *
 * <p>Data layout: global sample {@code i} belongs to block {@code i / B} and that block to rank
 * {@code block % W}; step {@code s} of an epoch takes block {@code s·W + r} on rank r. W ranks at batch
 * B thus see exactly the batches of one machine at batch W·B, in the same order.
 */
final class RankTrainer {
    /** Step status codes gathered from every rank. */
    static final int OK = 0, BAD_DATA = 1, DIVERGED = 2;

    /** Marks a task failure the driver must not retry (it would fail the same way). */
    static final String FATAL = "[jgrad-spark: not retried] ";

    private final int rank, workers, batch, epochs, syncEvery;
    private final long seed, totalSamples, valSamples;
    private final boolean shuffle;
    private final Envelope plan;
    private final Comm comm;
    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final List<Tensor> params;
    private final List<Tensor> floatBuffers = new ArrayList<>();
    private final Dataset train, val;
    private final CheckpointStore store;
    private final String fingerprint;
    private final int haltRank, nanRank;
    private final long haltStep, nanStep;
    private final int attempt;

    private final long bucketBytes;

    private final List<EpochLog> history = new ArrayList<>();
    private float[] flat = new float[0];
    private int epochsDone;
    private long step;
    /**
     * Wall time per phase of the current epoch's steps (see {@link StepTimings}), and the steps they
     * cover: the last epoch's describe the steady state, the first carries the JIT compiler's warm-up.
     */
    private long forwardNanos, exchangeNanos, backwardNanos, waitNanos, optimizerNanos, timedSteps;
    /** CPU time of the training thread and of the whole JVM over the same steps (-1: not measured here). */
    private long trainingCpuNanos, processCpuNanos, gcTimeMillis;
    /** The reducer's running totals at the start of the epoch. */
    private long commCpuBase, commBusyBase;
    /** Every thread's scheduler times at the start and the end of the epoch's steps, and the training thread's kernel id. */
    private ThreadSchedule.Snapshot scheduleStart = ThreadSchedule.take(), scheduleEnd = scheduleStart;
    private long trainingTid = -1;
    /** Wall clock at the start and the end of the epoch's steps, in milliseconds since the epoch. */
    private long stepsFromMillis, stepsToMillis;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /**
     * The JVM's collectors, looked up once: {@code getGarbageCollectorMXBeans()} builds the beans and their
     * JMX names anew on every call, CPU the measurement itself took from every step (twice a step).
     */
    private static final List<java.lang.management.GarbageCollectorMXBean> COLLECTORS =
            java.lang.management.ManagementFactory.getGarbageCollectorMXBeans();
    private static final java.lang.management.OperatingSystemMXBean OS =
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private GradientReducer reducer;

    /** What the ranks need from each other; the ring all-reduce in a run, a stand-in in unit tests. */
    interface Comm {
        int size();

        void sum(float[] data, int n, String what) throws IOException, TimeoutException;

        /** Replaces the first {@code n} little-endian floats of {@code data} by {@code scale} times their sum over the ranks. */
        void sum(java.lang.foreign.MemorySegment data, long n, float scale, String what) throws IOException, TimeoutException;

        /** Every rank's {@code mine}, in rank order, identical on all ranks. */
        double[][] gather(double[] mine, String what) throws IOException, TimeoutException;

        /**
         * A place of the comm's own for {@code n} floats that {@link #sumStaged} sums without copying
         * them in first, or null where the comm has none (then {@link #sum(java.lang.foreign.MemorySegment,
         * long, float, String)} it is). Valid until the next call on this comm.
         */
        default java.lang.foreign.MemorySegment staging(long n) {
            return null;
        }

        /**
         * Sums the {@code n} floats just written into {@link #staging(long)} over the ranks, scaled
         * once by {@code scale}, and returns where the result is (read it before the next call).
         */
        default java.lang.foreign.MemorySegment sumStaged(long n, float scale, String what) throws IOException, TimeoutException {
            throw new UnsupportedOperationException("no staging area");
        }

        /** Whether {@link #sumArrays} works here. */
        default boolean sumsArrays() {
            return false;
        }

        /**
         * Sums a vector of heap floats over the ranks: range j of it is {@code src[j][srcFrom[j] ..
         * srcFrom[j] + lengths[j]]} (a null {@code src[j]}: zeros); {@code scale} times the sum over the
         * ranks of {@code own} times each rank's vector goes to the same ranges of {@code dst}, with the
         * same bits on every rank. A source other than its destination is only read; a range whose
         * source and destination are the same array is summed in place.
         */
        default void sumArrays(float[][] src, int[] srcFrom, float[][] dst, int[] dstFrom, int[] lengths, float own,
                float scale, String what) throws IOException, TimeoutException {
            throw new UnsupportedOperationException("no array sum");
        }

        /** The largest bucket, in bytes, {@link #staging(long)} takes: 0 for none. */
        default long stagingBytes() {
            return 0;
        }

        /** How the sums travel, for {@link StepTimings#transport()}: "shared memory", "Unix-domain socket", "TCP" or "none". */
        String transport();
    }

    RankTrainer(int rank, Envelope plan, Comm comm, List<Sample> trainShard, List<Sample> valShard) {
        this.rank = rank;
        this.plan = plan;
        this.comm = comm;
        workers = plan.getInt("workers");
        batch = plan.getInt("batch");
        epochs = plan.getInt("epochs");
        syncEvery = plan.getInt("syncEvery");
        seed = plan.getLong("seed");
        totalSamples = plan.getLong("samples");
        valSamples = plan.getLong("valSamples");
        shuffle = Boolean.parseBoolean(plan.get("shuffle"));
        attempt = plan.getInt("attempt");
        haltRank = plan.getInt("test.haltRank");
        haltStep = plan.getLong("test.haltStep");
        nanRank = plan.getInt("test.nanRank");
        nanStep = plan.getLong("test.nanStep");
        fingerprint = plan.get("fingerprint");
        bucketBytes = plan.getLong("bucketBytes");
        if (comm.size() != workers)
            throw new IllegalStateException(FATAL + "rank " + rank + " is in a ring of " + comm.size() + " but the plan says "
                    + workers + " workers");
        Properties s = plan.settings();
        model = ModelSpec.read(s).create();
        model.loadStateDict(WeightsCodec.decode(plan.weights()), true);
        model.train();
        params = model.parameters();
        optimizer = OptimizerSpec.read(s).create(params);
        loss = LossSpec.of(plan.get("loss")).create();
        for (Tensor b : model.namedBuffers().values()) if (b.dtype() == DType.FLOAT32) floatBuffers.add(b);
        train = listDataset(trainShard);
        val = listDataset(valShard);
        String ck = s.getProperty("checkpoint");
        store = ck == null || ck.isEmpty() ? null : new CheckpointStore(ck);
    }

    private static Dataset listDataset(List<Sample> samples) {
        return new Dataset() {
            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public Sample get(int index) {
                return samples.get(index);
            }
        };
    }

    /** Steps of one epoch: every rank takes the same number, some with an empty last batch. */
    long stepsPerEpoch() {
        long global = (long) workers * batch;
        return (totalSamples + global - 1) / global;
    }

    /** Samples rank {@code r} has at step {@code s} of an epoch (0 past the end of the data). */
    private int batchSize(long s, int r, long n) {
        long from = (s * workers + r) * batch;
        return (int) Math.max(0, Math.min(batch, n - from));
    }

    /** Resumes from the run's checkpoint if there is one. */
    void restore() throws IOException {
        if (store == null) return;
        Checkpoint ck = store.load();
        if (ck == null) return;
        String fp = ck.metadata().get("jgrad.spark.fingerprint");
        if (!fingerprint.equals(fp))
            throw new IllegalStateException(FATAL + "the checkpoint in " + store + " belongs to another run (" + fp
                    + "), not this one (" + fingerprint + "); give this run a folder of its own");
        model.loadStateDict(ck.model(), true);
        optimizer.loadStateDict(ck.optimizer());
        epochsDone = (int) ck.epoch();
        step = ck.step();
        history.clear();
        history.addAll(EpochLogs.parse(ck.metadata().getOrDefault("jgrad.spark.history", "")));
    }

    /** Trains the remaining epochs; returns the result envelope (weights only from rank 0). */
    Envelope run() throws IOException, TimeoutException {
        // Gradients are averaged bucket by bucket while the backward pass runs; one rank has nothing to average.
        if (syncEvery == 1 && workers > 1)
            reducer = new GradientReducer(params, comm, rank, bucketBytes,
                    allReduceOnTrainingThread(plan.settings().getProperty("allReduceThread", "auto")));
        try {
            return train();
        } finally {
            if (reducer != null) reducer.close();
        }
    }

    /**
     * Whether the buckets are summed on the training thread: where this JVM has no core beside its
     * compute threads, a background thread would only take turns with them on their cores. {@code
     * where} is the plan's choice: "training", "background", or "auto" (by the cores; also when absent).
     */
    static boolean allReduceOnTrainingThread(String where) {
        if ("training".equals(where)) return true;
        if ("background".equals(where)) return false;
        return Runtime.getRuntime().availableProcessors() <= org.jgrad.backend.ThreadPool.threads();
    }

    private Envelope train() throws IOException, TimeoutException {
        long steps = stepsPerEpoch();
        int bufferCount = 0;
        for (Tensor b : floatBuffers) bufferCount += b.numel();
        int paramCount = 0;
        if (syncEvery > 1) for (Tensor p : params) paramCount += p.numel();
        flat = new float[Math.max(paramCount, bufferCount)];
        int[] order = new int[train.size()];
        while (epochsDone < epochs) {
            int epoch = epochsDone + 1;
            resetTimings();
            long t0 = System.nanoTime();
            double lr = optimizer.paramGroups().get(0).lr();
            for (int i = 0; i < order.length; i++) order[i] = i;
            if (shuffle) permute(order, new Generator(mix(seed, epoch, rank)));
            reseedStochastic(epoch);
            model.train();
            double lossSum = 0, seen = 0, correct = 0;
            boolean classification = false;
            double[] pending = new double[5]; // loss·n, n, correct, status, classification?
            for (long s = 0; s < steps; s++) {
                int n = batchSize(s, rank, totalSamples);
                boolean sync = syncEvery == 1 || (s + 1) % syncEvery == 0 || s == steps - 1;
                if (rank == haltRank && step + 1 == haltStep && attempt == 0) {
                    // Test hook: an executor lost mid-epoch. halt, not exit: no shutdown hook may tidy up.
                    Runtime.getRuntime().halt(86);
                }
                long cpu0 = threadCpu(), proc0 = processCpu(), gc0 = gcMillis();
                long c0 = System.nanoTime();
                // With the reducer, the gradients are its own arrays after the first step (finish hands
                // them over); filled with zeros instead of dropped, the backward pass adds into them,
                // so a step allocates no model-sized arrays the collector would have to copy and
                // promote. One worker keeps Trainer's exact behaviour (set to none).
                optimizer.zeroGrad(reducer == null);
                Tensor lossToDifferentiate = null;
                if (n > 0 && pending[3] == OK) {
                    int from = (int) (s * batch);
                    Batch b = train.getBatch(Arrays.copyOfRange(order, from, from + n));
                    if (rank == nanRank && step + 1 == nanStep) TensorData.floats(b.inputs())[b.inputs().offset()] = Float.NaN;
                    Tensor out = model.call(b.inputs());
                    Tensor l = loss.forward(out, b.targets());
                    double lv = l.item();
                    if (!Double.isFinite(lv)) {
                        pending[3] = hasNonFinite(b.inputs()) || hasNonFinite(b.targets()) ? BAD_DATA : DIVERGED;
                    } else {
                        pending[0] += lv * n;
                        pending[1] += n;
                        if (out.dim() == 2 && b.targets().dtype() == DType.INT64 && b.targets().dim() == 1) {
                            pending[4] = 1;
                            pending[2] += countCorrect(out, b.targets());
                        }
                        lossToDifferentiate = l;
                    }
                }
                long c1 = System.nanoTime();
                forwardNanos += c1 - c0;
                if (syncEvery > 1) {
                    // Local SGD: each rank steps on its own gradients; the weights are averaged at each sync.
                    if (lossToDifferentiate != null) {
                        lossToDifferentiate.backward();
                        long c2 = System.nanoTime();
                        backwardNanos += c2 - c1;
                        optimizer.step();
                        optimizerNanos += System.nanoTime() - c2;
                    }
                    if (!sync) {
                        step++;
                        timedSteps++;
                        countCpu(cpu0, proc0, gc0);
                        continue;
                    }
                }
                double[][] all;
                if (syncEvery == 1) {
                    // The backward pass and the gradients' all-reduce first; then losses, counts and
                    // status, while the ranks are in step anyway (the all-reduce just met): one meeting
                    // per step, not two. A non-finite loss on any rank stops every rank there, before
                    // any rank applies the step, with nothing in flight.
                    long c2 = System.nanoTime();
                    if (reducer != null) beginAveraging(s, n);
                    if (lossToDifferentiate != null) lossToDifferentiate.backward();
                    long c3 = System.nanoTime();
                    backwardNanos += c3 - c2;
                    if (reducer != null) reducer.finish();
                    long c4 = System.nanoTime();
                    waitNanos += c4 - c3;
                    all = comm.gather(pending.clone(), "step " + (step + 1));
                    long c5 = System.nanoTime();
                    exchangeNanos += c5 - c4;
                    failIfAnyRankFailed(all, epoch, s + 1);
                    optimizer.step();
                    optimizerNanos += System.nanoTime() - c5;
                } else {
                    // Losses, counts and status before the weights are averaged: a non-finite loss on
                    // any rank stops every rank here.
                    long c2 = System.nanoTime();
                    all = comm.gather(pending.clone(), "step " + (step + 1));
                    long c3 = System.nanoTime();
                    exchangeNanos += c3 - c2;
                    failIfAnyRankFailed(all, epoch, s + 1);
                    averageTensors(params, "weights after step " + (step + 1));
                    waitNanos += System.nanoTime() - c3;
                }
                for (double[] m : all) {
                    lossSum += m[0];
                    seen += m[1];
                    correct += m[2];
                    classification |= m[4] > 0;
                }
                Arrays.fill(pending, 0);
                step++;
                timedSteps++;
                countCpu(cpu0, proc0, gc0);
            }
            scheduleEnd = ThreadSchedule.take();
            stepsToMillis = System.currentTimeMillis();
            if (!floatBuffers.isEmpty()) averageTensors(floatBuffers, "buffers after epoch " + epoch);
            String badWeight = nonFiniteState(model.stateDict());
            if (badWeight != null)
                throw new TrainingDivergedException(FATAL + "training diverged: after step " + step + " (epoch " + epoch
                        + ") the weights hold " + badWeight + " although every loss was finite: an update was too large."
                        + " Try a lower learning rate.", step);
            double valLoss = Double.NaN, valAcc = Double.NaN;
            if (valSamples > 0) {
                double[] v = evaluate();
                valLoss = v[0] / Math.max(v[1], 1);
                valAcc = v[3] > 0 ? v[2] / v[1] : Double.NaN;
            }
            epochsDone = epoch;
            history.add(new EpochLog(epoch, step, lossSum / Math.max(seen, 1), classification ? correct / seen : Double.NaN,
                    valLoss, valAcc, lr, (System.nanoTime() - t0) / 1e9));
            if (rank == 0 && store != null) store.save(checkpoint());
        }
        return result();
    }

    private void resetTimings() {
        forwardNanos = exchangeNanos = backwardNanos = waitNanos = optimizerNanos = timedSteps = 0;
        trainingCpuNanos = processCpuNanos = gcTimeMillis = 0;
        trainingTid = ThreadSchedule.currentTid();
        scheduleStart = scheduleEnd = ThreadSchedule.take();
        stepsFromMillis = stepsToMillis = System.currentTimeMillis();
        if (reducer != null) {
            commCpuBase = reducer.commCpuNanos();
            commBusyBase = reducer.commBusyNanos();
        }
    }

    private static long threadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    private static long processCpu() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** Milliseconds of garbage collection so far, over the JVM's collectors; -1 where one does not say. */
    private static long gcMillis() {
        long sum = 0;
        for (var gc : COLLECTORS) {
            long t = gc.getCollectionTime();
            if (t < 0) return -1;
            sum += t;
        }
        return sum;
    }

    /** Adds one step's CPU and GC time, measured from {@code cpu0}, {@code proc0} and {@code gc0}; -1 sticks. */
    private void countCpu(long cpu0, long proc0, long gc0) {
        long cpu1 = threadCpu(), proc1 = processCpu(), gc1 = gcMillis();
        gcTimeMillis = gc0 < 0 || gc1 < 0 || gcTimeMillis < 0 ? -1 : gcTimeMillis + gc1 - gc0;
        trainingCpuNanos = cpu0 < 0 || cpu1 < 0 || trainingCpuNanos < 0 ? -1 : trainingCpuNanos + cpu1 - cpu0;
        processCpuNanos = proc0 < 0 || proc1 < 0 || processCpuNanos < 0 ? -1 : processCpuNanos + proc1 - proc0;
    }

    /**
     * Arms the reducer for step {@code s}: the gradients are averaged over the ranks, each rank's mean
     * weighted by its share of the samples when the batches differ (the end of the data).
     */
    private void beginAveraging(long s, int n) {
        long total = 0;
        boolean equal = true;
        for (int r = 0; r < workers; r++) {
            int nr = batchSize(s, r, totalSamples);
            total += nr;
            equal &= nr == n;
        }
        float own = equal ? 1f : (float) ((double) n / total);
        float inv = equal ? 1f / workers : 1f;
        reducer.begin("step " + (step + 1), n, own, inv);
    }

    /** Sums, over all ranks, the validation [loss·n, n, correct, classification?] of each rank's shard. */
    private double[] evaluate() throws IOException, TimeoutException {
        model.eval();
        double[] mine = new double[4];
        try (NoGrad g = NoGrad.enter()) {
            for (int from = 0; from < val.size(); from += batch) {
                int n = Math.min(batch, val.size() - from);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) idx[i] = from + i;
                Batch b = val.getBatch(idx);
                Tensor out = model.call(b.inputs());
                mine[0] += loss.forward(out, b.targets()).item() * n;
                mine[1] += n;
                if (out.dim() == 2 && b.targets().dtype() == DType.INT64 && b.targets().dim() == 1) {
                    mine[2] += countCorrect(out, b.targets());
                    mine[3] = 1;
                }
            }
        } finally {
            model.train();
        }
        double[] total = new double[4];
        for (double[] m : comm.gather(mine, "validation")) {
            for (int i = 0; i < 3; i++) total[i] += m[i];
            total[3] = Math.max(total[3], m[3]);
        }
        return total;
    }

    private void failIfAnyRankFailed(double[][] all, int epoch, long batchNo) {
        StringBuilder who = new StringBuilder();
        boolean badData = false;
        for (int r = 0; r < all.length; r++) {
            int status = (int) all[r][3];
            if (status == OK) continue;
            if (who.length() > 0) who.append(", ");
            who.append("rank ").append(r);
            badData |= status == BAD_DATA;
        }
        if (who.length() == 0) return;
        String where = " at step " + (step + 1) + " (epoch " + epoch + ", step " + batchNo + " of the epoch) on " + who
                + "; every rank stopped before applying it";
        throw new TrainingDivergedException(FATAL + (badData
                ? "bad training data: the loss is not finite" + where + ", and that rank's batch holds NaN or an infinity;"
                        + " clean the dataset (jgrad does not skip or repair samples)."
                : "training diverged: the loss is not finite" + where + ". Try a lower learning rate."), step + 1);
    }

    /** Replaces each tensor's values by their mean over the ranks. */
    private void averageTensors(List<Tensor> tensors, String what) throws IOException, TimeoutException {
        if (workers == 1) return;
        int k = 0;
        for (Tensor t : tensors) {
            float[] v = t.toFloatArray();
            System.arraycopy(v, 0, flat, k, v.length);
            k += v.length;
        }
        comm.sum(flat, k, what);
        float inv = 1f / workers;
        k = 0;
        try (NoGrad g = NoGrad.enter()) {
            for (Tensor t : tensors) {
                int m = t.numel();
                float[] avg = Arrays.copyOfRange(flat, k, k + m);
                for (int j = 0; j < m; j++) avg[j] *= inv;
                t.copyInPlace(TensorData.wrap(avg, t.shape()));
                k += m;
            }
        }
    }

    /** Dropout masks: a stream per rank and epoch, so a resumed run draws what the first one would have. */
    private void reseedStochastic(int epoch) {
        int i = 0;
        for (Module m : model.modules()) {
            if (m instanceof Stochastic st) st.setGenerator(new Generator(mix(seed, epoch, rank * 1_000_003L + i)));
            i++;
        }
    }

    static long mix(long seed, long a, long b) {
        long z = seed ^ (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void permute(int[] a, Generator g) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(g.nextLong(), i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static boolean hasNonFinite(Tensor t) {
        if (t.dtype() != DType.FLOAT32) return false;
        for (float v : t.toFloatArray()) if (!Float.isFinite(v)) return true;
        return false;
    }

    private static long countCorrect(Tensor out, Tensor targets) {
        long[] p = out.argmax(1, false).toLongArray(), y = targets.toLongArray();
        long c = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == y[i]) c++;
        return c;
    }

    private static String nonFiniteState(Map<String, Tensor> state) {
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.FLOAT32) continue;
            float[] v = t.toFloatArray();
            for (int i = 0; i < v.length; i++)
                if (!Float.isFinite(v[i])) return v[i] + " in '" + e.getKey() + "' (element " + i + ")";
        }
        return null;
    }

    private Checkpoint checkpoint() {
        return Checkpoint.builder().model(model.stateDict()).optimizer(optimizer.stateDict()).epoch(epochsDone).step(step)
                .metadata("jgrad.spark.fingerprint", fingerprint)
                .metadata("jgrad.spark.history", EpochLogs.format(history)).build();
    }

    /** SHA-256 over the bits of every float and long in the state dict, in order: equal only for identical replicas. */
    static String digest(Map<String, Tensor> state) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Tensor t = e.getValue();
            ByteBuffer b;
            if (t.dtype() == DType.FLOAT32) {
                float[] v = t.toFloatArray();
                b = ByteBuffer.allocate(4 * v.length);
                b.asFloatBuffer().put(v);
            } else {
                long[] v = t.toLongArray();
                b = ByteBuffer.allocate(8 * v.length);
                b.asLongBuffer().put(v);
            }
            md.update(b.array());
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /** The step timings a rank's result envelope carries. */
    static StepTimings timings(Envelope result) {
        java.util.function.ToDoubleFunction<String> t = k -> Double.parseDouble(result.get("time." + k));
        return new StepTimings(t.applyAsDouble("forward"), t.applyAsDouble("exchange"), t.applyAsDouble("backward"),
                t.applyAsDouble("allReduceWait"), t.applyAsDouble("allReduceBusy"), t.applyAsDouble("allReduceCpu"),
                t.applyAsDouble("optimizer"), t.applyAsDouble("trainingCpu"), t.applyAsDouble("processCpu"),
                t.applyAsDouble("gc"), t.applyAsDouble("trainingRunQueue"), result.get("threads"), result.get("transport"),
                Boolean.parseBoolean(result.get("allReduceOnTrainingThread")), result.getLong("time.fromMillis"), result.getLong("time.toMillis"));
    }

    private Envelope result() {
        Properties p = new Properties();
        Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
        p.setProperty("rank", Integer.toString(rank));
        p.setProperty("digest", digest(state));
        p.setProperty("history", EpochLogs.format(history));
        p.setProperty("steps", Long.toString(step));
        double per = Math.max(1, timedSteps) * 1e9;
        p.setProperty("time.forward", Double.toString(forwardNanos / per));
        p.setProperty("time.exchange", Double.toString(exchangeNanos / per));
        p.setProperty("time.backward", Double.toString(backwardNanos / per));
        p.setProperty("time.allReduceWait", Double.toString(waitNanos / per));
        p.setProperty("time.allReduceBusy", Double.toString(reducer == null ? 0 : (reducer.commBusyNanos() - commBusyBase) / per));
        p.setProperty("time.allReduceCpu", Double.toString(reducer == null ? 0
                : reducer.commCpuNanos() < 0 ? -1 : (reducer.commCpuNanos() - commCpuBase) / per));
        p.setProperty("time.optimizer", Double.toString(optimizerNanos / per));
        p.setProperty("time.trainingCpu", Double.toString(trainingCpuNanos < 0 ? -1 : trainingCpuNanos / per));
        p.setProperty("time.processCpu", Double.toString(processCpuNanos < 0 ? -1 : processCpuNanos / per));
        p.setProperty("time.gc", Double.toString(gcTimeMillis < 0 ? -1 : gcTimeMillis * 1e6 / per));
        long[] own = ThreadSchedule.delta(scheduleStart, scheduleEnd, trainingTid);
        p.setProperty("time.trainingRunQueue", Double.toString(own[1] < 0 ? -1 : own[1] / per));
        p.setProperty("threads", ThreadSchedule.summary(scheduleStart, scheduleEnd, timedSteps, trainingTid));
        p.setProperty("time.fromMillis", Long.toString(stepsFromMillis));
        p.setProperty("time.toMillis", Long.toString(stepsToMillis));
        p.setProperty("transport", comm.transport());
        p.setProperty("allReduceOnTrainingThread", Boolean.toString(reducer != null && reducer.onTrainingThread()));
        return new Envelope(p, rank == 0 ? WeightsCodec.encode(state) : new byte[0]);
    }
}
