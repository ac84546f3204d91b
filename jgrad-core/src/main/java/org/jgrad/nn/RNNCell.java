package org.jgrad.nn;

import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * One Elman RNN step, like {@code torch.nn.RNNCell}: {@code call(input, h)} (h optional) returns
 * {@code h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)}, or ReLU for {@code "relu"}.
 */
public class RNNCell extends RNNCellBase {
    /** A tanh cell with bias, from {@link DefaultGenerator#get()}. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh", DefaultGenerator.get());
    }

    /** {@code nonlinearity} is {@code "tanh"} or {@code "relu"}; {@code gen} draws the parameters (null: zero). */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity, Generator gen) {
        super(RNN.mode(nonlinearity), inputSize, hiddenSize, bias, gen);
    }

    /** {@code input}, then optionally {@code h}. */
    @Override
    public RnnOutputs forwardOutputs(Tensor... inputs) {
        if (inputs.length < 1 || inputs.length > 2)
            throw new IllegalArgumentException(name() + ": expected input and optionally h, got " + inputs.length
                    + " tensors");
        return step(inputs[0], inputs.length > 1 ? inputs[1] : null, null);
    }
}
