package org.jgrad.spark;

/**
 * Where rank 0's training steps spent their time in the last epoch it trained (the steady state: the
 * first epoch also pays for the JIT compiler's warm-up), in mean seconds per step (wall time, except
 * the CPU times). The gradient all-reduce runs on a background thread
 * beside the backward pass, so {@code allReduceBusy} overlaps {@code backward}; what it adds to a
 * step is {@code allReduceWait}.
 *
 * @param forward the forward pass and the loss
 * @param exchange the exchange of losses, counts and status after the gradients' all-reduce (before
 *     the optimizer step; with {@code syncEvery > 1}, before the weights are averaged)
 * @param backward the backward pass, during which completed buckets of gradients are already being summed
 * @param allReduceWait time the training thread waited, after its backward pass, for the all-reduce to
 *     finish: the part of it not hidden behind the backward pass (with {@code syncEvery > 1}: the weight
 *     averaging)
 * @param allReduceBusy wall time the background thread spent on the buckets: copies, transfers, sums
 * @param allReduceCpu CPU time of that thread (what the all-reduce takes from computing when cores are
 *     scarce; the kernel's share of the loopback or network copies included), or -1 where the JVM does
 *     not measure thread CPU time
 * @param optimizer the optimizer step
 * @param trainingCpu CPU time of the training thread per step (forward, backward, optimizer and the
 *     waits, which should cost next to none): against the wall time of those phases it tells whether a
 *     slow step computed more or waited for a core; -1 where the JVM does not measure thread CPU time
 * @param processCpu CPU time of rank 0's whole JVM per step: the training thread, the all-reduce's
 *     thread, and the garbage collector's, the JIT compiler's and Spark's own threads; -1 where the JVM
 *     does not measure it
 * @param gc time rank 0's JVM spent in garbage collections per step, as its collectors count it (with a
 *     stop-the-world collector such as the serial one, time the training thread stood still); -1 where
 *     the JVM does not say
 * @param trainingRunQueue time per step the training thread was ready to run but waited for a core (the
 *     other executor's threads, this JVM's all-reduce, garbage collector and JIT compiler, other
 *     processes), from Linux's scheduler statistics over the epoch's steps; -1 where the kernel does not give them
 * @param threads the CPU time per step of every thread of rank 0's JVM over the epoch's steps, grouped by
 *     name, largest first ("training 81.2, all-reduce 13.5, VM Thread 4.1, C2 CompilerThre 2.0, ... ms"; the
 *     kernel truncates names to 15 characters); it adds up to {@code processCpu} but for what ran between the steps
 * @param transport how the gradients travelled between the ranks: "shared memory" (every rank on one
 *     host, see {@code SparkTrainer.Builder#sharedMemory}), "Unix-domain socket" (rank 0's ring
 *     neighbours on its host), "TCP", or "none" (one worker)
 * @param allReduceOnTrainingThread whether the buckets were summed on the training thread, in the hooks
 *     of the backward pass, rather than on a background thread beside it (an executor without a core to
 *     spare for a second thread); then {@code allReduceCpu} is part of {@code trainingCpu}
 * @param fromMillis when the measured steps began, in milliseconds since the epoch (the clock of rank 0's host):
 *     with {@code toMillis}, what to line the driver's or the host's own measurements up with
 * @param toMillis when the measured steps ended
 */
public record StepTimings(double forward, double exchange, double backward, double allReduceWait, double allReduceBusy,
        double allReduceCpu, double optimizer, double trainingCpu, double processCpu, double gc, double trainingRunQueue, String threads,
        String transport, boolean allReduceOnTrainingThread, long fromMillis, long toMillis) {

    /** In milliseconds, for a log line. */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "forward %.1f ms, exchange %.1f ms, backward %.1f ms, all-reduce wait "
                + "%.1f ms (busy %.1f ms, CPU %.1f ms, %s the backward pass, %s), optimizer %.1f ms; CPU: training thread"
                + " %.1f ms, process %.1f ms; GC %.1f ms; the training thread waited %.1f ms for a core; CPU by thread: %s",
                forward * 1e3, exchange * 1e3, backward * 1e3, allReduceWait * 1e3,
                allReduceBusy * 1e3, allReduceCpu * 1e3, allReduceOnTrainingThread ? "on the training thread, in" : "beside",
                transport, optimizer * 1e3, trainingCpu * 1e3, processCpu * 1e3,
                gc * 1e3, trainingRunQueue * 1e3, threads);
    }
}
