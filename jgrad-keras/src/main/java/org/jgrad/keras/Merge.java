package org.jgrad.keras;

import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/** Keras' merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate) on two or more inputs. */
final class Merge extends Module {
    enum Op { ADD, SUBTRACT, MULTIPLY, AVERAGE, MAXIMUM, MINIMUM, CONCATENATE }

    private final String kerasClass;
    private final Op op;
    /** Concatenate: Keras' axis as a jgrad dim for inputs of {@code rank} dims (batch included). */
    private final int kerasAxis;

    Merge(String kerasClass, Op op, int kerasAxis) {
        this.kerasClass = kerasClass;
        this.op = op;
        this.kerasAxis = kerasAxis;
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(new Tensor[] {input});
    }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length < 1 || (op == Op.SUBTRACT && in.length != 2))
            throw new IllegalArgumentException(kerasClass + ": got " + in.length + " inputs");
        if (op == Op.CONCATENATE) return Tensor.cat(jgradAxis(kerasAxis, in[0].dim()), in);
        Tensor acc = in[0];
        for (int i = 1; i < in.length; i++) {
            acc = switch (op) {
                case ADD, AVERAGE -> acc.add(in[i]);
                case SUBTRACT -> acc.sub(in[i]);
                case MULTIPLY -> acc.mul(in[i]);
                case MAXIMUM -> acc.maximum(in[i]);
                case MINIMUM -> acc.minimum(in[i]);
                case CONCATENATE -> throw new AssertionError();
            };
        }
        return op == Op.AVERAGE ? acc.div(in.length) : acc;
    }

    /**
     * Keras' axis on a channels-last tensor of {@code rank} dims (batch included) as jgrad's dim on the
     * channels-first tensor: for rank 4, [N, H, W, C] axes 0, 1, 2, 3 are jgrad's 0, 2, 3, 1.
     */
    static int jgradAxis(int kerasAxis, int rank) {
        int a = kerasAxis < 0 ? kerasAxis + rank : kerasAxis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException("axis " + kerasAxis + " out of range for rank " + rank);
        if (rank != 4) return a;
        return switch (a) {
            case 0 -> 0;
            case 1 -> 2;
            case 2 -> 3;
            default -> 1;
        };
    }

    @Override
    public String name() {
        return kerasClass;
    }

    @Override
    public String extraRepr() {
        return op == Op.CONCATENATE ? "axis=" + kerasAxis : "";
    }
}
