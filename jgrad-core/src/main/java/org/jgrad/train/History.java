package org.jgrad.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-epoch logs of a run, in order, and why it stopped. */
public final class History {
    private final List<EpochLog> epochs = new ArrayList<>();
    private String stopReason = "completed";

    /** An empty history (a run that has not finished an epoch yet). */
    public History() {}

    /**
     * A history assembled elsewhere, e.g. from the epoch logs a cluster run sent back to the driver.
     *
     * @param stopReason "completed" or what stopped the run early
     */
    public static History of(List<EpochLog> epochs, String stopReason) {
        if (stopReason == null || stopReason.isBlank())
            throw new IllegalArgumentException("History.of: the stop reason is empty");
        History h = new History();
        for (EpochLog e : epochs) {
            if (e == null) throw new IllegalArgumentException("History.of: a null epoch log");
            h.add(e);
        }
        h.stopReason(stopReason);
        return h;
    }

    void add(EpochLog log) {
        epochs.add(log);
    }

    void stopReason(String reason) {
        stopReason = reason;
    }

    /** The epoch logs. */
    public List<EpochLog> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last epoch's log, or null before the first epoch ends. */
    public EpochLog last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** "completed", or what stopped the run early (e.g. early stopping). */
    public String stopReason() {
        return stopReason;
    }
}
