package org.jgrad.nn;

import org.jgrad.tensor.Generator;

/**
 * A module that draws random numbers in its forward pass (dropout masks, RReLU slopes). By default
 * it uses {@link DefaultGenerator#get()}; giving it its own generator makes its stream
 * independent of weight initialization, e.g. for a resumable run:
 *
 * <pre>{@code
 * Generator g = new Generator(7);
 * model.apply(m -> { if (m instanceof Stochastic s) s.setGenerator(g); });
 * }</pre>
 */
public interface Stochastic {
    /** Uses {@code gen} from now on (null returns to the default generator); returns this. */
    Stochastic setGenerator(Generator gen);

    /** The generator the next forward pass draws from. */
    Generator generator();
}
