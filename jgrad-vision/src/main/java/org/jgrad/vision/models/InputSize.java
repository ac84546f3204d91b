package org.jgrad.vision.models;

/**
 * Which input a zoo model takes: anything (the MLP flattens what it gets), images of exactly one
 * side (LeNet-5's 28×28), or images of at least one side (pooling networks: smaller images are
 * enlarged to it, larger ones kept).
 *
 * @param kind which of the three rules
 * @param side the exact or minimum image side in pixels (0 for {@link Kind#ANY})
 */
public record InputSize(Kind kind, int side) {

    /** The three rules. */
    public enum Kind {
        /** Any sample shape: images or feature vectors, used as they are. */
        ANY,
        /** Images resized to side × side. */
        EXACT,
        /** Images enlarged to at least side × side. */
        AT_LEAST
    }

    /** Checks the side. */
    public InputSize {
        if (kind != Kind.ANY && side <= 0) throw new IllegalArgumentException("InputSize: side must be positive, got " + side);
    }

    /** Any shape. */
    public static InputSize any() {
        return new InputSize(Kind.ANY, 0);
    }

    /** Images of exactly {@code side} × {@code side}. */
    public static InputSize exact(int side) {
        return new InputSize(Kind.EXACT, side);
    }

    /** Images of at least {@code side} × {@code side}. */
    public static InputSize atLeast(int side) {
        return new InputSize(Kind.AT_LEAST, side);
    }

    /**
     * The sample shape a model takes for data of shape {@code dataShape}: the data's own for
     * {@link Kind#ANY}, {@code [C, side, side]} for {@link Kind#EXACT}, each side raised to the
     * minimum for {@link Kind#AT_LEAST}.
     *
     * @throws IllegalArgumentException naming {@code model} when it takes images and the data are feature vectors
     */
    public int[] fit(String model, int[] dataShape) {
        if (kind == Kind.ANY) return dataShape.clone();
        if (dataShape.length != 3)
            throw new IllegalArgumentException("model " + model + " takes images, but the data are vectors of "
                    + dataShape[0] + " features; use --model mlp");
        int c = dataShape[0], h = dataShape[1], w = dataShape[2];
        return kind == Kind.EXACT ? new int[] {c, side, side} : new int[] {c, Math.max(h, side), Math.max(w, side)};
    }

    /** {@code any size}, {@code 28x28}, {@code at least 32x32}. */
    @Override
    public String toString() {
        return switch (kind) {
            case ANY -> "any size";
            case EXACT -> side + "x" + side;
            case AT_LEAST -> "at least " + side + "x" + side;
        };
    }
}
