package org.jgrad.train;

/** The loss became NaN or infinite; the run stopped before the bad step changed any weights. */
public class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The 1-based optimizer step whose loss was not finite. */
    public long step() {
        return step;
    }
}
