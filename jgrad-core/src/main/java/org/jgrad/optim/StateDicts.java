package org.jgrad.optim;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * Encoding of scalar hyperparameters in the tensor-only state dicts of optimizers and schedulers.
 *
 * <p>Tensors are float32 or int64, and a float32 learning rate would not restore the double
 * exactly, so a resumed run would drift. In memory a double is therefore a 0-d int64 tensor
 * holding its IEEE-754 bits ({@link Double#doubleToLongBits}); counts are plain 0-d int64.
 * {@link #isDouble} tells the two apart, so that {@link org.jgrad.io.Checkpoint#save} writes doubles
 * as {@code F64} (a Python reader sees {@code lr} as 0.001, not as the integer of its bits).
 */
public final class StateDicts {
    private StateDicts() {}

    // Identity-keyed (Tensor keeps Object's equals) and weak: a state dict dropped is forgotten here too.
    private static final Map<Tensor, Boolean> DOUBLES = Collections.synchronizedMap(new WeakHashMap<>());

    /** A double as a 0-d int64 tensor of its bits. */
    public static Tensor encodeDouble(double v) {
        Tensor t = encodeLong(Double.doubleToLongBits(v));
        DOUBLES.put(t, Boolean.TRUE);
        return t;
    }

    /** Whether {@code t} was made by {@link #encodeDouble} (and so holds double bits, not a count). */
    public static boolean isDouble(Tensor t) {
        return DOUBLES.containsKey(t);
    }

    /** The double stored by {@link #encodeDouble}. */
    public static double decodeDouble(Tensor t) {
        return Double.longBitsToDouble(requireLong(t).toLongArray()[0]);
    }

    /** A count as a 0-d int64 tensor. */
    public static Tensor encodeLong(long v) {
        return Tensor.ofLongs(v).reshape();
    }

    /** The count stored by {@link #encodeLong}. */
    public static long decodeLong(Tensor t) {
        return requireLong(t).toLongArray()[0];
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
