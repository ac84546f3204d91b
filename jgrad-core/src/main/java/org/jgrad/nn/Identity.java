package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/** Returns its input unchanged; a placeholder, e.g. to cut the classifier off a pretrained model. */
public class Identity extends Module {
    /** The identity layer. */
    public Identity() {}

    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
