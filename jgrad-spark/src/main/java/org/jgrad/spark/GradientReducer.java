package org.jgrad.spark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jgrad.autograd.RemovableHandle;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Averages the gradients over the ranks while the backward pass still runs, as PyTorch's
 * DistributedDataParallel does. The parameters are grouped into buckets of about {@code capBytes}
 * in reverse registration order (the order in which the backward pass finishes them: the last
 * layer first), the first bucket smaller so that traffic starts early. A post-accumulate-grad hook
 * on every parameter counts the bucket's gradients as they are completed; when a bucket is complete,
 * and every bucket before it has been started, a background thread sums it over the ranks. Through
 * the shared memory of one host the comm reads the gradients where the backward pass left them and
 * writes the averages into arrays of this reducer's ({@link RankTrainer.Comm#sumArrays}: only the
 * parts the other ranks sum go out, and only their results come back; the buckets are cut to the
 * comm's slot); over the ring the gradients are copied into the bucket's direct buffer, summed there,
 * and the result copied into this reducer's arrays. {@link #finish} starts
 * whatever the backward pass did not complete (parameters without a gradient this step, or every
 * bucket on a rank whose batch is empty), waits for every bucket and hands each parameter its
 * averaged gradient; the optimizer steps after that.
 *
 * <p>The buckets go over the ring in index order on every rank, whatever order their gradients
 * were completed in, so all ranks make the same calls; each chunk of a bucket is summed on one rank
 * and copied to the others, so the replicas stay bit-identical. Every wait is bounded: the
 * background thread's transfers fail after the all-reduce timeout without progress, and a failed
 * bucket fails the buckets after it at once.
 *
 * <p>Threads: the hooks run on the training thread and only count; the copies and the sums run on
 * one background thread per rank, or, where the JVM has no core beside its compute threads (an executor
 * of one core), on the training thread itself, in the hook that completes a bucket: there a second
 * thread could only take turns with the training thread on the same core, waking and switching
 * for every bucket (measured in docs/spark.md, "Measured here"). The averaged gradients are written into arrays of this reducer's
 * own (never into arrays the backward pass produced, which it may still read: a node may hand
 * the same gradient to a parameter and to another node) and become the parameters' gradients in
 * {@link #finish}, on the training thread. Where the gradients are then zeroed in place rather than
 * dropped, the next backward pass adds into those same arrays, and they are averaged in place.
 */
final class GradientReducer implements AutoCloseable {
    /** PyTorch's defaults: 25 MB buckets, the first one 1 MB. */
    static final long DEFAULT_CAP_BYTES = 25L << 20, FIRST_CAP_BYTES = 1L << 20;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<Tensor> params;
    private final RankTrainer.Comm comm;
    private final int workers;
    private final int[][] buckets;
    private final int[] bucketOf;
    /** Float offset of each parameter in its bucket. */
    private final long[] offset;
    /** Each bucket's direct buffer, or null where the comm's staging area takes it. */
    private final MemorySegment[] buffers;
    private final long[] bucketFloats;
    /** The averaged gradients, one dense array per parameter, reused every step. */
    private final float[][] averaged;
    /** The comm sums from the gradient arrays into {@link #averaged} itself ({@link RankTrainer.Comm#sumsArrays}). */
    private final boolean arrays;
    /** The background thread, or null where the buckets are summed on the training thread itself. */
    private final ExecutorService thread;
    private final List<RemovableHandle> hooks = new ArrayList<>();

    // One step's state, on the training thread.
    private final int[] waiting;
    private final boolean[] ready;
    private final Future<?>[] inFlight;
    private int nextLaunch;
    private boolean armed;
    private String what;
    private int samples;
    private float own, inv;
    /** Per parameter: 0 not yet known, 1 has a gradient on this rank, 2 has none (left null, as Trainer leaves it). */
    private final byte[] used;
    /** The first failure of this step's buckets: the buckets after it fail at once instead of waiting too. */
    private volatile Throwable failure;

    /** Background thread's CPU and busy time, and the training thread's wait in {@link #finish}. */
    private volatile long commCpuNanos, commBusyNanos;
    private long finishWaitNanos;

    GradientReducer(List<Tensor> params, RankTrainer.Comm comm, int rank, long capBytes) {
        this(params, comm, rank, capBytes, false);
    }

    /**
     * @param onTrainingThread sum each bucket on the training thread, in the hook that completes it,
     *     instead of on a background thread (for an executor with no core to spare beside its compute
     *     threads: the background thread would only take turns with them)
     */
    GradientReducer(List<Tensor> params, RankTrainer.Comm comm, int rank, long capBytes, boolean onTrainingThread) {
        // A frozen parameter never gets a gradient: it has no place in a bucket (and no hook).
        this.params = params.stream().filter(Tensor::requiresGrad).toList();
        this.comm = comm;
        workers = comm.size();
        int[] sizes = new int[this.params.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = this.params.get(i).numel();
        // A comm with a staging area of its own (shared memory) sums a bucket that fits it without
        // copying it there first: the buckets are cut to fit.
        long cap = comm.stagingBytes() > 0 ? Math.min(capBytes, comm.stagingBytes()) : capBytes;
        arrays = comm.sumsArrays();
        buckets = layout(sizes, Math.min(FIRST_CAP_BYTES, cap), cap);
        bucketOf = new int[sizes.length];
        offset = new long[sizes.length];
        buffers = new MemorySegment[buckets.length];
        bucketFloats = new long[buckets.length];
        for (int b = 0; b < buckets.length; b++) {
            long k = 0;
            for (int i : buckets[b]) {
                bucketOf[i] = b;
                offset[i] = k;
                k += sizes[i];
            }
            if (4 * k > Integer.MAX_VALUE)
                throw new IllegalArgumentException(RankTrainer.FATAL + "a parameter of " + k + " floats is over 2 GB;"
                        + " jgrad-spark all-reduces at most 2 GB in one bucket");
            bucketFloats[b] = k;
            if (!arrays && comm.staging(k) == null) buffers[b] = MemorySegment.ofBuffer(ByteBuffer.allocateDirect((int) Math.max(4, 4 * k)));
        }
        averaged = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) averaged[i] = new float[sizes[i]];
        waiting = new int[buckets.length];
        ready = new boolean[sizes.length];
        inFlight = new Future<?>[buckets.length];
        used = new byte[sizes.length];
        thread = onTrainingThread ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jgrad-allreduce-rank-" + rank);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < sizes.length; i++) {
            int index = i;
            hooks.add(this.params.get(i).registerPostAccumulateGradHook(leaf -> completed(index)));
        }
    }

    /**
     * Groups parameters of the given sizes (in floats, registration order) into buckets in reverse
     * order: a bucket takes parameters until the next would pass its cap (the first bucket's cap is
     * {@code firstCapBytes}, the others' {@code capBytes}); a parameter larger than the cap gets a
     * bucket of its own.
     */
    static int[][] layout(int[] sizes, long firstCapBytes, long capBytes) {
        List<int[]> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        long bytes = 0;
        for (int i = sizes.length - 1; i >= 0; i--) {
            long cap = out.isEmpty() ? firstCapBytes : capBytes;
            long b = 4L * sizes[i];
            if (!cur.isEmpty() && bytes + b > cap) {
                out.add(cur.stream().mapToInt(Integer::intValue).toArray());
                cur.clear();
                bytes = 0;
            }
            cur.add(i);
            bytes += b;
        }
        if (!cur.isEmpty()) out.add(cur.stream().mapToInt(Integer::intValue).toArray());
        return out.toArray(new int[0][]);
    }

    /** Buckets of the current step handed to the background thread so far. */
    int launched() {
        return nextLaunch;
    }

    /** Number of buckets. */
    int buckets() {
        return buckets.length;
    }

    /** The parameter indices of bucket {@code b}, in the order their gradients sit in it. */
    int[] bucket(int b) {
        return buckets[b].clone();
    }

    /**
     * Arms the hooks for one step, before its backward pass.
     *
     * @param what names the step in error messages ("step 12")
     * @param samples this rank's batch size (0: no backward, every gradient counts as zero)
     * @param own the weight of this rank's mean gradient (1 when every rank has the same batch size)
     * @param inv the factor applied to the sum (1/workers when the batches are equal, else 1)
     */
    void begin(String what, int samples, float own, float inv) {
        this.what = what;
        this.samples = samples;
        this.own = own;
        this.inv = inv;
        failure = null;
        nextLaunch = 0;
        Arrays.fill(ready, false);
        Arrays.fill(inFlight, null);
        for (int b = 0; b < buckets.length; b++) waiting[b] = buckets[b].length;
        armed = true;
    }

    /** The hook: parameter {@code i}'s gradient is complete for this backward pass. */
    private void completed(int i) {
        if (!armed || ready[i]) return;
        ready[i] = true;
        waiting[bucketOf[i]]--;
        while (nextLaunch < buckets.length && waiting[nextLaunch] == 0) launch(nextLaunch++);
    }

    private void launch(int b) {
        // Which parameters have gradients is decided on the first step with a batch, from the
        // gradients as the backward pass left them (complete: the bucket is launched after them).
        for (int i : buckets[b])
            if (used[i] == 0) used[i] = samples == 0 || params.get(i).grad() != null ? (byte) 1 : (byte) 2;
        Tensor[] grads = new Tensor[buckets[b].length];
        for (int j = 0; j < grads.length; j++) grads[j] = samples == 0 ? null : params.get(buckets[b][j]).grad();
        String what = this.what;
        float own = this.own, inv = this.inv;
        java.util.concurrent.Callable<Void> work = () -> {
            long c0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            try {
                Throwable before = failure;
                if (before != null) throw new IOException("jgrad-spark all-reduce: an earlier bucket of " + what + " failed",
                        before);
                reduce(b, grads, what, own, inv);
            } catch (Throwable e) {
                if (failure == null) failure = e;
                throw e;
            } finally {
                commCpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
                commBusyNanos += System.nanoTime() - t0;
            }
            return null;
        };
        if (thread != null) {
            inFlight[b] = thread.submit(work);
        } else {
            // Here and now; a failure is kept for finish, as the background thread's would be.
            FutureTask<Void> now = new FutureTask<>(work);
            now.run();
            inFlight[b] = now;
        }
    }

    /** Whether the buckets are summed on the training thread rather than a background thread. */
    boolean onTrainingThread() {
        return thread == null;
    }

    /** On the background thread: bucket {@code b}'s gradients summed and scaled over the ranks. */
    private void reduce(int b, Tensor[] grads, String what, float own, float inv) throws IOException, TimeoutException {
        if (arrays) {
            reduceArrays(b, grads, what, own, inv);
            return;
        }
        MemorySegment staged = buffers[b] == null ? comm.staging(bucketFloats[b]) : null;
        MemorySegment buf = staged != null ? staged : buffers[b];
        int[] members = buckets[b];
        long n = 0;
        for (int j = 0; j < members.length; j++) {
            int i = members[j], m = params.get(i).numel();
            long at = 4 * offset[i];
            Tensor g = grads[j];
            if (g == null) {
                buf.asSlice(at, 4L * m).fill((byte) 0);
            } else {
                float[] src = g.isContiguous() ? TensorData.floats(g) : g.toFloatArray();
                int from = g.isContiguous() ? g.offset() : 0;
                if (own == 1f) {
                    MemorySegment.copy(src, from, buf, RingAllReduce.FLOAT, at, m);
                } else {
                    // The end of the data: each rank weighs its mean by its share of the samples.
                    for (int k = 0; k < m; k++) buf.set(RingAllReduce.FLOAT, at + 4L * k, src[from + k] * own);
                }
            }
            n += m;
        }
        MemorySegment result = buf;
        if (staged != null) result = comm.sumStaged(n, inv, what);
        else comm.sum(buf, n, inv, what);
        for (int i : members) MemorySegment.copy(result, RingAllReduce.FLOAT, 4 * offset[i], averaged[i], 0, averaged[i].length);
    }

    /**
     * Bucket {@code b} summed from the gradient arrays the backward pass left, into this reducer's
     * arrays, by the comm itself ({@link RankTrainer.Comm#sumArrays}). A gradient the backward pass
     * made is only read (it may still be reading it: a node may hand the same gradient to a parameter
     * and to another node); one that is already this reducer's array (gradients zeroed in place
     * rather than dropped: the backward pass added into the array {@link #finish} handed over) is
     * averaged in place, as nothing else holds it.
     */
    private void reduceArrays(int b, Tensor[] grads, String what, float own, float inv) throws IOException, TimeoutException {
        int[] members = buckets[b];
        float[][] src = new float[members.length][], dst = new float[members.length][];
        int[] srcFrom = new int[members.length], dstFrom = new int[members.length], lengths = new int[members.length];
        for (int j = 0; j < members.length; j++) {
            int i = members[j];
            Tensor g = grads[j];
            lengths[j] = params.get(i).numel();
            dst[j] = averaged[i];
            if (g == null) continue; // zeros
            boolean dense = g.isContiguous() && TensorData.storage(g) instanceof org.jgrad.backend.FloatStorage;
            src[j] = dense ? TensorData.floats(g) : g.toFloatArray();
            srcFrom[j] = dense ? g.offset() : 0;
        }
        comm.sumArrays(src, srcFrom, dst, dstFrom, lengths, own, inv, what);
    }

    /**
     * After the backward pass (or instead of it, on a rank without a batch): starts the buckets not
     * started yet, waits for all of them, and gives every parameter its averaged gradient.
     */
    void finish() throws IOException, TimeoutException {
        armed = false;
        while (nextLaunch < buckets.length) launch(nextLaunch++);
        long t0 = System.nanoTime();
        try {
            for (Future<?> f : inFlight) await(f);
        } finally {
            finishWaitNanos += System.nanoTime() - t0;
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            p.setGrad(used[i] == 2 ? null : TensorData.wrap(averaged[i], p.shape()));
        }
    }

    private void await(Future<?> f) throws IOException, TimeoutException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("jgrad-spark: interrupted while waiting for the gradients of " + what);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            // The first failure is the one that names the peer; later buckets only point at it.
            Throwable first = failure != null ? failure : c;
            if (first instanceof IOException io) throw io;
            if (first instanceof TimeoutException te) throw te;
            if (first instanceof RuntimeException re) throw re;
            if (first instanceof Error er) throw er;
            throw new IOException(first);
        }
    }

    /** CPU time of the background thread so far (ns; -1 where the JVM does not measure it). */
    long commCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? commCpuNanos : -1;
    }

    /** Wall time the background thread spent on buckets so far (ns). */
    long commBusyNanos() {
        return commBusyNanos;
    }

    /** Wall time the training thread waited in {@link #finish} for buckets to complete (ns): the all-reduce not hidden by backward. */
    long finishWaitNanos() {
        return finishWaitNanos;
    }

    /** Removes the hooks and stops the background thread, interrupting a transfer still under way. */
    @Override
    public void close() {
        armed = false;
        hooks.forEach(RemovableHandle::remove);
        if (thread == null) return;
        thread.shutdownNow();
        try {
            // A transfer checks for the interrupt between pieces; a copy finishes within milliseconds.
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
