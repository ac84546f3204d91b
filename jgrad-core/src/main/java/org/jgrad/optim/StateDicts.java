package org.jgrad.optim;

import java.util.Map;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * Encoding of scalar hyperparameters in the tensor-only state dicts of optimizers and schedulers.
 *
 * <p>Tensors are float32 or int64, and a float32 learning rate would not restore the double
 * exactly, so a resumed run would drift. A double is therefore stored as a 0-d int64 tensor
 * holding its IEEE-754 bits ({@link Double#doubleToLongBits}); counts are plain 0-d int64.
 */
public final class StateDicts {
    private StateDicts() {}

    /** A double as a 0-d int64 tensor of its bits. */
    public static Tensor encodeDouble(double v) {
        return Tensor.wrapLongs(new long[] {Double.doubleToLongBits(v)});
    }

    /** The double stored by {@link #encodeDouble}. */
    public static double decodeDouble(Tensor t) {
        return Double.longBitsToDouble(requireLong(t).longStorage()[t.offset()]);
    }

    /** A count as a 0-d int64 tensor. */
    public static Tensor encodeLong(long v) {
        return Tensor.wrapLongs(new long[] {v});
    }

    /** The count stored by {@link #encodeLong}. */
    public static long decodeLong(Tensor t) {
        return requireLong(t).longStorage()[t.offset()];
    }

    /** The entry under {@code key}, or an exception naming the key and the owner. */
    public static Tensor require(Map<String, Tensor> dict, String key, String owner) {
        Tensor t = dict.get(key);
        if (t == null) throw new IllegalArgumentException(owner + ".loadStateDict: missing key '" + key + "'");
        return t;
    }

    private static Tensor requireLong(Tensor t) {
        if (t.dtype() != DType.INT64 || t.numel() != 1)
            throw new IllegalArgumentException("state dict scalar: expected a one-element int64 tensor, got "
                    + t.dtype().pyName() + " of shape " + java.util.Arrays.toString(t.shape()));
        return t;
    }
}
