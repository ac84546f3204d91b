package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/** log(1 + e^{βx})/β, a smooth approximation of ReLU; linear where βx > threshold. */
public class Softplus extends Module {
    private final double beta, threshold;

    /** Softplus with β = 1, threshold = 20: the lectures' ln(1 + eˣ). */
    public Softplus() {
        this(1.0, 20.0);
    }

    /** Softplus with the given β and linear-region threshold. */
    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softplus(input, beta, threshold);
    }

    @Override
    public String extraRepr() {
        return "beta=" + PyRepr.pyFloat(beta) + ", threshold=" + PyRepr.pyFloat(threshold);
    }
}
