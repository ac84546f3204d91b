package org.jgrad.train;

/**
 * The loss became NaN or infinite; the run stopped before the bad step changed any weights. The
 * message starts with "bad training data" and names the sample when the batch itself held NaN or
 * an infinity, and with "training diverged" when the data was finite (usually a learning rate that
 * is too high).
 */
public class TrainingDivergedException extends RuntimeException {
    /** The 1-based optimizer step whose loss was not finite. */
    private final long step;

    /**
     * @param message starts with "bad training data" or "training diverged" (see the class comment)
     * @param step the 1-based optimizer step whose loss was not finite
     */
    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The 1-based optimizer step whose loss was not finite. */
    public long step() {
        return step;
    }
}
