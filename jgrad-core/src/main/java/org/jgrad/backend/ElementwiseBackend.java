package org.jgrad.backend;

/**
 * Elementwise arithmetic with broadcasting, scalar forms, comparisons and where, fills and copies between strided views.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuElementwise}.
 */
public interface ElementwiseBackend {

    // ------------------------------------------------------------ for tensor/: fills, copies, gradient sums
    // A view is (storage, offset, shape, strides): element (i, j, …) lies at offset + Σ index·stride.
    // Methods that walk a view visit its elements in row-major order, so that a view whose elements
    // overlap (a stride of 0) is written in a defined order.

    /** A new float32 storage of {@code length} zeros. */
    Storage zeros(int length);

    /** A new int64 storage of {@code length} zeros. */
    Storage zerosLong(int length);

    /** A new float32 storage of {@code length} copies of {@code value}. */
    Storage full(int length, float value);

    /** A new float32 storage holding {@code (float) (start + (double) i * step)} for i &lt; length ({@code torch.arange}). */
    Storage arange(int length, float start, float step);

    /**
     * A new float32 storage of {@code steps} values from {@code start} to {@code end} inclusive, filled
     * from both ends as PyTorch's {@code linspace} does so that the last value is exactly {@code end}.
     */
    Storage linspace(int steps, float start, float end);

    /** A new row-major n×m float32 storage with ones on the diagonal ({@code torch.eye}). */
    Storage eye(int n, int m);

    /** Element {@code index} of a storage as a float (int64 converted). */
    float readFloat(Storage s, int index);

    /** Element {@code index} of a storage as a long (float32 truncated toward zero). */
    long readLong(Storage s, int index);

    /** Sets element {@code index} of a storage (an int64 storage gets the value truncated toward zero). */
    void writeFloat(Storage s, int index, float value);

    /** Sets element {@code index} of a storage (a float32 storage gets the nearest float). */
    void writeLong(Storage s, int index, long value);

    /**
     * Copies the view (src, offset, shape, strides) row-major into {@code dst} from {@code dstOffset},
     * converting when the storages differ in type (int64 to float32 rounds, float32 to int64 truncates
     * toward zero). {@code dst} may be a heap storage wrapping a caller's array: the copy out of a tensor.
     */
    void copyToContiguous(Storage src, int offset, int[] shape, int[] strides, Storage dst, int dstOffset);

    /** Sets every element of the float32 view (dst, offset, shape, strides) to {@code value}. */
    void fill(Storage dst, int offset, int[] shape, int[] strides, float value);

    /**
     * Writes the float32 elements {@code src[srcOffset ..]}, taken in row-major order, into the view
     * (dst, offset, shape, strides). {@code src} must not share elements with {@code dst}.
     */
    void copyFromContiguous(Storage dst, int offset, int[] shape, int[] strides, Storage src, int srcOffset);

    /** {@code view += alpha * src[srcOffset ..]} (src taken row-major; it must not share elements with dst). */
    void addScaledFromContiguous(Storage dst, int offset, int[] shape, int[] strides, Storage src, int srcOffset, float alpha);

    /** {@code view *= factor}. */
    void scale(Storage dst, int offset, int[] shape, int[] strides, float factor);

    /**
     * {@code dst[dstOffset + i] += src[srcOffset + i]} for i &lt; length, in place: a gradient summed into
     * a leaf's {@code .grad}. Large sums may be split across threads (each element is written once).
     */
    void accumulate(Storage dst, int dstOffset, Storage src, int srcOffset, int length);

    /**
     * Whether two contiguous float32 runs of {@code length} elements agree within
     * {@code |a − b| ≤ atol + rtol·|b|} everywhere, a NaN on either side counting as a difference.
     */
    boolean allClose(Storage a, int aOffset, Storage b, int bOffset, int length, float rtol, float atol);


    // ------------------------------------------------------------ for ops/: arithmetic, comparisons, where

    /** Binary arithmetic with a kernel of its own. */
    enum Binary {
        /** {@code a + b}. */ ADD,
        /** {@code a − b}. */ SUB,
        /** {@code a · b}. */ MUL,
        /** {@code a / b} (IEEE: {@code 1/0 = ∞}, {@code 0/0 = NaN}). */ DIV,
        /** {@code a^b} with {@link Math#pow}'s values. */ POW,
        /** The larger, NaN if either is NaN. */ MAX,
        /** The smaller, NaN if either is NaN. */ MIN
    }

    /** Unary functions with a kernel of their own. */
    enum Unary {
        /** {@code eˣ}. */ EXP,
        /** Natural logarithm. */ LOG,
        /** Square root. */ SQRT,
        /** {@code |x|}. */ ABS,
        /** {@code −x}. */ NEG,
        /** {@code x²}. */ SQUARE,
        /** {@code 1/x}. */ RECIPROCAL,
        /** Sine. */ SIN,
        /** Cosine. */ COS,
        /** {@code 1/(1 + e^−x)} without overflow. */ SIGMOID,
        /** Hyperbolic tangent. */ TANH,
        /** {@code max(x, 0)}, NaN kept. */ RELU,
        /** −1, 0 or 1 ({@link Math#signum(float)}), NaN kept. */ SIGN
    }

    /**
     * The elements of the strided view ({@code src}, {@code offset}, {@code shape}, {@code strides}) copied
     * row-major into a new contiguous storage of the same element type.
     */
    Storage contiguousCopy(Storage src, int offset, int[] shape, int[] strides);

    /** Comparisons (IEEE: NaN compares false except for NE). */
    enum Compare {
        /** {@code ==}. */ EQ,
        /** {@code !=}. */ NE,
        /** {@code <}. */ LT,
        /** {@code <=}. */ LE,
        /** {@code >}. */ GT,
        /** {@code >=}. */ GE
    }

    /**
     * {@code a op b} over {@code shape} (row-major, a new contiguous storage), each operand read at its
     * offset through strides of the shape's rank (0 on broadcast dims).
     */
    Storage binary(Binary op, int[] shape, Storage a, int aOff, int[] aStrides, Storage b, int bOff, int[] bStrides);

    /** {@code f(x)} of {@code n} contiguous elements. */
    Storage unary(Unary op, Storage x, int xOff, int n);

    /**
     * {@code op} applied in place to {@code n} contiguous elements of {@code x} from {@code xOff} (a fused
     * epilogue on a storage the caller just made).
     */
    void unaryInPlace(Unary op, Storage x, int xOff, int n);

    /** ReLU's backward from its output: {@code g·[y > 0]} (a 0/1 multiply, so NaN·0 stays NaN). */
    Storage reluBackward(Storage g, int gOff, Storage y, int yOff, int n);

    /** {@code x} limited to {@code [min, max]}. */
    Storage clamp(Storage x, int xOff, int n, float min, float max);

    /** A float mask: 1 where {@code a cmp b}, else 0, over {@code n} contiguous elements of each. */
    Storage compare(Compare cmp, Storage a, int aOff, Storage b, int bOff, int n);

    /** {@code a} where {@code cond ≠ 0}, else {@code b}, over {@code n} contiguous elements of each. */
    Storage where(Storage cond, int cOff, Storage a, int aOff, Storage b, int bOff, int n);
}
