package org.jgrad.train;

/**
 * Hooks into {@link Trainer#fit}, like Keras callbacks. All methods do nothing by default. A
 * callback can end training with {@link Trainer#requestStop(String)}.
 */
public interface Callback {
    default void onTrainBegin(Trainer trainer) {}

    default void onEpochBegin(Trainer trainer, int epoch, int numBatches) {}

    /** After each optimizer step: 1-based batch index in the epoch, the batch's loss, running accuracy (NaN for regression). */
    default void onBatchEnd(Trainer trainer, int epoch, int batch, int batchSize, double loss, double runningAccuracy) {}

    /** After validation, before the schedule steps. */
    default void onEpochEnd(Trainer trainer, EpochLog log) {}

    default void onTrainEnd(Trainer trainer, History history) {}
}
