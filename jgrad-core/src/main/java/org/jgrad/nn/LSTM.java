package org.jgrad.nn;

import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;

/**
 * A multi-layer long short-term memory network, like {@code torch.nn.LSTM}: per step
 * {@code i, f, g, o = σ, σ, tanh, σ (x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)} (the gate blocks in that order
 * in {@code weight_ih_l0} [4H, H_in] and {@code weight_hh_l0} [4H, H]), {@code c' = f·c + i·g},
 * {@code h' = o·tanh(c')}. {@link #callOutputs} returns the output and {@code (h_n, c_n)}:
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(10, 20, 2);                      // input_size, hidden_size, num_layers
 * RnnOutputs o = lstm.callOutputs(Tensor.randn(gen, 5, 3, 10));
 * o.output();  // [5, 3, 20]
 * o.h();       // [2, 3, 20]; o.c() likewise
 * }</pre>
 *
 * See {@link RNNBase} for the inputs, variable-length batches and the parameters.
 */
public class LSTM extends RNNBase {
    /** One layer, with bias, time-major, from {@link DefaultGenerator#get()}. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /** Stacked layers, with bias, time-major, from {@link DefaultGenerator#get()}. */
    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0, false, DefaultGenerator.get());
    }

    /**
     * PyTorch's full argument list; {@code gen} initializes the parameters (null leaves them zero,
     * for a caller that loads weights).
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional, Generator gen) {
        super(RecurrentOps.Mode.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen);
    }
}
