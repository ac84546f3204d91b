package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1 − p), so the layer is the identity in evaluation mode.
 */
public class Dropout extends DropoutNd {

    /** Dropout with p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    /** Dropout that zeroes each element with probability {@code p} in [0, 1]. */
    public Dropout(double p) {
        super(p);
    }

    @Override
    public Dropout setGenerator(Generator gen) {
        super.setGenerator(gen);
        return this;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p(), isTraining(), generator());
    }
}
