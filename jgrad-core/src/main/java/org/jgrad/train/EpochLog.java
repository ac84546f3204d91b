package org.jgrad.train;

/**
 * What one epoch produced. Validation fields are NaN when there is no validation set; accuracy
 * fields are NaN for regression.
 *
 * @param epoch 1-based epoch number
 * @param step optimizer steps taken so far in the run
 * @param lr learning rate of the first parameter group during the epoch
 * @param seconds wall time of the epoch, validation included
 */
public record EpochLog(int epoch, long step, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
        double lr, double seconds) {

    /** The value of a metric by name: {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy}, {@code lr}. */
    public double get(String metric) {
        return switch (metric) {
            case "loss", "train_loss" -> trainLoss;
            case "accuracy", "train_accuracy" -> trainAccuracy;
            case "val_loss" -> valLoss;
            case "val_accuracy" -> valAccuracy;
            case "lr" -> lr;
            default -> throw new IllegalArgumentException("unknown metric '" + metric
                    + "' (expected loss, accuracy, val_loss, val_accuracy or lr)");
        };
    }
}
