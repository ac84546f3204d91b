package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/** x·Φ(x) with the exact normal CDF ({@code approximate='none'}) or its tanh approximation ({@code 'tanh'}). */
public class GELU extends Module {
    private final String approximate;

    /** Exact GELU. */
    public GELU() {
        this("none");
    }

    /** GELU with {@code approximate} "none" or "tanh". */
    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh"))
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.gelu(input, approximate);
    }

    @Override
    public String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
