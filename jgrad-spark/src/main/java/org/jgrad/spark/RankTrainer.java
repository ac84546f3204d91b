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

    private final List<EpochLog> history = new ArrayList<>();
    private float[] flat = new float[0];
    private boolean[] used;
    private int epochsDone;
    private long step;
    /** Time in the per-step gather (mostly waiting for the slowest rank) and in the sums (the transfers themselves). */
    private long gatherNanos, sumNanos, syncs;

    /** What the ranks need from each other; the ring all-reduce in a run, a stand-in in unit tests. */
    interface Comm {
        int size();

        void sum(float[] data, int n, String what) throws IOException, TimeoutException;

        /** Every rank's {@code mine}, in rank order, identical on all ranks. */
        double[][] gather(double[] mine, String what) throws IOException, TimeoutException;
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
        long steps = stepsPerEpoch();
        int paramCount = 0;
        for (Tensor p : params) paramCount += p.numel();
        int bufferCount = 0;
        for (Tensor b : floatBuffers) bufferCount += b.numel();
        flat = new float[Math.max(paramCount, bufferCount)];
        int[] order = new int[train.size()];
        while (epochsDone < epochs) {
            int epoch = epochsDone + 1;
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
                optimizer.zeroGrad();
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
                        l.backward();
                        pending[0] += lv * n;
                        pending[1] += n;
                        if (out.dim() == 2 && b.targets().dtype() == DType.INT64 && b.targets().dim() == 1) {
                            pending[4] = 1;
                            pending[2] += countCorrect(out, b.targets());
                        }
                        if (used == null) {
                            used = new boolean[params.size()];
                            for (int i = 0; i < used.length; i++) used[i] = params.get(i).grad() != null;
                        }
                    }
                }
                if (syncEvery > 1 && pending[3] == OK && n > 0) optimizer.step();
                if (!sync) {
                    step++;
                    continue;
                }
                long c0 = System.nanoTime();
                double[][] all = comm.gather(pending.clone(), "step " + (step + 1));
                gatherNanos += System.nanoTime() - c0;
                failIfAnyRankFailed(all, epoch, s + 1);
                if (syncEvery == 1) {
                    averageGradients(s, n, all);
                    optimizer.step();
                } else {
                    averageTensors(params, "weights after step " + (step + 1));
                }
                syncs++;
                for (double[] m : all) {
                    lossSum += m[0];
                    seen += m[1];
                    correct += m[2];
                    classification |= m[4] > 0;
                }
                Arrays.fill(pending, 0);
                step++;
            }
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

    /** Replaces every gradient by the sample-weighted mean over the ranks. */
    private void averageGradients(long s, int n, double[][] all) throws IOException, TimeoutException {
        long total = 0;
        boolean equal = true;
        for (int r = 0; r < workers; r++) {
            int nr = batchSize(s, r, totalSamples);
            total += nr;
            equal &= nr == n;
        }
        if (used == null) {
            used = new boolean[params.size()];
            Arrays.fill(used, true);
        }
        int k = 0;
        // Unequal batches (the end of the data): each rank weighs its mean by its share of the samples.
        float own = equal ? 1f : (float) ((double) n / total);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), g = p.grad();
            int m = p.numel();
            if (g == null || n == 0) Arrays.fill(flat, k, k + m, 0f);
            else {
                float[] src = g.isContiguous() ? TensorData.floats(g) : g.toFloatArray();
                System.arraycopy(src, g.isContiguous() ? g.offset() : 0, flat, k, m);
                if (own != 1f) for (int j = k; j < k + m; j++) flat[j] *= own;
            }
            k += m;
        }
        long c0 = System.nanoTime();
        comm.sum(flat, k, "step " + (step + 1));
        sumNanos += System.nanoTime() - c0;
        float inv = equal && workers > 1 ? 1f / workers : 1f;
        k = 0;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), g = p.grad();
            int m = p.numel();
            if (!used[i]) {
                p.setGrad(null);
            } else if (g != null && g.isContiguous() && g.offset() == 0 && TensorData.floats(g).length == m && !g.requiresGrad()) {
                // The gradient is the parameter's own array (accumulateGrad never shares it): overwrite in place.
                float[] dst = TensorData.floats(g);
                if (inv == 1f) System.arraycopy(flat, k, dst, 0, m);
                else for (int j = 0; j < m; j++) dst[j] = flat[k + j] * inv;
            } else {
                float[] dst = Arrays.copyOfRange(flat, k, k + m);
                if (inv != 1f) for (int j = 0; j < m; j++) dst[j] *= inv;
                p.setGrad(TensorData.wrap(dst, p.shape()));
            }
            k += m;
        }
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
        long c0 = System.nanoTime();
        comm.sum(flat, k, what);
        sumNanos += System.nanoTime() - c0;
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

    private Envelope result() {
        Properties p = new Properties();
        Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
        p.setProperty("rank", Integer.toString(rank));
        p.setProperty("digest", digest(state));
        p.setProperty("history", EpochLogs.format(history));
        p.setProperty("steps", Long.toString(step));
        p.setProperty("syncs", Long.toString(syncs));
        p.setProperty("gatherSeconds", Double.toString(gatherNanos / 1e9));
        p.setProperty("sumSeconds", Double.toString(sumNanos / 1e9));
        return new Envelope(p, rank == 0 ? WeightsCodec.encode(state) : new byte[0]);
    }
}
