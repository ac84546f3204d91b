package org.jgrad.nn;

import java.util.Arrays;
import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * The outputs of a module that returns several tensors ({@link MultiOutputModule}), like the tuple
 * a PyTorch module returns: an LSTM's {@code (output, (h_n, c_n))}. Implement it with a record that
 * names each output, and list them in {@link #tensors()}, the primary output first:
 *
 * <pre>{@code
 * record LstmOutputs(Tensor output, Tensor h, Tensor c) implements Outputs {
 *     public List<Tensor> tensors() { return List.of(output, h, c); }
 * }
 * }</pre>
 */
public interface Outputs {
    /** Every output in order, the primary one first; a nested tuple is listed flat. */
    List<Tensor> tensors();

    /** The primary output: what a {@link Sequential} passes on and a one-tensor hook sees. */
    default Tensor primary() {
        return tensors().get(0);
    }

    /** Unnamed outputs, in the given order (for modules that need no record of their own). */
    static Outputs of(Tensor... tensors) {
        if (tensors == null || tensors.length == 0)
            throw new IllegalArgumentException("Outputs.of: a module returns at least one tensor");
        for (int i = 0; i < tensors.length; i++)
            if (tensors[i] == null) throw new IllegalArgumentException("Outputs.of: output " + i + " is null");
        return new Tuple(List.of(tensors));
    }

    /** The record behind {@link #of}. */
    record Tuple(List<Tensor> tensors) implements Outputs {
        public Tuple {
            tensors = List.copyOf(tensors);
        }

        @Override
        public String toString() {
            return "Outputs" + Arrays.toString(tensors.stream().map(t -> Arrays.toString(t.shape())).toArray());
        }
    }
}
