package org.jgrad.nn;

import org.jgrad.ops.NormOps;
import org.jgrad.tensor.Tensor;

/**
 * AlexNet's local response normalization across channels, like {@code torch.nn.LocalResponseNorm}:
 * {@code b_c = a_c · (k + α/n · Σ_{c'} a_{c'}²)^(−β)} over a window of n neighbouring channels.
 * PyTorch's defaults are α = 1e-4, β = 0.75, k = 1; AlexNet used n = 5, k = 2.
 */
public class LocalResponseNorm extends Module {
    private final int size;
    private final double alpha, beta, k;

    /** A window of {@code size} channels with PyTorch's defaults. */
    public LocalResponseNorm(int size) {
        this(size, 1e-4, 0.75, 1.0);
    }

    /** All settings. */
    public LocalResponseNorm(int size, double alpha, double beta, double k) {
        if (size < 1) throw new IllegalArgumentException("LocalResponseNorm: size must be >= 1, got " + size);
        this.size = size;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    @Override
    public Tensor forward(Tensor input) {
        return NormOps.localResponseNorm(input, size, (float) alpha, (float) beta, (float) k);
    }

    @Override
    public String extraRepr() {
        return size + ", alpha=" + PyRepr.pyFloat(alpha) + ", beta=" + PyRepr.pyFloat(beta) + ", k=" + PyRepr.pyFloat(k);
    }
}
