package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/**
 * Called after a module's forward pass when the module is run through {@link Module#call}, like
 * PyTorch's {@code register_forward_hook}. Hooks observe; they cannot replace the output.
 */
@FunctionalInterface
public interface ForwardHook {
    /** Receives the module, the inputs it was called with and the output it produced. */
    void onForward(Module module, Tensor[] inputs, Tensor output);
}
