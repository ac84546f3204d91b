package org.jgrad.vision.transfer;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * One unit of a backbone that is frozen or fine-tuned as a whole: a residual block
 * ({@code layer4.1}), a conv stage ending in a pooling layer ({@code features[24:31]}), or a single
 * hidden layer.
 *
 * @param name a readable label: a module path, or a {@code [from:to)} range of a container's children
 * @param modules the modules it consists of, in forward order
 */
public record Block(String name, List<Module> modules) {
    /** Copies {@code modules}, so the block does not change when the caller's list does. */
    public Block {
        modules = List.copyOf(modules);
    }

    /** The parameters of all its modules. */
    public List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Module m : modules) out.addAll(m.parameters());
        return out;
    }
}
