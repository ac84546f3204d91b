package org.jgrad.spark;

import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/** A two-layer ReLU network, built by class name and arguments in the tasks. */
public final class TinyMlp extends Module {
    private final Linear fc1, fc2;

    /** {@code in} → {@code hidden} → {@code out}. */
    public TinyMlp(int in, int hidden, int out) {
        fc1 = registerModule("fc1", new Linear(in, hidden));
        fc2 = registerModule("fc2", new Linear(hidden, out));
    }

    @Override
    public Tensor forward(Tensor x) {
        return fc2.call(F.relu(fc1.call(x)));
    }
}
