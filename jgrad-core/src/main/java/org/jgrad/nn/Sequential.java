package org.jgrad.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.tensor.Tensor;

/**
 * Children called one after the other, like {@code torch.nn.Sequential}. Children are named
 * {@code "0"}, {@code "1"}, ... by the varargs constructor, or given names with the builder; the
 * printed class name can be set so that a model reads like the lectures' {@code Feedforward(...)}:
 *
 * <pre>{@code
 * Sequential net = Sequential.builder("Feedforward")
 *         .add("input", new Linear(2, 2)).add("relu1", new ReLU())
 *         .add("output", new Linear(2, 1))
 *         .build();
 * }</pre>
 */
public class Sequential extends Module {
    private final String displayName;

    /**
     * Children {@code "0"}, {@code "1"}, ..., printed under the class name: {@code Sequential(...)}, or
     * {@code Feedforward(...)} for a subclass {@code Feedforward}.
     */
    public Sequential(Module... modules) {
        this.displayName = null;
        for (int i = 0; i < modules.length; i++) registerModule(Integer.toString(i), modules[i]);
    }

    /** Children {@code "0"}, {@code "1"}, ... and the given printed class name. */
    public Sequential(String displayName, Module... modules) {
        this.displayName = checkName(displayName);
        for (int i = 0; i < modules.length; i++) registerModule(Integer.toString(i), modules[i]);
    }

    /** Named children in map order, with the given printed class name. */
    public Sequential(String displayName, Map<String, ? extends Module> modules) {
        this.displayName = checkName(displayName);
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) registerModule(e.getKey(), e.getValue());
    }

    private static String checkName(String n) {
        if (n == null || n.isBlank()) throw new IllegalArgumentException("Sequential: display name must not be blank");
        return n;
    }

    /** A builder for named children, printed as {@code Sequential(...)}. */
    public static Builder builder() {
        return new Builder(null);
    }

    /** A builder for named children, printed with the given class name. */
    public static Builder builder(String displayName) {
        return new Builder(displayName);
    }

    /** Collects named children in order. */
    public static final class Builder {
        private String displayName;
        private final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();

        private Builder(String displayName) {
            this.displayName = displayName;
        }

        /** Sets the printed class name. */
        public Builder name(String displayName) {
            this.displayName = displayName;
            return this;
        }

        /** Appends a child; names must be unique and contain no dot. */
        public Builder add(String name, Module module) {
            if (modules.containsKey(name))
                throw new IllegalArgumentException("Sequential.builder: duplicate child name \"" + name + "\"");
            modules.put(name, module);
            return this;
        }

        /** Appends a child named by its position. */
        public Builder add(Module module) {
            return add(Integer.toString(modules.size()), module);
        }

        /** The container with the children added so far. */
        public Sequential build() {
            return displayName == null ? new Sequential("Sequential", modules) : new Sequential(displayName, modules);
        }
    }

    @Override
    public String name() {
        return displayName != null ? displayName : super.name();
    }

    /** Appends a child named by its position ({@code "3"} for the fourth); returns this. */
    public Sequential append(Module module) {
        return append(Integer.toString(size()), module);
    }

    /** Appends a named child; returns this. */
    public Sequential append(String name, Module module) {
        registerModule(name, module);
        return this;
    }

    /** The number of children. */
    public int size() {
        return children().size();
    }

    /** The child at position {@code index} (negative counts from the end). */
    public Module get(int index) {
        List<Module> c = children();
        int i = index < 0 ? index + c.size() : index;
        if (i < 0 || i >= c.size())
            throw new IndexOutOfBoundsException("Sequential.get: index " + index + " is out of range for "
                    + c.size() + " children");
        return c.get(i);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        List<Module> c = children();
        for (int i = 0; i < c.size(); i++) {
            Module m = c.get(i);
            if (i + 2 < c.size() && m.getClass() == Conv2d.class && LayerFusion.fusesWithRelu(m, c.get(i + 1))
                    && c.get(i + 2).getClass() == MaxPool2d.class && !c.get(i + 2).hasForwardHooks()) {
                // Conv2d, ReLU, MaxPool2d (LeNet's blocks): one fused op that pools each image as it is
                // written and runs the ReLU's backward inside the pool's; same values, gradients and graph.
                x = ((Conv2d) m).forwardReluMaxPool(x, ((MaxPool2d) c.get(i + 2)).options());
                i += 2;
            } else if (i + 1 < c.size() && LayerFusion.fusesWithRelu(m, c.get(i + 1))) {
                // Linear, Conv2d or BatchNorm2d followed by ReLU: one fused op (the ReLU in the layer's
                // output pass), the same values and gradients as the two modules, one array and pass fewer.
                x = LayerFusion.relu(m, c.get(i + 1), x);
                i++;
            } else x = m.call(x);
        }
        return x;
    }

    /** The children as a new list (for slicing off a head or a feature extractor). */
    public List<Module> toList() {
        return new ArrayList<>(children());
    }
}
