package org.jgrad.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-epoch logs of a run, in order, and why it stopped. */
public final class History {
    private final List<EpochLog> epochs = new ArrayList<>();
    private String stopReason = "completed";

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
