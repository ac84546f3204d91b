package org.jgrad.data;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A finite, indexable collection of samples, like {@code torch.utils.data.Dataset}.
 * Implementations must be safe to read from a background thread (the {@link DataLoader}
 * prefetches the next batch while the current one trains).
 */
public interface Dataset {
    /** Number of samples. */
    int size();

    /** The sample at {@code index} in {@code [0, size())}. */
    Sample get(int index);

    /**
     * The samples at {@code indices} stacked into a batch. The default stacks {@link #get} results;
     * tensor-backed datasets override it to gather whole rows at once.
     */
    default Batch getBatch(int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException("getBatch: empty index list");
        Tensor[] xs = new Tensor[indices.length], ys = new Tensor[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Sample s = get(indices[i]);
            xs[i] = s.input();
            ys[i] = s.target();
            if (i > 0 && !Shape.same(xs[i].shape(), xs[0].shape()))
                throw new IllegalArgumentException("getBatch: sample " + indices[i] + " has input shape "
                        + Shape.str(xs[i].shape()) + " but sample " + indices[0] + " has " + Shape.str(xs[0].shape())
                        + "; samples in a batch must have equal shapes");
        }
        return new Batch(Tensor.stack(0, xs), Tensor.stack(0, ys));
    }

    /** A view of this dataset with {@code transform} applied to each input. */
    default Dataset map(Transform transform) {
        Dataset base = this;
        return new Dataset() {
            @Override
            public int size() {
                return base.size();
            }

            @Override
            public Sample get(int index) {
                Sample s = base.get(index);
                return new Sample(transform.apply(s.input()), s.target());
            }
        };
    }

    /** The targets of all samples, in order, as a list (used by stratified splitting and metrics). */
    default List<Tensor> targets() {
        List<Tensor> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) out.add(get(i).target());
        return out;
    }
}
