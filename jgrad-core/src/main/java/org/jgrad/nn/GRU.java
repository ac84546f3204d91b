package org.jgrad.nn;

import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;

/**
 * A multi-layer gated recurrent unit network, like {@code torch.nn.GRU}: per step
 * {@code r = σ(x·W_irᵀ + b_ir + h·W_hrᵀ + b_hr)}, {@code z} likewise,
 * {@code n = tanh(x·W_inᵀ + b_in + r·(h·W_hnᵀ + b_hn))} (the reset gate applied after the hidden
 * product, as PyTorch and cuDNN do), {@code h' = (1 − z)·n + z·h}; gate blocks r|z|n in
 * {@code weight_ih_l0} [3H, H_in] and {@code weight_hh_l0} [3H, H]. {@link #callOutputs} returns the
 * output and {@code h_n}. See {@link RNNBase} for the inputs and variable-length batches.
 */
public class GRU extends RNNBase {
    /** One layer, with bias, time-major, from {@link DefaultGenerator#get()}. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /** Stacked layers, with bias, time-major, from {@link DefaultGenerator#get()}. */
    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0, false, DefaultGenerator.get());
    }

    /** PyTorch's full argument list; {@code gen} initializes the parameters (null leaves them zero). */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional, Generator gen) {
        super(RecurrentOps.Mode.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen);
    }
}
