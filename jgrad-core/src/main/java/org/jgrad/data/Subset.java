package org.jgrad.data;

/** The samples of a dataset at given indices, in that order, like {@code torch.utils.data.Subset}. */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    /**
     * The samples of {@code base} at {@code indices} (copied), in that order; an index may repeat.
     *
     * @throws IndexOutOfBoundsException naming the first index outside {@code [0, base.size())}
     */
    public Subset(Dataset base, int[] indices) {
        for (int i : indices)
            if (i < 0 || i >= base.size())
                throw new IndexOutOfBoundsException("Subset: index " + i + " out of range for a dataset of " + base.size());
        this.base = base;
        this.indices = indices.clone();
    }

    /** The underlying dataset. */
    public Dataset dataset() {
        return base;
    }

    /** The indices into the underlying dataset (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Sample get(int index) {
        if (index < 0 || index >= indices.length)
            throw new IndexOutOfBoundsException("Subset: index " + index + " out of range for " + indices.length + " samples");
        return base.get(indices[index]);
    }

    @Override
    public Batch getBatch(int[] idx) {
        int[] mapped = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= indices.length)
                throw new IndexOutOfBoundsException("Subset: index " + idx[i] + " out of range for " + indices.length + " samples");
            mapped[i] = indices[idx[i]];
        }
        return base.getBatch(mapped);
    }
}
