package org.jgrad.nn;

import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * One LSTM step, like {@code torch.nn.LSTMCell}: {@code callOutputs(input, h, c)} (the state optional)
 * returns {@code (h', c')} as {@link RnnOutputs} whose {@code output} and {@code h} are both h'.
 * Gates i|f|g|o as in {@link LSTM}.
 */
public class LSTMCell extends RNNCellBase {
    /** With bias, from {@link DefaultGenerator#get()}. */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, DefaultGenerator.get());
    }

    /** {@code gen} draws the parameters; null leaves them zero. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Generator gen) {
        super(RecurrentOps.Mode.LSTM, inputSize, hiddenSize, bias, gen);
    }

    /** {@code input}, then optionally {@code h} and {@code c}. */
    @Override
    public RnnOutputs forwardOutputs(Tensor... inputs) {
        if (inputs.length < 1 || inputs.length > 3 || inputs.length == 2)
            throw new IllegalArgumentException(name() + ": expected input, or input, h, c; got " + inputs.length
                    + " tensors");
        return step(inputs[0], inputs.length > 1 ? inputs[1] : null, inputs.length > 2 ? inputs[2] : null);
    }
}
