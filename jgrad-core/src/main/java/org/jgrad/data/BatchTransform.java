package org.jgrad.data;

import org.jgrad.tensor.Generator;

/**
 * A random change to a whole batch (data augmentation), applied by a {@link DataLoader} as it makes
 * each batch. The generator it receives is derived from the loader's own generator, the epoch and
 * the batch's position, so an augmented run repeats exactly from the same seed, and a run resumed
 * from a checkpoint (which saves the loader's generator state) sees the same augmented batches as an
 * uninterrupted one, whether or not batches are prefetched.
 */
@FunctionalInterface
public interface BatchTransform {
    /**
     * A new batch; must not modify {@code batch}'s tensors (they may be views of the data set).
     *
     * @param gen draws for this batch only
     */
    Batch apply(Batch batch, Generator gen);
}
