package org.jgrad.backend;

/**
 * Normalization: batch norm (training statistics, running-stat updates, backward), layer norm, group/instance norm, local response norm.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuNorm}.
 * Batch norm's input is a contiguous [N, C, S] block (S the product of the trailing dims); per-channel
 * operands ({@code gamma}, {@code beta}, running statistics) are C contiguous elements from their offset,
 * and {@code gamma}/{@code beta} may be null (1 and 0).
 */
public interface NormBackend {

    /** What a batch-norm forward produced: the output [N, C, S] and per-channel statistics [C]. */
    record BatchNormForward(Storage out, Storage mean, Storage var, Storage unbiasedVar, Storage invStd) {}

    /** A batch-norm backward's gradients: dx [N, C, S] (null when not asked for), dgamma and dbeta [C]. */
    record BatchNormGradients(Storage dx, Storage dgamma, Storage dbeta) {}

    /**
     * Training-mode batch norm: the batch mean and biased variance per channel over (N, S), the unbiased
     * variance, 1/√(σ² + eps), and {@code y = γ·(x − μ)/√(σ² + eps) + β}. N·S must exceed 1.
     */
    default BatchNormForward batchNormTrain(Storage x, int xOff, int n, int c, int s, Storage gamma, int gammaOff,
            Storage beta, int betaOff, float eps) {
        return batchNormTrain(x, xOff, n, c, s, gamma, gammaOff, beta, betaOff, eps, null, 0, false);
    }

    /**
     * {@link #batchNormTrain(Storage, int, int, int, int, Storage, int, Storage, int, float)} followed, while
     * each plane is in cache, by {@code + residual} (a contiguous [N, C, S] block from {@code residualOff}, or
     * null for none) and by the ReLU when {@code relu}: the output is {@code relu(y + residual)}, bitwise what
     * the separate add and ReLU would give. The statistics are those of y.
     */
    BatchNormForward batchNormTrain(Storage x, int xOff, int n, int c, int s, Storage gamma, int gammaOff, Storage beta,
            int betaOff, float eps, Storage residual, int residualOff, boolean relu);

    /**
     * The backward of {@link #batchNormTrain} from its saved mean and invStd (contiguous from 0):
     * {@code dx = γ/√(σ²+eps) · (dy − mean(dy) − x̂·mean(dy·x̂))} when {@code needDx}, dgamma, dbeta.
     */
    default BatchNormGradients batchNormTrainBackward(Storage g, int gOff, Storage x, int xOff, int n, int c, int s,
            Storage gamma, int gammaOff, Storage mean, Storage invStd, boolean needDx) {
        return batchNormTrainBackward(g, gOff, x, xOff, n, c, s, gamma, gammaOff, mean, invStd, needDx, null);
    }

    /**
     * {@link #batchNormTrainBackward(Storage, int, Storage, int, int, int, int, Storage, int, Storage, Storage, boolean)}
     * of the fused {@code relu(batch norm)}: with {@code reluOut} (that op's output, contiguous from 0; null for
     * a plain batch norm) the incoming gradient is first multiplied by the ReLU's mask {@code [reluOut > 0]}, as
     * the ReLU's own backward would, plane by plane inside this pass.
     */
    BatchNormGradients batchNormTrainBackward(Storage g, int gOff, Storage x, int xOff, int n, int c, int s, Storage gamma,
            int gammaOff, Storage mean, Storage invStd, boolean needDx, Storage reluOut);

    /**
     * Evaluation-mode batch norm with fixed statistics: {@code y = γ·(x − rm)/√(rv + eps) + β}; returns the
     * output and, as {@code invStd}, 1/√(rv + eps) (the other statistics are null).
     */
    BatchNormForward batchNormEval(Storage x, int xOff, int n, int c, int s, Storage gamma, int gammaOff, Storage beta,
            int betaOff, Storage runningMean, int rmOff, Storage runningVar, int rvOff, float eps);

    /** The backward of {@link #batchNormEval}: dx = dy·γ·invStd when {@code needDx}, dgamma, dbeta. */
    BatchNormGradients batchNormEvalBackward(Storage g, int gOff, Storage x, int xOff, int n, int c, int s, Storage gamma,
            int gammaOff, Storage runningMean, int rmOff, Storage invStd, boolean needDx);

    /**
     * Local response norm's window sum over channels of a contiguous [N, C, S] block:
     * {@code out[i, ch, :] = Σ x[i, q, :]} over {@code q ∈ [ch − before, ch + after] ∩ [0, C)}.
     */
    Storage channelWindowSum(Storage x, int xOff, int n, int c, int s, int before, int after);

    /**
     * Layer norm of {@code rows} contiguous rows of {@code d} values: each row normalized by its mean and
     * 1/√(σ² + eps), then scaled by {@code w} and shifted by {@code b} (d elements each, or null), written
     * into the caller's zeroed {@code y} [rows·d] and, saved for the backward, {@code mean} and {@code rstd} [rows].
     */
    void layerNorm(Storage x, int xOff, int rows, int d, Storage w, int wOff, Storage b, int bOff, float eps, Storage y,
            Storage mean, Storage rstd);

    /**
     * The backward of {@link #layerNorm} into the caller's zeroed outputs, each null when not wanted:
     * dx [rows·d], dw and db [d].
     */
    void layerNormBackward(Storage g, int gOff, Storage x, int xOff, int rows, int d, Storage w, int wOff, Storage mean,
            Storage rstd, Storage dx, Storage dw, Storage db);
}
