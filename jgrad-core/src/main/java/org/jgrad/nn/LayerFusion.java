package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/**
 * Runs a layer and the {@link ReLU} after it as one fused op where that gives the same values and
 * gradients as calling the two modules: a {@link Linear} or {@link Conv2d} (bias + ReLU in the layer's
 * output pass) and a {@link BatchNorm2d} (scale, shift, the residual add of a ResNet block and the ReLU
 * in one pass over each plane, one output array instead of three). The layer must be exactly one of
 * those classes (a subclass may override forward) and neither module may have a forward hook (which
 * must see the layer's own output); otherwise the modules are called one after the other.
 * {@link Sequential} fuses its children this way; a model's own forward (ResNet's blocks) calls these.
 */
public final class LayerFusion {
    private LayerFusion() {}

    /** Whether {@code layer, relu} run as one fused op (see the class notes). */
    static boolean fusesWithRelu(Module layer, Module relu) {
        Class<?> c = layer.getClass();
        return (c == Linear.class || c == Conv2d.class || c == BatchNorm2d.class) && relu.getClass() == ReLU.class
                && !layer.hasForwardHooks() && !relu.hasForwardHooks();
    }

    /** {@code relu.call(layer.call(input))}, fused when {@link #fusesWithRelu} holds. */
    public static Tensor relu(Module layer, Module relu, Tensor input) {
        if (!fusesWithRelu(layer, relu)) return relu.call(layer.call(input));
        return switch (layer) {
            case Linear lin -> lin.forwardRelu(input);
            case Conv2d conv -> conv.forwardRelu(input);
            case BatchNorm2d bn -> bn.forwardRelu(input, null);
            default -> throw new IllegalStateException("not a fusable layer: " + layer.getClass().getName());
        };
    }

    /**
     * {@code relu.call(batchNorm.call(input).add(residual))}: the end of a ResNet basic block
     * ({@code relu(bn2(conv2(·)) + identity)}), one fused op when {@code batchNorm} is exactly a
     * {@link BatchNorm2d}, {@code relu} exactly a {@link ReLU}, neither with a forward hook, and the
     * residual has the input's shape.
     */
    public static Tensor batchNormAddRelu(Module batchNorm, Tensor input, Tensor residual, Module relu) {
        if (batchNorm.getClass() != BatchNorm2d.class || !fusesWithRelu(batchNorm, relu) || input.dim() != 4
                || !java.util.Arrays.equals(input.shape(), residual.shape()))
            return relu.call(batchNorm.call(input).add(residual));
        return ((BatchNorm2d) batchNorm).forwardRelu(input, residual);
    }
}
