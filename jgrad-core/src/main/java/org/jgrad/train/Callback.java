package org.jgrad.train;

/**
 * Hooks into {@link Trainer#fit}, like Keras callbacks. All methods do nothing by default. A
 * callback can end training with {@link Trainer#requestStop(String)}.
 */
public interface Callback {
    /** Once per {@link Trainer#fit} call, before the first epoch it runs (after a resume, too). */
    default void onTrainBegin(Trainer trainer) {}

    /** Before each epoch's first batch: the 1-based epoch number and how many batches it will have. */
    default void onEpochBegin(Trainer trainer, int epoch, int numBatches) {}

    /** After each optimizer step: 1-based batch index in the epoch, the batch's loss, running accuracy (NaN for regression). */
    default void onBatchEnd(Trainer trainer, int epoch, int batch, int batchSize, double loss, double runningAccuracy) {}

    /** After validation, before the schedule steps. */
    default void onEpochEnd(Trainer trainer, EpochLog log) {}

    /**
     * Once per {@link Trainer#fit} call, after the last epoch it ran or after a stop was requested;
     * {@code history} holds the epochs of this call. Not called when training throws (for example
     * {@link TrainingDivergedException}).
     */
    default void onTrainEnd(Trainer trainer, History history) {}
}
