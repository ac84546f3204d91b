package org.jgrad.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints training progress: on a terminal a live bar per epoch (batches, samples/s, ETA, running
 * loss and accuracy), redrawn at most ten times a second; elsewhere (logs, CI) one line per epoch.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean live;
    private long epochStart, lastDraw, samples;
    private int numBatches;
    private double lossSum;
    private int lossCount;

    /** Live redrawing when {@code out} is {@code System.out} on a console. */
    public ProgressBar(PrintStream out) {
        this(out, out == System.out && System.console() != null);
    }

    /** With live redrawing switched on or off explicitly. */
    public ProgressBar(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void onEpochBegin(Trainer trainer, int epoch, int numBatches) {
        this.numBatches = numBatches;
        epochStart = System.nanoTime();
        lastDraw = 0;
        samples = 0;
        lossSum = 0;
        lossCount = 0;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, int batchSize, double loss, double runningAccuracy) {
        samples += batchSize;
        lossSum += loss;
        lossCount++;
        if (!live) return;
        long now = System.nanoTime();
        if (batch < numBatches && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double secs = (now - epochStart) / 1e9;
        double eta = batch == 0 ? 0 : secs / batch * (numBatches - batch);
        int filled = numBatches == 0 ? WIDTH : (int) ((long) WIDTH * batch / numBatches);
        String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 && filled < WIDTH ? ">" : filled == WIDTH ? "=" : "")
                + " ".repeat(WIDTH - filled);
        String acc = Double.isNaN(runningAccuracy) ? "" : String.format(Locale.ROOT, "  acc %.4f", runningAccuracy);
        out.print(String.format(Locale.ROOT, "\repoch %d/%d %d/%d [%s] %,.0f samples/s  ETA %s  loss %.4f%s",
                epoch, trainer.epochs(), batch, numBatches, bar, samples / Math.max(secs, 1e-9), clock(eta),
                lossSum / lossCount, acc));
        out.flush();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLog log) {
        if (live) out.print('\r');
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  %s  %,.0f samples/s  loss %.4f",
                log.epoch(), trainer.epochs(), clock(log.seconds()), samples / Math.max(log.seconds(), 1e-9), log.trainLoss()));
        if (!Double.isNaN(log.trainAccuracy())) sb.append(String.format(Locale.ROOT, "  acc %.4f", log.trainAccuracy()));
        if (!Double.isNaN(log.valLoss())) sb.append(String.format(Locale.ROOT, "  val_loss %.4f", log.valLoss()));
        if (!Double.isNaN(log.valAccuracy())) sb.append(String.format(Locale.ROOT, "  val_acc %.4f", log.valAccuracy()));
        sb.append(String.format(Locale.ROOT, "  lr %.3g", log.lr()));
        // pad over the live bar's longer line
        out.println(live ? String.format("%-110s", sb) : sb.toString());
        out.flush();
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        if (!"completed".equals(history.stopReason())) out.println("stopped: " + history.stopReason());
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60) : String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
