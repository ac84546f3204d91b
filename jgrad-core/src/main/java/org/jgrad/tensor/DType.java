package org.jgrad.tensor;

/**
 * Element types a {@link Tensor} can hold. Arithmetic and autograd are float32; integer tensors
 * exist for labels and indices (as in PyTorch, where class labels are int64).
 */
public enum DType {
    /** 32-bit IEEE float: all arithmetic, parameters and gradients (PyTorch's {@code torch.float32}). */
    FLOAT32("float32", 4),
    /** 64-bit signed integer: class labels and indices (PyTorch's {@code torch.int64}). */
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
