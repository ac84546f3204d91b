package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/**
 * Called after a module's forward pass when the module is run through {@link Module#call} (or
 * {@link MultiOutputModule#callOutputs}), like PyTorch's {@code register_forward_hook}. Hooks
 * observe; they cannot replace the output.
 *
 * <p>A module with several outputs ({@link MultiOutputModule}) calls
 * {@link #onForward(Module, Tensor[], Outputs)}, which by default hands the primary output to the
 * one-tensor method; a hook made with {@link #everyOutput} receives the whole record instead.
 */
@FunctionalInterface
public interface ForwardHook {
    /** Receives the module, the inputs it was called with and the output it produced (the primary one of several). */
    void onForward(Module module, Tensor[] inputs, Tensor output);

    /** Receives every output of a {@link MultiOutputModule}; by default passes on the primary one. */
    default void onForward(Module module, Tensor[] inputs, Outputs outputs) {
        onForward(module, inputs, outputs.primary());
    }

    /** A hook that sees a module's outputs as a record: every output of a multi-output module, a one-element record otherwise. */
    @FunctionalInterface
    interface OfOutputs {
        /** Receives the module, its inputs and its outputs. */
        void onForward(Module module, Tensor[] inputs, Outputs outputs);
    }

    /**
     * A hook that sees every output: {@code module.registerForwardHook(ForwardHook.everyOutput((m, in, outs) -> ...))}.
     * On a one-output module it receives {@code Outputs.of(output)}.
     */
    static ForwardHook everyOutput(OfOutputs hook) {
        if (hook == null) throw new IllegalArgumentException("ForwardHook.everyOutput: hook is null");
        return new ForwardHook() {
            @Override
            public void onForward(Module module, Tensor[] inputs, Tensor output) {
                hook.onForward(module, inputs, Outputs.of(output));
            }

            @Override
            public void onForward(Module module, Tensor[] inputs, Outputs outputs) {
                hook.onForward(module, inputs, outputs);
            }
        };
    }
}
