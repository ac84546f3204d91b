package org.jgrad.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.tensor.Tensor;

/**
 * Stops training when a monitored metric has not improved for {@code patience} epochs (the lectures:
 * "terminate training when the validation loss stops reducing"), and optionally puts back the
 * weights of the best epoch.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final boolean maximize;
    private double best;
    private int bestEpoch, wait;
    private Map<String, Tensor> bestWeights;

    /** Watches {@code val_loss} with the given patience and restores the best weights. */
    public EarlyStopping(int patience) {
        this("val_loss", patience, 0, true);
    }

    /**
     * @param monitor a metric of {@link EpochLog#get}; {@code *accuracy} metrics are maximized, others minimized
     * @param minDelta the smallest change that counts as an improvement
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        new EpochLog(0, 0, 0, 0, 0, 0, 0, 0).get(monitor); // validates the name now, not after an epoch
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.restoreBest = restoreBestWeights;
        this.maximize = monitor.endsWith("accuracy");
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLog log) {
        double v = log.get(monitor);
        if (Double.isNaN(v))
            throw new IllegalStateException("EarlyStopping: metric " + monitor + " is not available (no validation data?)");
        boolean improved = maximize ? v > best + minDelta : v < best - minDelta;
        if (improved) {
            best = v;
            bestEpoch = log.epoch();
            wait = 0;
            if (restoreBest) bestWeights = snapshot(trainer.model().stateDict());
        } else if (++wait > patience) {
            trainer.requestStop("early stopping: " + monitor + " did not improve for " + patience
                    + " epochs (best " + String.format(java.util.Locale.ROOT, "%.4f", best) + " at epoch " + bestEpoch + ")");
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        if (restoreBest && bestWeights != null && bestEpoch != history.last().epoch())
            trainer.model().loadStateDict(bestWeights, true);
    }

    /** Epoch with the best value so far (0 before the first). */
    public int bestEpoch() {
        return bestEpoch;
    }

    private static Map<String, Tensor> snapshot(Map<String, Tensor> state) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        state.forEach((k, t) -> copy.put(k, t.cloneData()));
        return copy;
    }
}
