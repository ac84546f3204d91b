package org.jgrad.backend;

/**
 * Loss functions and their gradients (cross-entropy, NLL, binary cross-entropy, margin losses), each
 * per sample and unreduced, with PyTorch's semantics ({@code reduction='none'}).
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuLoss}.
 * Every operand is dense row-major from its offset. A class-dim input has PyTorch's layout [N, C, d1, ...]:
 * {@code rows} = N·S samples of {@code classes} scores each, S ({@code inner}) the product of the trailing
 * dims, so class k of sample (n, s) is at {@code (n·C + k)·S + s}. Class weights ({@code weight}, one per
 * class) and elementwise weights may be null for "all ones". Gradients come back as new storages laid
 * out like the input, from index 0.
 */
public interface LossBackend {

    /**
     * What a softmax loss's forward returns: the per-sample losses and what its backward needs again
     * (each row's log Σ exp, in a storage of the backend's own making that the caller hands back
     * unchanged).
     */
    record SoftmaxLoss(Storage loss, Storage logSumExp) {}

    /** Gradients of a loss with respect to its input and its target; either is null when not asked for. */
    record InputTargetGrads(Storage input, Storage target) {}

    // ------------------------------------------------------------------ cross-entropy, NLL

    /**
     * Cross-entropy of logits against int64 class indices with label smoothing {@code eps}: for each
     * sample, {@code (1−ε)·w_y·(lse − x_y) + ε/C·Σ_k w_k·(lse − x_k)}, 0 where the target is
     * {@code ignoreIndex}. The targets must be in range (see {@link #firstBadTarget}).
     */
    SoftmaxLoss crossEntropy(Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff, int rows, int classes,
            int inner, long ignoreIndex, double eps);

    /** The logits' gradient of {@link #crossEntropy} given the losses' gradient g. */
    Storage crossEntropyBackward(Storage g, int gOff, Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff,
            Storage logSumExp, int rows, int classes, int inner, long ignoreIndex, double eps);

    /**
     * Cross-entropy of logits against class probabilities t (the input's layout): with
     * t' = (1−ε)·t + ε/C, {@code Σ_k w_k·t'_k·(lse − x_k)} per sample.
     */
    SoftmaxLoss crossEntropyProbs(Storage x, int xOff, Storage t, int tOff, Storage weight, int wOff, int rows,
            int classes, int inner, double eps);

    /** The gradients of {@link #crossEntropyProbs} for the logits and/or the probabilities. */
    InputTargetGrads crossEntropyProbsBackward(Storage g, int gOff, Storage x, int xOff, Storage t, int tOff,
            Storage weight, int wOff, Storage logSumExp, int rows, int classes, int inner, double eps, boolean wantInput,
            boolean wantTarget);

    /** Negative log-likelihood {@code −w_y·x_y} per sample, 0 where the target is {@code ignoreIndex}. */
    Storage nll(Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff, int rows, int classes, int inner,
            long ignoreIndex);

    /** The input gradient of {@link #nll}: {@code −w_y·g} at each target class, 0 elsewhere; {@code length} elements. */
    Storage nllBackward(Storage g, int gOff, Storage y, int yOff, Storage weight, int wOff, int rows, int classes,
            int inner, long ignoreIndex, int length);

    /** Σ w[y] over the {@code length} targets that are not {@code ignoreIndex} (their count when weight is null). */
    double weightedCount(Storage y, int yOff, int length, Storage weight, int wOff, long ignoreIndex);

    /** The position of the first target that is neither {@code ignoreIndex} nor in [0, classes), or -1. */
    int firstBadTarget(Storage y, int yOff, int length, int classes, long ignoreIndex);

    /** The position of the first target that is not in [0, classes), or -1. */
    int firstBadTarget(Storage y, int yOff, int length, int classes);

    // ------------------------------------------------------------------ binary cross-entropy

    /** The position of the first element that is not in [0, 1] (NaN included), or -1. */
    int firstOutsideUnit(Storage p, int pOff, int length);

    /** {@code −w·(t·log p + (1−t)·log(1−p))} elementwise, each log clamped at −100. */
    Storage bce(Storage p, int pOff, Storage t, int tOff, Storage weight, int wOff, int length);

    /** The gradients of {@link #bce}, with PyTorch's floor of 1e-12 on p(1−p). */
    InputTargetGrads bceBackward(Storage g, int gOff, Storage p, int pOff, Storage t, int tOff, Storage weight, int wOff,
            int length, boolean wantInput, boolean wantTarget);

    /** {@code w·((1−t)·x − (1 + (pw−1)·t)·log σ(x))} elementwise, computed without overflow. */
    Storage bceWithLogits(Storage x, int xOff, Storage t, int tOff, Storage weight, int wOff, Storage posWeight,
            int pwOff, int length);

    /** The gradients of {@link #bceWithLogits}. */
    InputTargetGrads bceWithLogitsBackward(Storage g, int gOff, Storage x, int xOff, Storage t, int tOff, Storage weight,
            int wOff, Storage posWeight, int pwOff, int length, boolean wantInput, boolean wantTarget);

    // ------------------------------------------------------------------ margin

    /**
     * Multiclass hinge loss of {@code rows} score rows of {@code classes} against int64 labels:
     * {@code scale·w_y·Σ_{j≠y} max(0, margin − x_y + x_j)^p}, p 1 or 2. Labels must be in range.
     */
    Storage multiMargin(Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff, int rows, int classes, int p,
            double margin, double scale);

    /** The input gradient of {@link #multiMargin}. */
    Storage multiMarginBackward(Storage g, int gOff, Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff,
            int rows, int classes, int p, double margin, double scale);
}
