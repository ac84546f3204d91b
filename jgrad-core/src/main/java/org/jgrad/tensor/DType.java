package org.jgrad.tensor;

/**
 * Element types a {@link Tensor} can hold. Arithmetic and autograd are float32; integer tensors
 * exist for labels and indices (as in PyTorch, where class labels are int64).
 */
public enum DType {
    FLOAT32("float32", 4),
    INT64("int64", 8);

    private final String pyName;
    private final int byteSize;

    DType(String pyName, int byteSize) {
        this.pyName = pyName;
        this.byteSize = byteSize;
    }

    /** Size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /** The name PyTorch prints for this type, e.g. {@code torch.float32} without the prefix. */
    public String pyName() {
        return pyName;
    }
}
