package org.jgrad.keras;

import java.util.function.UnaryOperator;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/** A Keras layer that is only a function of its input: Activation, ReLU, LeakyReLU, ELU, Softmax. */
final class ActivationLayer extends Module {
    private final String kerasClass;
    private final String description;
    private final UnaryOperator<Tensor> fn;

    ActivationLayer(String kerasClass, String description, UnaryOperator<Tensor> fn) {
        this.kerasClass = kerasClass;
        this.description = description;
        this.fn = fn;
    }

    @Override
    public Tensor forward(Tensor input) {
        return fn.apply(input);
    }

    @Override
    public String name() {
        return kerasClass;
    }

    @Override
    public String extraRepr() {
        return description;
    }
}
