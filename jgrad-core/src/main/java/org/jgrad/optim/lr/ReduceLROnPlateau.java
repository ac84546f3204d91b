package org.jgrad.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.ParamGroup;
import org.jgrad.optim.StateDicts;
import org.jgrad.tensor.Tensor;

/**
 * Cuts the rate by {@code factor} when a monitored metric stops improving, like
 * {@code ReduceLROnPlateau}. After more than {@code patience} epochs without improvement
 * ("improvement" is beyond {@code threshold}, relative or absolute), every group's rate becomes
 * {@code max(lr·factor, minLr)}, then {@code cooldown} epochs pass before bad epochs count again.
 * A reduction smaller than {@code eps} is skipped.
 *
 * <pre>{@code
 * var sched = new ReduceLROnPlateau(opt).patience(5);
 * for (...) { train(); sched.step(validationLoss); }
 * }</pre>
 */
public final class ReduceLROnPlateau {
    /** Whether a lower or a higher metric is better. */
    public enum Mode { MIN, MAX }

    /** Whether {@code threshold} is relative to the best value or an absolute difference. */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private Mode mode = Mode.MIN;
    private double factor = 0.1;
    private int patience = 10;
    private double threshold = 1e-4;
    private ThresholdMode thresholdMode = ThresholdMode.REL;
    private int cooldown = 0;
    private double[] minLrs;
    private double eps = 1e-8;

    private double best;
    private int numBadEpochs, cooldownCounter, lastEpoch;
    private double[] lastLr;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0, min_lr 0. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this.optimizer = optimizer;
        minLrs = new double[optimizer.paramGroups().size()];
        lastLr = currentLrs();
        reset();
    }

    public ReduceLROnPlateau mode(Mode m) {
        mode = m;
        reset();
        return this;
    }

    /** Multiplier of the rate at each reduction, below 1. */
    public ReduceLROnPlateau factor(double f) {
        if (!(f < 1.0)) throw new IllegalArgumentException("ReduceLROnPlateau: factor should be < 1.0, got " + f);
        factor = f;
        return this;
    }

    /** Epochs without improvement tolerated before a reduction. */
    public ReduceLROnPlateau patience(int p) {
        patience = p;
        return this;
    }

    public ReduceLROnPlateau threshold(double t, ThresholdMode m) {
        threshold = t;
        thresholdMode = m;
        reset();
        return this;
    }

    /** Epochs to wait after a reduction before counting bad epochs again. */
    public ReduceLROnPlateau cooldown(int c) {
        cooldown = c;
        return this;
    }

    /** The lowest rate, for every group. */
    public ReduceLROnPlateau minLr(double lr) {
        java.util.Arrays.fill(minLrs, lr);
        return this;
    }

    /** The lowest rate of each group. */
    public ReduceLROnPlateau minLrs(double... lrs) {
        if (lrs.length != minLrs.length)
            throw new IllegalArgumentException("ReduceLROnPlateau: expected " + minLrs.length + " min_lrs, got " + lrs.length);
        minLrs = lrs.clone();
        return this;
    }

    /** Smallest change of rate worth applying. */
    public ReduceLROnPlateau eps(double e) {
        eps = e;
        return this;
    }

    private void reset() {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    /** Records one epoch's metric and reduces the rates if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<ParamGroup> gs = optimizer.paramGroups();
        for (int i = 0; i < gs.size(); i++) {
            double old = gs.get(i).lr(), next = Math.max(old * factor, minLrs[i]);
            if (old - next > eps) gs.get(i).lr(next);
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN)
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
    }

    private double[] currentLrs() {
        List<ParamGroup> gs = optimizer.paramGroups();
        double[] out = new double[gs.size()];
        for (int i = 0; i < out.length; i++) out[i] = gs.get(i).lr();
        return out;
    }

    /** The rates after the last step, one per group. */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The best metric seen so far. */
    public double best() {
        return best;
    }

    /** Consecutive epochs without improvement. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** The progress counters (the options are the caller's code, as in PyTorch's usage). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", StateDicts.encodeDouble(best));
        out.put("num_bad_epochs", StateDicts.encodeLong(numBadEpochs));
        out.put("cooldown_counter", StateDicts.encodeLong(cooldownCounter));
        out.put("last_epoch", StateDicts.encodeLong(lastEpoch));
        for (int i = 0; i < lastLr.length; i++) out.put("_last_lr." + i, StateDicts.encodeDouble(lastLr[i]));
        return out;
    }

    public void loadStateDict(Map<String, Tensor> dict) {
        String owner = "ReduceLROnPlateau";
        best = StateDicts.decodeDouble(StateDicts.require(dict, "best", owner));
        numBadEpochs = (int) StateDicts.decodeLong(StateDicts.require(dict, "num_bad_epochs", owner));
        cooldownCounter = (int) StateDicts.decodeLong(StateDicts.require(dict, "cooldown_counter", owner));
        lastEpoch = (int) StateDicts.decodeLong(StateDicts.require(dict, "last_epoch", owner));
        for (int i = 0; i < lastLr.length; i++)
            lastLr[i] = StateDicts.decodeDouble(StateDicts.require(dict, "_last_lr." + i, owner));
    }
}
