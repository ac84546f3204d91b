package org.jgrad.backend;

/**
 * Elementwise arithmetic with broadcasting, scalar forms, comparisons and where, fills and copies between strided views.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuElementwise}.
 */
public interface ElementwiseBackend {

    // ------------------------------------------------------------ for tensor/: fills, copies, gradient sums


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
