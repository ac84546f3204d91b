package org.jgrad.backend;

/**
 * Activation functions and their backward passes (ReLU family, sigmoid/tanh, GELU, softmax and log-softmax, ...).
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuActivation}.
 * Inputs are {@code n} contiguous elements from the given offsets; results are new contiguous storages
 * of {@code n} elements. A backward takes the incoming gradient {@code g} and what its forward read.
 */
public interface ActivationBackend {

    /** PyTorch's {@code relu6}: min(max(0, x), 6); NaN stays NaN. */
    Storage relu6(Storage x, int xOff, int n);

    /**
     * The gradient of {@link #relu6} as PyTorch computes it ({@code hardtanh_backward}): g strictly
     * inside (0, 6), 0 at the two kinks and outside.
     */
    Storage relu6Backward(Storage g, int gOff, Storage x, int xOff, int n);

    /** PyTorch's {@code leaky_relu}: x for x > 0, slope·x otherwise. */
    Storage leakyRelu(Storage x, int xOff, int n, float slope);

    /** The gradient of {@link #leakyRelu}: g where x > 0, g·slope otherwise. */
    Storage leakyReluBackward(Storage g, int gOff, Storage x, int xOff, int n, float slope);

    /** RReLU with given per-element slopes ({@code rrelu_with_noise}): x for x > 0, x·slope otherwise. */
    Storage rrelu(Storage x, int xOff, Storage slopes, int sOff, int n);

    /** The gradient of {@link #rrelu}: g where x > 0, g·slope otherwise (the slope at 0). */
    Storage rreluBackward(Storage g, int gOff, Storage x, int xOff, Storage slopes, int sOff, int n);

    /** ELU: x for x > 0, α(eˣ − 1) otherwise. */
    Storage elu(Storage x, int xOff, int n, float alpha);

    /** The gradient of {@link #elu}, reusing its output {@code y} (contiguous from 0): g·(y + α) where x ≤ 0. */
    Storage eluBackward(Storage g, int gOff, Storage x, int xOff, Storage y, int n, float alpha);

    /** Softplus {@code log(1 + e^{βx})/β}, x where {@code βx > threshold} (PyTorch). */
    Storage softplus(Storage x, int xOff, int n, float beta, float threshold);

    /** The gradient of {@link #softplus}: g·σ(βx), g where {@code βx > threshold}. */
    Storage softplusBackward(Storage g, int gOff, Storage x, int xOff, int n, float beta, float threshold);

    /** GELU {@code x·Φ(x)}, exact or with PyTorch's tanh approximation. */
    Storage gelu(Storage x, int xOff, int n, boolean tanhApproximation);

    /** The gradient of {@link #gelu}. */
    Storage geluBackward(Storage g, int gOff, Storage x, int xOff, int n, boolean tanhApproximation);

    /** SiLU {@code x·σ(x)}. */
    Storage silu(Storage x, int xOff, int n);

    /** The gradient of {@link #silu}. */
    Storage siluBackward(Storage g, int gOff, Storage x, int xOff, int n);

    /** The Heaviside step: 1 where x > threshold, else 0. */
    Storage step(Storage x, int xOff, int n, float threshold);

    /**
     * Softmax (log-softmax when {@code log}) of a contiguous [outer, len, inner] block along its middle
     * dim, shifted by each row's maximum, the row sums in double (PyTorch's semantics).
     */
    Storage softmax(Storage x, int xOff, int outer, int len, int inner, boolean log);

    /** The gradient of {@link #softmax} from its output {@code y} (contiguous from 0). */
    Storage softmaxBackward(Storage g, int gOff, Storage y, int outer, int len, int inner, boolean log);
}
