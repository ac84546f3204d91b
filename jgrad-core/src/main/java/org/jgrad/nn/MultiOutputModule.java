package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/**
 * A module whose forward pass returns several tensors as one {@link Outputs} record (an LSTM's
 * output and state, a detector's boxes and scores), the Java form of a PyTorch module that returns
 * a tuple. Subclasses implement {@link #forwardOutputs}; callers use {@link #callOutputs}, which
 * runs the forward hooks with every output:
 *
 * <pre>{@code
 * class TwoHeads extends MultiOutputModule<TwoHeads.Out> {
 *     record Out(Tensor logits, Tensor value) implements Outputs {
 *         public List<Tensor> tensors() { return List.of(logits, value); }
 *     }
 *     public Out forwardOutputs(Tensor... x) { return new Out(policy.call(x[0]), value.call(x[0])); }
 * }
 * Out o = heads.callOutputs(x);
 * }</pre>
 *
 * <p>It is still a {@link Module}: {@link #forward(Tensor)} and {@link Module#call(Tensor)} return
 * the {@linkplain Outputs#primary() primary} output, so the module can sit in a {@link Sequential},
 * whose one-tensor chain (and its fusions) stays as it is. Called either way, its hooks see every
 * output: a {@link ForwardHook} built with {@link ForwardHook#everyOutput} receives the whole record,
 * a plain one the primary output.
 *
 * @param <O> the record of outputs
 */
public abstract class MultiOutputModule<O extends Outputs> extends Module {
    /** A module with no parameters, buffers or children yet, in training mode. */
    protected MultiOutputModule() {}

    /** Computes every output from the inputs. */
    public abstract O forwardOutputs(Tensor... inputs);

    /** Runs {@link #forwardOutputs} and then the forward hooks, which see every output. */
    public final O callOutputs(Tensor... inputs) {
        O out = forwardOutputs(inputs);
        if (out == null) throw new IllegalStateException(name() + ".forwardOutputs returned null");
        runHooks(inputs.clone(), out);
        return out;
    }

    /** The primary output of {@link #forwardOutputs}. */
    @Override
    public Tensor forward(Tensor input) {
        return forwardOutputs(input).primary();
    }

    /** The primary output of {@link #forwardOutputs}. */
    @Override
    public Tensor forward(Tensor... inputs) {
        return forwardOutputs(inputs).primary();
    }

    /** {@link Module#call} of a multi-output module: every output to the hooks, the primary one back. */
    @Override
    Tensor invoke(Tensor[] inputs, boolean varargs) {
        O out = forwardOutputs(inputs);
        if (out == null) throw new IllegalStateException(name() + ".forwardOutputs returned null");
        runHooks(inputs, out);
        return out.primary();
    }
}
