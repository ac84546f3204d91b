package org.jgrad.spark;

import java.util.List;
import java.util.Map;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.History;

/**
 * What {@link SparkTrainer#fit} returns: the epoch logs (global loss and accuracy over all ranks),
 * rank 0's trained weights (every rank's are identical; {@link #replicaDigests} shows it), and what
 * the run cost in communication.
 *
 * @param history one log per epoch, including epochs done by an earlier attempt that this one resumed
 * @param weights the trained state dict
 * @param replicaDigests SHA-256 of each rank's final state dict, in rank order (all equal)
 * @param steps optimizer steps taken in the whole run
 * @param attempts Spark jobs it took (more than 1 after a failure that was resumed from a checkpoint)
 * @param timings where rank 0's steps spent their time (forward, backward, the all-reduce and the wait
 *     for the other ranks), in the last epoch of the last attempt
 * @param rankTimings every rank's timings, in rank order (rank 0's is {@code timings}): a rank whose JVM
 *     compiled or collected more than the others holds them all back
 */
public record SparkTrainingResult(History history, Map<String, Tensor> weights, List<String> replicaDigests, long steps,
        int attempts, StepTimings timings, List<StepTimings> rankTimings) {

    /** {@code model} with the trained weights loaded (strictly: every key must match). */
    public <M extends Module> M loadInto(M model) {
        model.loadStateDict(weights, true);
        return model;
    }
}
