package org.jgrad.nn;

import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * One GRU step, like {@code torch.nn.GRUCell}: {@code call(input, h)} (h optional) returns h'.
 * Gates r|z|n as in {@link GRU}.
 */
public class GRUCell extends RNNCellBase {
    /** With bias, from {@link DefaultGenerator#get()}. */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, DefaultGenerator.get());
    }

    /** {@code gen} draws the parameters; null leaves them zero. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, Generator gen) {
        super(RecurrentOps.Mode.GRU, inputSize, hiddenSize, bias, gen);
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
