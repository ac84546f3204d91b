package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/** x·σ(x) (swish), elementwise. */
public class SiLU extends Module {
    /** The SiLU layer. */
    public SiLU() {}

    @Override
    public Tensor forward(Tensor input) {
        return F.silu(input);
    }
}
