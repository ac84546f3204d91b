package org.jgrad.data;

import org.jgrad.tensor.Tensor;

/** A function applied to each input when it is read, like torchvision's transforms. */
@FunctionalInterface
public interface Transform {
    /** The transformed input; it must not modify {@code input}, which may be the dataset's own storage. */
    Tensor apply(Tensor input);

    /** This transform followed by {@code next}. */
    default Transform andThen(Transform next) {
        return x -> next.apply(apply(x));
    }

    /** Applies transforms left to right, like {@code transforms.Compose}. */
    static Transform compose(Transform... transforms) {
        return x -> {
            Tensor y = x;
            for (Transform t : transforms) y = t.apply(y);
            return y;
        };
    }
}
