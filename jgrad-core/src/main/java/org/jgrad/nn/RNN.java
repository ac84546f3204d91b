package org.jgrad.nn;

import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;

/**
 * A multi-layer Elman network, like {@code torch.nn.RNN}: per step
 * {@code h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)}, or ReLU for {@code nonlinearity = "relu"}.
 * {@link #callOutputs} returns the output and {@code h_n}. See {@link RNNBase} for the inputs and
 * variable-length batches.
 */
public class RNN extends RNNBase {
    /** One tanh layer, with bias, time-major, from {@link DefaultGenerator#get()}. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, "tanh");
    }

    /** Stacked layers with {@code "tanh"} or {@code "relu"}, with bias, time-major. */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity) {
        this(inputSize, hiddenSize, numLayers, nonlinearity, true, false, 0, false, DefaultGenerator.get());
    }

    /** PyTorch's full argument list; {@code gen} initializes the parameters (null leaves them zero). */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional, Generator gen) {
        super(mode(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen);
    }

    static RecurrentOps.Mode mode(String nonlinearity) {
        return switch (nonlinearity == null ? "" : nonlinearity) {
            case "tanh" -> RecurrentOps.Mode.RNN_TANH;
            case "relu" -> RecurrentOps.Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("RNN: unknown nonlinearity '" + nonlinearity
                    + "'; expected 'tanh' or 'relu'");
        };
    }
}
