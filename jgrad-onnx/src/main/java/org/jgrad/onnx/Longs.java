package org.jgrad.onnx;

import java.util.function.LongBinaryOperator;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Int64 arithmetic for the shape computations of exported graphs ({@code Shape → Gather → Concat →
 * Reshape}): small tensors without gradients, computed on plain arrays because jgrad's ops work on
 * float32.
 */
final class Longs {
    private Longs() {}

    /** {@code a op b} with NumPy broadcasting. */
    static Tensor binary(Tensor a, Tensor b, LongBinaryOperator op) {
        int[] shape = Shape.broadcast("int64 arithmetic", a.shape(), b.shape());
        long[] x = dense(a, shape), y = dense(b, shape), out = new long[x.length];
        for (int i = 0; i < out.length; i++) out[i] = op.applyAsLong(x[i], y[i]);
        return TensorData.wrapLongs(out, shape);
    }

    /** ONNX's integer division truncates toward zero, as Java's does. */
    static long divide(long a, long b) {
        if (b == 0) throw new ArithmeticException("int64 division by zero");
        return a / b;
    }

    private static long[] dense(Tensor t, int[] shape) {
        int n = Shape.numel(shape);
        long[] v = t.toLongArray();
        if (v.length == n) return v;
        // Broadcast by index arithmetic over the padded shape.
        int r = shape.length;
        int[] s = new int[r];
        int[] ts = t.shape();
        for (int i = 0; i < r; i++) s[i] = i - (r - ts.length) >= 0 ? ts[i - (r - ts.length)] : 1;
        long[] out = new long[n];
        int[] idx = new int[r];
        for (int k = 0; k < n; k++) {
            int src = 0;
            for (int i = 0; i < r; i++) src = src * s[i] + (s[i] == 1 ? 0 : idx[i]);
            out[k] = v[src];
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < shape[i]) break;
                idx[i] = 0;
            }
        }
        return out;
    }

    static Tensor concat(Tensor[] in, int d) {
        int[] shape = in[0].shape().clone();
        int total = 0;
        for (Tensor t : in) {
            if (t.dim() != shape.length) throw new IllegalArgumentException("Concat: ranks differ");
            total += t.size(d);
        }
        shape[d] = total;
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        long[] out = new long[Shape.numel(shape)];
        int pos = 0;
        for (int o = 0; o < outer; o++)
            for (Tensor t : in) {
                long[] v = t.toLongArray();
                int chunk = t.size(d) * inner;
                System.arraycopy(v, o * chunk, out, pos, chunk);
                pos += chunk;
            }
        return TensorData.wrapLongs(out, shape);
    }

    static Tensor gather(Tensor data, int d, long[] index, int[] outShape) {
        int[] s = data.shape();
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= s[i];
        for (int i = d + 1; i < s.length; i++) inner *= s[i];
        long[] v = data.toLongArray(), out = new long[outer * index.length * inner];
        int pos = 0;
        for (int o = 0; o < outer; o++)
            for (long ix : index) {
                System.arraycopy(v, (o * s[d] + (int) ix) * inner, out, pos, inner);
                pos += inner;
            }
        return TensorData.wrapLongs(out, outShape);
    }

    static Tensor slice(Tensor x, int d, int start, int end, int step) {
        int[] s = x.shape();
        int n = (end - start + step - 1) / step;
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= s[i];
        for (int i = d + 1; i < s.length; i++) inner *= s[i];
        long[] v = x.toLongArray(), out = new long[outer * n * inner];
        int pos = 0;
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < n; k++) {
                System.arraycopy(v, (o * s[d] + start + k * step) * inner, out, pos, inner);
                pos += inner;
            }
        int[] shape = s.clone();
        shape[d] = n;
        return TensorData.wrapLongs(out, shape);
    }

    /** The maximum ({@code max}) or minimum of {@code x} along axis {@code d}, kept as size 1 or dropped. */
    static Tensor reduce(Tensor x, int d, boolean max, boolean keep) {
        int[] s = x.shape();
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= s[i];
        for (int i = d + 1; i < s.length; i++) inner *= s[i];
        if (s[d] == 0) throw new IllegalArgumentException("int64 " + (max ? "max" : "min") + " over an empty axis");
        long[] v = x.contiguous().toLongArray(), out = new long[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                long r = v[o * s[d] * inner + i];
                for (int k = 1; k < s[d]; k++) {
                    long e = v[(o * s[d] + k) * inner + i];
                    r = max ? Math.max(r, e) : Math.min(r, e);
                }
                out[o * inner + i] = r;
            }
        int[] shape;
        if (keep) {
            shape = s.clone();
            shape[d] = 1;
        } else {
            shape = new int[s.length - 1];
            for (int i = 0, j = 0; i < s.length; i++) if (i != d) shape[j++] = s[i];
        }
        return TensorData.wrapLongs(out, shape);
    }
}
