package org.jgrad.nn;

import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * An indexed list of modules, like {@code torch.nn.ModuleList}: its children are named "0", "1", ...,
 * so parameter names read {@code layers.0.linear1.weight} as in PyTorch. It has no forward pass of
 * its own; the owner calls {@link #get} in its own {@code forward}.
 */
public final class ModuleList extends Module {
    private int size;

    /** A list holding {@code modules} in order. */
    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module under the next index; returns it. */
    public <M extends Module> M add(M module) {
        return registerModule(String.valueOf(size++), module);
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        if (index < 0 || index >= size)
            throw new IndexOutOfBoundsException("ModuleList: index " + index + " outside 0.." + (size - 1));
        return child(String.valueOf(index));
    }

    /** How many modules the list holds. */
    public int size() {
        return size;
    }

    /** Always throws: like PyTorch's, a ModuleList is a container, not a layer. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward(); call its modules from the owner's forward");
    }
}
