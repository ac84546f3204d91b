package org.jgrad.spark;

import java.util.Collection;
import java.util.Properties;
import org.jgrad.optim.Adam;
import org.jgrad.optim.AdamW;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.RMSprop;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Tensor;

/**
 * Which optimizer each task builds over its model copy, as plain values that travel as text:
 * {@code OptimizerSpec.sgd(0.1).momentum(0.9)}, {@code OptimizerSpec.adam(1e-3)}. Every rank builds
 * the same optimizer and applies it to the same averaged gradients, so the replicas stay identical.
 */
public final class OptimizerSpec {
    private final String name;
    private final double lr;
    private double momentum, weightDecay, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, alpha = 0.99;
    private boolean nesterov;

    private OptimizerSpec(String name, double lr) {
        if (!(lr > 0) || !Double.isFinite(lr))
            throw new IllegalArgumentException("OptimizerSpec: the learning rate must be positive and finite, got " + lr);
        this.name = name;
        this.lr = lr;
        if (name.equals("adamw")) weightDecay = 1e-2;
    }

    /** Stochastic gradient descent ({@link SGD}). */
    public static OptimizerSpec sgd(double lr) {
        return new OptimizerSpec("sgd", lr);
    }

    /** {@link Adam}. */
    public static OptimizerSpec adam(double lr) {
        return new OptimizerSpec("adam", lr);
    }

    /** {@link AdamW} (weight decay 0.01 unless set). */
    public static OptimizerSpec adamw(double lr) {
        return new OptimizerSpec("adamw", lr);
    }

    /** {@link RMSprop}. */
    public static OptimizerSpec rmsprop(double lr) {
        return new OptimizerSpec("rmsprop", lr);
    }

    /** SGD momentum (0 by default). */
    public OptimizerSpec momentum(double m) {
        momentum = m;
        return this;
    }

    /** Nesterov momentum for SGD. */
    public OptimizerSpec nesterov(boolean on) {
        nesterov = on;
        return this;
    }

    /** L2 weight decay (decoupled for AdamW). */
    public OptimizerSpec weightDecay(double wd) {
        weightDecay = wd;
        return this;
    }

    /** Adam's and AdamW's betas. */
    public OptimizerSpec betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    /** The epsilon of Adam, AdamW and RMSprop. */
    public OptimizerSpec eps(double e) {
        eps = e;
        return this;
    }

    /** RMSprop's smoothing constant. */
    public OptimizerSpec alpha(double a) {
        alpha = a;
        return this;
    }

    /** The learning rate. */
    public double lr() {
        return lr;
    }

    /** A new optimizer over {@code params}. */
    public Optimizer create(Collection<Tensor> params) {
        return switch (name) {
            case "sgd" -> new SGD(params, lr).momentum(momentum).weightDecay(weightDecay).nesterov(nesterov);
            case "adam" -> new Adam(params, lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay);
            case "adamw" -> new AdamW(params, lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay);
            case "rmsprop" -> new RMSprop(params, lr).alpha(alpha).eps(eps).weightDecay(weightDecay);
            default -> throw new IllegalArgumentException("OptimizerSpec: unknown optimizer '" + name + "'");
        };
    }

    void write(Properties p) {
        p.setProperty("optim.name", name);
        p.setProperty("optim.lr", Double.toString(lr));
        p.setProperty("optim.momentum", Double.toString(momentum));
        p.setProperty("optim.weightDecay", Double.toString(weightDecay));
        p.setProperty("optim.beta1", Double.toString(beta1));
        p.setProperty("optim.beta2", Double.toString(beta2));
        p.setProperty("optim.eps", Double.toString(eps));
        p.setProperty("optim.alpha", Double.toString(alpha));
        p.setProperty("optim.nesterov", Boolean.toString(nesterov));
    }

    static OptimizerSpec read(Properties p) {
        OptimizerSpec s = new OptimizerSpec(Envelope.required(p, "optim.name"), Envelope.doubleValue(p, "optim.lr"));
        s.momentum = Envelope.doubleValue(p, "optim.momentum");
        s.weightDecay = Envelope.doubleValue(p, "optim.weightDecay");
        s.beta1 = Envelope.doubleValue(p, "optim.beta1");
        s.beta2 = Envelope.doubleValue(p, "optim.beta2");
        s.eps = Envelope.doubleValue(p, "optim.eps");
        s.alpha = Envelope.doubleValue(p, "optim.alpha");
        s.nesterov = Boolean.parseBoolean(Envelope.required(p, "optim.nesterov"));
        return s;
    }

    @Override
    public String toString() {
        return name + "(lr=" + lr + ")";
    }
}
