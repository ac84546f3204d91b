package org.jgrad.onnx;

import java.util.Arrays;
import java.util.Set;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.AdaptivePoolOps;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.NormOps;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The jgrad computation of each ONNX op (default domain, opsets 7 to 22) that jgrad's export writes
 * and that torchvision's models exported by {@code torch.onnx.export} use. Each op is compiled once
 * at load time (attributes read and checked) into a {@link Kernel} built from jgrad's differentiable
 * ops, so an imported model trains like a hand-written one. Integer tensors (shapes, axes) are
 * computed on plain arrays: they carry no gradient.
 */
final class OpImporter {
    private OpImporter() {}

    /** One compiled node: its inputs (null for an absent optional input) to its first output. */
    @FunctionalInterface
    interface Kernel {
        Tensor run(Tensor[] in, boolean training);

        /** Every output, for a node that has several (a recurrent layer's Y, Y_h, Y_c). */
        default Tensor[] runAll(Tensor[] in, boolean training) {
            return new Tensor[] {run(in, training)};
        }
    }

    /** The ops whose outputs after the first jgrad computes too. */
    static final Set<String> MULTI_OUTPUT = RecurrentImporter.OPS;

    /** The op types this class compiles. */
    static final Set<String> SUPPORTED = Set.of("Conv", "Gemm", "MatMul", "Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu",
            "Elu", "Softplus", "Erf", "HardSigmoid", "HardSwish", "PRelu", "Gelu", "Exp", "Log", "Sqrt", "Abs", "Neg",
            "Reciprocal", "Sin", "Cos", "Sign", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
            "BatchNormalization", "LRN", "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Where", "Concat", "Flatten",
            "Reshape", "Transpose", "Softmax", "LogSoftmax", "Dropout", "Pad", "Identity", "Constant", "Shape",
            "Gather", "Unsqueeze", "Squeeze", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "Slice", "Expand", "Cast",
            "LSTM", "GRU", "RNN", "ConstantOfShape", "Equal", "Greater", "Less", "Not", "ReduceL1", "ReduceL2", "GatherElements",
            "LayerNormalization", "Range", "Trilu");

    /**
     * Compiles one node.
     *
     * @param opset the model's default-domain opset (attributes moved to inputs over the versions)
     * @throws OnnxFormatException naming the node, for attributes jgrad cannot honour
     */
    static Kernel compile(String op, NodeAttributes a, int opset) throws OnnxFormatException {
        return switch (op) {
            case "Conv" -> conv(a);
            case "Gemm" -> gemm(a);
            case "MatMul" -> (in, t) -> in[0].matmul(in[1]);
            case "Relu" -> (in, t) -> in[0].relu();
            case "Sigmoid" -> (in, t) -> in[0].sigmoid();
            case "Tanh" -> (in, t) -> in[0].tanh();
            case "Exp" -> (in, t) -> in[0].exp();
            case "Log" -> (in, t) -> in[0].log();
            case "Sqrt" -> (in, t) -> in[0].sqrt();
            case "Abs" -> (in, t) -> in[0].abs();
            case "Neg" -> (in, t) -> in[0].neg();
            case "Reciprocal" -> (in, t) -> in[0].reciprocal();
            case "Sin" -> (in, t) -> in[0].sin();
            case "Cos" -> (in, t) -> in[0].cos();
            case "Sign" -> (in, t) -> in[0].sign();
            case "Identity" -> (in, t) -> in[0];
            case "LeakyRelu" -> {
                float alpha = a.getFloat("alpha", 0.01f);
                yield (in, t) -> F.leakyRelu(in[0], alpha);
            }
            case "Elu" -> {
                float alpha = a.getFloat("alpha", 1f);
                yield (in, t) -> F.elu(in[0], alpha);
            }
            case "Softplus" -> (in, t) -> F.softplus(in[0]);
            case "Erf" -> (in, t) -> erf(in[0]);
            case "Gelu" -> {
                String approximate = a.getString("approximate", "none");
                if (!approximate.equals("none") && !approximate.equals("tanh"))
                    throw a.error("Gelu approximate must be 'none' or 'tanh', got '" + approximate + "'");
                yield (in, t) -> F.gelu(in[0], approximate);
            }
            case "HardSigmoid" -> {
                float alpha = a.getFloat("alpha", 0.2f), beta = a.getFloat("beta", 0.5f);
                yield (in, t) -> in[0].mul(alpha).add(beta).clamp(0f, 1f);
            }
            case "HardSwish" -> (in, t) -> in[0].mul(in[0].mul(1f / 6).add(0.5f).clamp(0f, 1f));
            case "PRelu" -> (in, t) -> in[0].relu().sub(in[0].neg().relu().mul(in[1]));
            case "Clip" -> clip(a, opset);
            case "MaxPool", "AveragePool" -> pool(op, a);
            case "GlobalAveragePool" -> (in, t) -> {
                int[] dims = new int[in[0].dim() - 2];
                for (int i = 0; i < dims.length; i++) dims[i] = i + 2;
                return in[0].mean(dims, true);
            };
            case "GlobalMaxPool" -> (in, t) -> {
                requireRank("GlobalMaxPool", in[0], 4);
                return AdaptivePoolOps.adaptiveMaxPool2d(in[0], 1, 1);
            };
            case "BatchNormalization" -> batchNorm(a);
            case "LRN" -> {
                int size = a.getSmallInt("size", 0);
                if (size < 1) throw a.error("LRN needs a size >= 1, got " + size);
                float alpha = a.getFloat("alpha", 1e-4f), beta = a.getFloat("beta", 0.75f), bias = a.getFloat("bias", 1f);
                yield (in, t) -> NormOps.localResponseNorm(in[0], size, alpha, beta, bias);
            }
            case "Add" -> (in, t) -> bothLong(in) ? Longs.binary(in[0], in[1], Long::sum) : in[0].add(in[1]);
            case "Sub" -> (in, t) -> bothLong(in) ? Longs.binary(in[0], in[1], (x, y) -> x - y) : in[0].sub(in[1]);
            case "Mul" -> (in, t) -> bothLong(in) ? Longs.binary(in[0], in[1], (x, y) -> x * y) : in[0].mul(in[1]);
            case "Div" -> (in, t) -> bothLong(in) ? Longs.binary(in[0], in[1], Longs::divide) : in[0].div(in[1]);
            case "Pow" -> (in, t) -> in[0].pow(in[1].toFloat());
            case "Max", "Min" -> (in, t) -> {
                Tensor r = in[0];
                boolean max = op.equals("Max");
                for (int i = 1; i < in.length; i++)
                    r = r.dtype() == DType.INT64 && in[i].dtype() == DType.INT64
                            ? Longs.binary(r, in[i], max ? Math::max : Math::min)
                            : max ? r.maximum(in[i]) : r.minimum(in[i]);
                return r;
            };
            case "Equal", "Greater", "Less" -> (in, t) -> {
                // Booleans are int64 0/1 between integer tensors, float 0/1 otherwise (jgrad has no bool type).
                if (bothLong(in)) return Longs.binary(in[0], in[1], switch (op) {
                    case "Equal" -> (x, y) -> x == y ? 1 : 0;
                    case "Greater" -> (x, y) -> x > y ? 1 : 0;
                    default -> (x, y) -> x < y ? 1 : 0;
                });
                Tensor x = in[0].toFloat(), y = in[1].toFloat();
                return op.equals("Equal") ? x.eq(y) : op.equals("Greater") ? x.gt(y) : x.lt(y);
            };
            case "Not" -> (in, t) -> in[0].dtype() == DType.INT64
                    ? Longs.binary(in[0], TensorData.wrapLongs(new long[] {0}), (x, y) -> x == 0 ? 1 : 0)
                    : in[0].eq(0f);
            case "ConstantOfShape" -> {
                Tensor value = a.has("value") ? a.getTensor("value") : Tensor.scalar(0f);
                if (value.numel() != 1) throw a.error("ConstantOfShape value must hold one element, got " + value.numel());
                yield (in, t) -> {
                    int[] shape = ints(in[0], "ConstantOfShape shape");
                    for (int d : shape)
                        if (d < 0) throw new IllegalArgumentException("ConstantOfShape: negative size in " + Arrays.toString(shape));
                    if (value.dtype() == DType.INT64) {
                        long[] v = new long[Shape.numel(shape)];
                        Arrays.fill(v, value.toLongArray()[0]);
                        return TensorData.wrapLongs(v, shape);
                    }
                    return Tensor.full(value.toFloatArray()[0], shape);
                };
            }
            case "LSTM", "GRU", "RNN" -> RecurrentImporter.compile(op, a);
            case "LayerNormalization" -> layerNorm(a);
            case "Range" -> (in, t) -> range(in);
            case "Trilu" -> {
                boolean upper = a.getInt("upper", 1) != 0;
                yield (in, t) -> trilu(in[0], in.length > 1 && in[1] != null ? in[1].toLongArray()[0] : 0, upper);
            }
            case "GatherElements" -> {
                int axis = a.getSmallInt("axis", 0);
                yield (in, t) -> in[0].gather(axis(axis, in[0].dim(), "GatherElements"), in[1].toLong());
            }
            case "Where" -> (in, t) -> {
                if (in[1].dtype() == DType.INT64 && in[2].dtype() == DType.INT64) {
                    // Shape arithmetic (torch.onnx.export picks sizes with Where): chosen on plain arrays.
                    Tensor c = in[0].toLong();
                    return Longs.binary(Longs.binary(c, in[1], (k, v) -> k != 0 ? v : 0),
                            Longs.binary(c, in[2], (k, v) -> k != 0 ? 0 : v), Long::sum);
                }
                return Tensor.where(in[0].toFloat(), in[1].toFloat(), in[2].toFloat());
            };
            case "Concat" -> {
                if (!a.has("axis")) throw a.error("Concat needs an axis");
                int axis = a.getSmallInt("axis", 0);
                yield (in, t) -> {
                    int d = axis(axis, in[0].dim(), "Concat");
                    if (Arrays.stream(in).allMatch(x -> x.dtype() == DType.INT64)) return Longs.concat(in, d);
                    return Tensor.cat(d, in);
                };
            }
            case "Flatten" -> {
                int axis = a.getSmallInt("axis", 1);
                yield (in, t) -> {
                    int r = in[0].dim(), d = axis < 0 ? axis + r : axis;
                    if (d < 0 || d > r) throw new IllegalArgumentException("Flatten: axis " + axis + " for rank " + r);
                    int[] s = in[0].shape();
                    long outer = prefix(s, d), inner = 1;
                    for (int i = d; i < r; i++) inner *= s[i];
                    return in[0].reshape((int) outer, (int) inner);
                };
            }
            case "Reshape" -> {
                boolean allowZero = a.getInt("allowzero", 0) != 0;
                int[] attrShape = opset < 5 ? a.getInts("shape") : null;
                yield (in, t) -> in[0].reshape(reshapeTarget(in[0].shape(),
                        attrShape != null ? attrShape : ints(in[1], "Reshape shape"), allowZero));
            }
            case "Transpose" -> {
                int[] perm = a.getInts("perm");
                yield (in, t) -> {
                    int[] p = perm;
                    if (p == null) {
                        p = new int[in[0].dim()];
                        for (int i = 0; i < p.length; i++) p[i] = p.length - 1 - i;
                    }
                    return in[0].permute(p);
                };
            }
            case "Softmax", "LogSoftmax" -> softmax(op, a, opset);
            case "Dropout" -> {
                float attrRatio = a.getFloat("ratio", 0.5f);
                yield (in, t) -> {
                    float ratio = in.length > 1 && in[1] != null ? in[1].toFloat().item() : attrRatio;
                    return F.dropout(in[0], ratio, t);
                };
            }
            case "Pad" -> pad(a, opset);
            case "Constant" -> constant(a);
            case "Shape" -> {
                int start = a.getSmallInt("start", 0);
                Integer end = a.has("end") ? a.getSmallInt("end", 0) : null;
                yield (in, t) -> {
                    int[] s = in[0].shape();
                    int r = s.length, b = Math.clamp(start < 0 ? start + r : start, 0, r);
                    int e = end == null ? r : Math.clamp(end < 0 ? end + r : end, 0, r);
                    long[] v = new long[Math.max(e - b, 0)];
                    for (int i = 0; i < v.length; i++) v[i] = s[b + i];
                    return TensorData.wrapLongs(v, v.length);
                };
            }
            case "Gather" -> {
                int axis = a.getSmallInt("axis", 0);
                yield (in, t) -> gather(in[0], in[1], axis);
            }
            case "Unsqueeze" -> {
                int[] attrAxes = opset < 13 ? a.getInts("axes") : null;
                yield (in, t) -> {
                    int[] axes = attrAxes != null ? attrAxes : ints(in[1], "Unsqueeze axes");
                    int r = in[0].dim() + axes.length;
                    int[] norm = new int[axes.length];
                    for (int i = 0; i < axes.length; i++) norm[i] = axis(axes[i], r, "Unsqueeze");
                    Arrays.sort(norm);
                    Tensor x = in[0];
                    for (int d : norm) x = x.unsqueeze(d);
                    return x;
                };
            }
            case "Squeeze" -> {
                int[] attrAxes = opset < 13 ? a.getInts("axes") : null;
                yield (in, t) -> {
                    int[] axes = attrAxes != null ? attrAxes : in.length > 1 && in[1] != null ? ints(in[1], "Squeeze axes") : null;
                    if (axes == null) return in[0].squeeze();
                    int[] s = in[0].shape();
                    boolean[] drop = new boolean[s.length];
                    for (int ax : axes) {
                        int d = axis(ax, s.length, "Squeeze");
                        if (s[d] != 1) throw new IllegalArgumentException("Squeeze: dimension " + d + " of "
                                + Shape.str(s) + " is not 1");
                        drop[d] = true;
                    }
                    return in[0].reshape(java.util.stream.IntStream.range(0, s.length).filter(i -> !drop[i]).map(i -> s[i]).toArray());
                };
            }
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2" -> reduce(op, a, opset);
            case "Slice" -> slice(a, opset);
            case "Expand" -> (in, t) -> {
                int[] target = ints(in[1], "Expand shape");
                int[] s = in[0].shape();
                int r = Math.max(s.length, target.length);
                int[] out = new int[r], padded = new int[r];
                for (int i = 0; i < r; i++) {
                    int x = i - (r - s.length) >= 0 ? s[i - (r - s.length)] : 1;
                    int y = i - (r - target.length) >= 0 ? target[i - (r - target.length)] : 1;
                    if (x != y && x != 1 && y != 1)
                        throw new IllegalArgumentException("Expand: shape " + Shape.str(s) + " cannot broadcast to " + Shape.str(target));
                    padded[i] = x;
                    out[i] = x == 1 ? y : x;
                }
                return in[0].reshape(padded).expand(out);
            };
            case "Cast" -> {
                int to = a.getSmallInt("to", 0);
                yield switch (to) {
                    case 1, 10, 11 -> (in, t) -> in[0].toFloat();
                    case 2, 3, 5, 6, 7, 9 -> (in, t) -> in[0].toLong();
                    default -> throw a.error("Cast to " + TensorDecoder.typeName(to) + " is not supported");
                };
            }
            default -> throw new IllegalStateException("OpImporter: " + op + " is not in SUPPORTED");
        };
    }

    /**
     * LayerNormalization (opset 17) over the dimensions from {@code axis} on, with the scale and bias
     * broadcast over them: jgrad's fused layer norm where they have exactly those dimensions, else the
     * normalization followed by a broadcast product and sum.
     */
    private static Kernel layerNorm(NodeAttributes a) throws OnnxFormatException {
        int axis = a.getSmallInt("axis", -1);
        float eps = a.getFloat("epsilon", 1e-5f);
        if (!(eps > 0)) throw a.error("LayerNormalization epsilon must be positive, got " + eps);
        if (a.getInt("stash_type", 1) != 1) throw a.error("LayerNormalization stash_type must be 1 (float32)");
        return (in, t) -> {
            int r = in[0].dim(), d = axis(axis, r, "LayerNormalization");
            int[] normalized = Arrays.copyOfRange(in[0].shape(), d, r);
            Tensor scale = in.length > 1 ? in[1] : null, bias = in.length > 2 ? in[2] : null;
            boolean fits = (scale == null || Arrays.equals(scale.shape(), normalized))
                    && (bias == null || Arrays.equals(bias.shape(), normalized));
            if (fits) return F.layerNorm(in[0], normalized, scale, bias, eps);
            Tensor y = F.layerNorm(in[0], normalized, null, null, eps);
            if (scale != null) y = y.mul(scale);
            return bias == null ? y : y.add(bias);
        };
    }

    /**
     * Trilu: the upper ({@code j − i ≥ k}) or lower ({@code j − i ≤ k}) triangle of the last two
     * dimensions, zeros elsewhere (chosen, not multiplied, so that an infinite entry outside stays out).
     */
    private static Tensor trilu(Tensor x, long k, boolean upper) {
        if (x.dim() < 2) throw new IllegalArgumentException("Trilu: the input needs at least 2 dimensions, got " + Shape.str(x.shape()));
        int rows = x.size(-2), cols = x.size(-1);
        if (x.dtype() == DType.INT64) {
            long[] v = x.contiguous().toLongArray();
            for (int p = 0; p < v.length; p++) {
                long i = p / cols % rows, j = p % cols;
                if (upper ? j - i < k : j - i > k) v[p] = 0;
            }
            return TensorData.wrapLongs(v, x.shape());
        }
        float[] keep = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) keep[i * cols + j] = (upper ? j - i >= k : j - i <= k) ? 1 : 0;
        return Tensor.where(Tensor.fromArray(keep, rows, cols), x, Tensor.scalar(0f));
    }

    /** Range(start, limit, delta) of int64 scalars (the positions of a sequence), or of float32 ones. */
    private static Tensor range(Tensor[] in) {
        for (Tensor x : in)
            if (x == null || x.numel() != 1) throw new IllegalArgumentException("Range: start, limit and delta must be scalars");
        if (Arrays.stream(in).allMatch(x -> x.dtype() == DType.INT64)) {
            long start = in[0].toLongArray()[0], limit = in[1].toLongArray()[0], delta = in[2].toLongArray()[0];
            if (delta == 0) throw new IllegalArgumentException("Range: delta is 0");
            long n = Math.max(0, Math.ceilDiv(limit - start, delta));
            if (n > Integer.MAX_VALUE - 8 || !org.jgrad.io.MemoryBudget.allows(8 * n))
                throw new IllegalArgumentException("Range: " + n + " elements " + org.jgrad.io.MemoryBudget.refusal(8 * n, "the range"));
            long[] v = new long[(int) n];
            for (int i = 0; i < v.length; i++) v[i] = start + i * delta;
            return TensorData.wrapLongs(v, v.length);
        }
        double start = in[0].toFloat().item(), limit = in[1].toFloat().item(), delta = in[2].toFloat().item();
        if (delta == 0) throw new IllegalArgumentException("Range: delta is 0");
        double n = Math.max(0, Math.ceil((limit - start) / delta));
        if (!(n <= Integer.MAX_VALUE - 8) || !org.jgrad.io.MemoryBudget.allows(4 * (long) n))
            throw new IllegalArgumentException("Range: " + n + " elements " + org.jgrad.io.MemoryBudget.refusal(4 * (long) n, "the range"));
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (start + i * delta);
        return Tensor.fromArray(v, v.length);
    }

    /**
     * The error function from jgrad's differentiable ops (exact GELU at opset 17 is written with it):
     * Abramowitz and Stegun's formula 7.1.26, absolute error below 1.5e-7, odd by construction.
     */
    static Tensor erf(Tensor x) {
        Tensor ax = x.abs();
        Tensor t = ax.mul(0.3275911f).add(1f).reciprocal();
        Tensor poly = t.mul(1.061405429f).add(-1.453152027f).mul(t).add(1.421413741f).mul(t).add(-0.284496736f).mul(t)
                .add(0.254829592f).mul(t);
        Tensor y = poly.mul(ax.square().neg().exp()).rsub(1f);
        return y.mul(x.sign());
    }

    private static Kernel conv(NodeAttributes a) throws OnnxFormatException {
        String autoPad = a.getString("auto_pad", "NOTSET");
        int[] strides = a.getInts("strides"), dil = a.getInts("dilations"), pads = a.getInts("pads");
        int groups = a.getSmallInt("group", 1);
        if (groups < 1) throw a.error("Conv group must be >= 1, got " + groups);
        if (!Set.of("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER").contains(autoPad))
            throw a.error("Conv auto_pad '" + autoPad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        checkLength(a, "strides", strides, 2);
        checkLength(a, "dilations", dil, 2);
        checkLength(a, "pads", pads, 4);
        return (in, t) -> {
            requireRank("Conv", in[0], 4);
            requireRank("Conv weight", in[1], 4);
            int sh = strides == null ? 1 : strides[0], sw = strides == null ? 1 : strides[1];
            int dh = dil == null ? 1 : dil[0], dw = dil == null ? 1 : dil[1];
            int[] p = pads == null ? new int[4] : pads;
            if (autoPad.startsWith("SAME")) {
                int[] s = in[0].shape();
                int ph = samePad(s[2], sh, dh, in[1].size(2)), pw = samePad(s[3], sw, dw, in[1].size(3));
                boolean upper = autoPad.equals("SAME_UPPER");
                p = new int[] {upper ? ph / 2 : ph - ph / 2, upper ? pw / 2 : pw - pw / 2,
                        upper ? ph - ph / 2 : ph / 2, upper ? pw - pw / 2 : pw / 2};
            } else if (autoPad.equals("VALID")) p = new int[4];
            Conv2dOptions o = Conv2dOptions.defaults().stride(sh, sw).padding(p[0], p[2], p[1], p[3]).dilation(dh, dw)
                    .groups(groups);
            return F.conv2d(in[0], in[1], in.length > 2 ? in[2] : null, o);
        };
    }

    private static int samePad(int in, int stride, int dilation, int k) {
        int out = (in + stride - 1) / stride;
        return Math.max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in);
    }

    private static Kernel gemm(NodeAttributes a) throws OnnxFormatException {
        float alpha = a.getFloat("alpha", 1f), beta = a.getFloat("beta", 1f);
        boolean transA = a.getInt("transA", 0) != 0, transB = a.getInt("transB", 0) != 0;
        return (in, t) -> {
            Tensor c = in.length > 2 ? in[2] : null;
            if (!transA && transB && alpha == 1 && beta == 1 && in[0].dim() == 2
                    && (c == null || c.dim() == 1 && c.size(0) == in[1].size(0)))
                return F.linear(in[0], in[1], c);
            Tensor x = transA ? in[0].t() : in[0], w = transB ? in[1].t() : in[1];
            Tensor y = x.matmul(w);
            if (alpha != 1) y = y.mul(alpha);
            if (c != null) y = y.add(beta == 1 ? c : c.mul(beta));
            return y;
        };
    }

    private static Kernel clip(NodeAttributes a, int opset) throws OnnxFormatException {
        float attrMin = a.getFloat("min", Float.NEGATIVE_INFINITY), attrMax = a.getFloat("max", Float.POSITIVE_INFINITY);
        return (in, t) -> {
            float min = opset < 11 ? attrMin : in.length > 1 && in[1] != null ? in[1].toFloat().item() : Float.NEGATIVE_INFINITY;
            float max = opset < 11 ? attrMax : in.length > 2 && in[2] != null ? in[2].toFloat().item() : Float.POSITIVE_INFINITY;
            return in[0].clamp(min, max);
        };
    }

    private static Kernel pool(String op, NodeAttributes a) throws OnnxFormatException {
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID"))
            throw a.error(op + " auto_pad '" + autoPad + "' is not supported (NOTSET or VALID)");
        int[] k = a.getInts("kernel_shape"), strides = a.getInts("strides"), pads = a.getInts("pads"), dil = a.getInts("dilations");
        if (k == null) throw a.error(op + " needs kernel_shape");
        checkLength(a, "kernel_shape", k, 2);
        checkLength(a, "strides", strides, 2);
        checkLength(a, "pads", pads, 4);
        checkLength(a, "dilations", dil, 2);
        if (a.getInt("storage_order", 0) != 0) throw a.error(op + " storage_order 1 (column-major indices) is not supported");
        int[] p = pads == null || autoPad.equals("VALID") ? new int[4] : pads;
        if (p[0] != p[2] || p[1] != p[3])
            throw a.error(op + " with unequal pads " + Arrays.toString(p) + " is not supported (jgrad pools pad both sides alike)");
        boolean ceil = a.getInt("ceil_mode", 0) != 0, includePad = a.getInt("count_include_pad", 0) != 0;
        Pool2dOptions o;
        try {
            o = Pool2dOptions.of(k[0], k[1]).stride(strides == null ? 1 : strides[0], strides == null ? 1 : strides[1])
                    .padding(p[0], p[1]).dilation(dil == null ? 1 : dil[0], dil == null ? 1 : dil[1]).ceilMode(ceil)
                    .countIncludePad(includePad);
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
        boolean max = op.equals("MaxPool");
        if (!max && (o.dilationH() != 1 || o.dilationW() != 1)) throw a.error("AveragePool with dilations is not supported");
        return (in, t) -> {
            requireRank(op, in[0], 4);
            return max ? F.maxPool2d(in[0], o) : F.avgPool2d(in[0], o);
        };
    }

    private static Kernel batchNorm(NodeAttributes a) throws OnnxFormatException {
        float eps = a.getFloat("epsilon", 1e-5f), momentum = a.getFloat("momentum", 0.9f);
        if (a.getInt("training_mode", 0) != 0)
            throw a.error("BatchNormalization with training_mode=1 (a training graph) is not supported; export the model in"
                    + " evaluation mode");
        return (in, t) -> {
            if (in.length < 5) throw new IllegalArgumentException("BatchNormalization needs 5 inputs, got " + in.length);
            if (t) return F.batchNorm(in[0], in[3], in[4], in[1], in[2], true, 1 - momentum, eps);
            return NormOps.batchNormEval(in[0], in[3], in[4], in[1], in[2], eps);
        };
    }

    private static Kernel softmax(String op, NodeAttributes a, int opset) throws OnnxFormatException {
        boolean log = op.equals("LogSoftmax");
        int axis = a.getSmallInt("axis", opset < 13 ? 1 : -1);
        return (in, t) -> {
            Tensor x = in[0];
            int r = x.dim(), d = axis(axis, r, op);
            if (opset >= 13 || d == r - 1) return log ? F.logSoftmax(x, d) : F.softmax(x, d);
            // Before opset 13 the input is flattened to 2-D at the axis and normalized over the second part.
            int[] s = x.shape();
            long inner = 1;
            for (int i = d; i < r; i++) inner *= s[i];
            Tensor flat = x.reshape((int) prefix(s, d), (int) inner);
            return (log ? F.logSoftmax(flat, 1) : F.softmax(flat, 1)).reshape(s);
        };
    }

    private static long prefix(int[] s, int d) {
        long p = 1;
        for (int i = 0; i < d; i++) p *= s[i];
        return p;
    }

    private static Kernel pad(NodeAttributes a, int opset) throws OnnxFormatException {
        String mode = a.getString("mode", "constant");
        if (!mode.equals("constant")) throw a.error("Pad mode '" + mode + "' is not supported (constant only)");
        int[] attrPads = opset < 11 ? a.getInts("pads") : null;
        float attrValue = a.getFloat("value", 0f);
        return (in, t) -> {
            int[] pads = attrPads != null ? attrPads : ints(in[1], "Pad pads");
            float value = opset < 11 ? attrValue : in.length > 2 && in[2] != null ? in[2].toFloat().item() : 0f;
            int r = in[0].dim();
            int[] axes;
            if (in.length > 3 && in[3] != null) {
                axes = ints(in[3], "Pad axes");
                for (int i = 0; i < axes.length; i++) axes[i] = axis(axes[i], r, "Pad");
            } else axes = java.util.stream.IntStream.range(0, r).toArray();
            if (pads.length != 2 * axes.length)
                throw new IllegalArgumentException("Pad: " + pads.length + " pads for " + axes.length + " axes");
            Tensor x = in[0];
            for (int i = 0; i < axes.length; i++) x = padAxis(x, axes[i], pads[i], pads[i + axes.length], value);
            return x;
        };
    }

    private static Tensor padAxis(Tensor x, int d, int before, int after, float value) {
        if (before < 0 || after < 0) {
            int b = Math.max(-before, 0), e = Math.max(-after, 0);
            x = x.narrow(d, b, x.size(d) - b - e);
        }
        if (before <= 0 && after <= 0) return x;
        int[] s = x.shape();
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        if (before > 0) {
            s[d] = before;
            parts.add(Tensor.full(value, s.clone()));
        }
        parts.add(x);
        if (after > 0) {
            s[d] = after;
            parts.add(Tensor.full(value, s.clone()));
        }
        return Tensor.cat(d, parts.toArray(Tensor[]::new));
    }

    private static Kernel constant(NodeAttributes a) throws OnnxFormatException {
        Tensor v;
        if (a.has("value")) v = a.getTensor("value");
        else if (a.has("value_float")) v = Tensor.scalar(a.getFloat("value_float", 0f));
        else if (a.has("value_floats")) {
            float[] f = a.getFloats("value_floats");
            v = TensorData.wrap(f, f.length);
        } else if (a.has("value_int")) v = TensorData.wrapLongs(new long[] {a.getInt("value_int", 0)});
        else if (a.has("value_ints")) {
            int[] i = a.getInts("value_ints");
            v = TensorData.wrapLongs(Arrays.stream(i).asLongStream().toArray(), i.length);
        } else throw a.error("Constant needs a value (value, value_float(s) or value_int(s)); sparse and string values are not supported");
        Tensor c = v;
        return (in, t) -> c;
    }

    private static Tensor gather(Tensor data, Tensor index, int axis) {
        int r = data.dim(), d = axis(axis, r, "Gather");
        long[] idx = index.toLong().contiguous().toLongArray();
        int n = data.size(d);
        long[] norm = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            long v = idx[i] < 0 ? idx[i] + n : idx[i];
            if (v < 0 || v >= n) throw new IndexOutOfBoundsException("Gather: index " + idx[i] + " is out of range for size " + n);
            norm[i] = v;
        }
        int[] s = data.shape(), is = index.shape();
        int[] out = new int[r - 1 + is.length];
        System.arraycopy(s, 0, out, 0, d);
        System.arraycopy(is, 0, out, d, is.length);
        System.arraycopy(s, d + 1, out, d + is.length, r - d - 1);
        if (data.dtype() == DType.INT64) return Longs.gather(data, d, norm, out);
        return data.indexSelect(d, TensorData.wrapLongs(norm, norm.length)).reshape(out);
    }

    private static Kernel reduce(String op, NodeAttributes a, int opset) throws OnnxFormatException {
        boolean keep = a.getInt("keepdims", 1) != 0, noopEmpty = a.getInt("noop_with_empty_axes", 0) != 0;
        // ReduceSum took its axes as an input from opset 13, the others from opset 18.
        boolean axesAsInput = op.equals("ReduceSum") ? opset >= 13 : opset >= 18;
        int[] attrAxes = axesAsInput ? null : a.getInts("axes");
        return (in, t) -> {
            int[] axes = axesAsInput ? (in.length > 1 && in[1] != null ? ints(in[1], op + " axes") : null) : attrAxes;
            Tensor x = in[0];
            if (axes == null || axes.length == 0) {
                if (noopEmpty) return x;
                axes = java.util.stream.IntStream.range(0, x.dim()).toArray();
            }
            for (int i = 0; i < axes.length; i++) axes[i] = axis(axes[i], x.dim(), op);
            if (x.dtype() == DType.INT64 && (op.equals("ReduceMax") || op.equals("ReduceMin"))) {
                int[] sorted = axes.clone();
                Arrays.sort(sorted);
                Tensor r = x;
                for (int i = sorted.length - 1; i >= 0; i--) r = Longs.reduce(r, sorted[i], op.equals("ReduceMax"), keep);
                return r;
            }
            return switch (op) {
                case "ReduceSum" -> x.sum(axes, keep);
                case "ReduceMean" -> x.mean(axes, keep);
                case "ReduceL1" -> x.abs().sum(axes, keep);
                case "ReduceL2" -> x.square().sum(axes, keep).sqrt();
                default -> {
                    // Max and min one axis at a time, from the last so that the others keep their numbers.
                    int[] sorted = axes.clone();
                    Arrays.sort(sorted);
                    Tensor r = x;
                    for (int i = sorted.length - 1; i >= 0; i--)
                        r = op.equals("ReduceMax") ? r.max(sorted[i], keep).values() : r.min(sorted[i], keep).values();
                    yield r;
                }
            };
        };
    }

    private static Kernel slice(NodeAttributes a, int opset) throws OnnxFormatException {
        int[] attrStarts = opset < 10 ? a.getInts("starts") : null, attrEnds = opset < 10 ? a.getInts("ends") : null;
        int[] attrAxes = opset < 10 ? a.getInts("axes") : null;
        return (in, t) -> {
            long[] starts = opset < 10 ? toLongs(attrStarts) : in[1].toLong().contiguous().toLongArray();
            long[] ends = opset < 10 ? toLongs(attrEnds) : in[2].toLong().contiguous().toLongArray();
            int[] axes = opset < 10 ? attrAxes : in.length > 3 && in[3] != null ? ints(in[3], "Slice axes") : null;
            long[] steps = opset >= 10 && in.length > 4 && in[4] != null ? in[4].toLong().contiguous().toLongArray() : null;
            if (starts == null || ends == null || starts.length != ends.length)
                throw new IllegalArgumentException("Slice: starts and ends must be given with equal lengths");
            Tensor x = in[0];
            for (int i = 0; i < starts.length; i++) {
                int d = axis(axes == null ? i : axes[i], x.dim(), "Slice");
                long step = steps == null ? 1 : steps[i];
                if (step == 0) throw new IllegalArgumentException("Slice: step 0");
                long n = x.size(d);
                long s = starts[i] < 0 ? starts[i] + n : starts[i], e = ends[i] < 0 ? ends[i] + n : ends[i];
                if (step < 0) {
                    // Backwards from s down to (not including) e is forwards over the reversed axis.
                    if (x.dtype() == DType.INT64) throw new IllegalArgumentException("Slice: negative steps on int64 data");
                    s = Math.clamp(s, -1, n - 1);
                    e = Math.clamp(e, -1, n - 1);
                    long[] reversed = new long[(int) n];
                    for (int j = 0; j < n; j++) reversed[j] = n - 1 - j;
                    x = x.indexSelect(d, TensorData.wrapLongs(reversed, (int) n));
                    long from = n - 1 - s, to = n - 1 - e;
                    x = x.slice(d, (int) from, (int) Math.max(from, to), (int) -step);
                    continue;
                }
                s = Math.clamp(s, 0, n);
                e = Math.clamp(e, 0, n);
                if (x.dtype() == DType.INT64) x = Longs.slice(x, d, (int) s, (int) Math.max(s, e), (int) step);
                else x = x.slice(d, (int) s, (int) Math.max(s, e), (int) step);
            }
            return x;
        };
    }

    private static long[] toLongs(int[] v) {
        return v == null ? null : Arrays.stream(v).asLongStream().toArray();
    }

    /** The values of a small int64 tensor (a shape, axes, pads) as ints. */
    static int[] ints(Tensor t, String what) {
        if (t == null) throw new IllegalArgumentException(what + ": the input is missing");
        long[] v = t.toLong().contiguous().toLongArray();
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE)
                throw new IllegalArgumentException(what + ": value " + v[i] + " is out of range");
            r[i] = (int) v[i];
        }
        return r;
    }

    static int[] reshapeTarget(int[] in, int[] shape, boolean allowZero) {
        int[] out = shape.clone();
        for (int i = 0; i < out.length; i++)
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) throw new IllegalArgumentException("Reshape: 0 at position " + i + " but the input "
                        + Shape.str(in) + " has no dimension there");
                out[i] = in[i];
            } else if (out[i] < -1) throw new IllegalArgumentException("Reshape: invalid size " + out[i]);
        return out;
    }

    static int axis(int axis, int rank, String op) {
        int d = axis < 0 ? axis + rank : axis;
        if (d < 0 || d >= Math.max(rank, 1))
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for rank " + rank);
        return d;
    }

    private static boolean bothLong(Tensor[] in) {
        return in[0].dtype() == DType.INT64 && in[1].dtype() == DType.INT64;
    }

    private static void requireRank(String op, Tensor x, int rank) {
        if (x.dim() != rank)
            throw new IllegalArgumentException(op + ": expected a " + rank + "-D input, got " + Shape.str(x.shape()));
    }

    private static void checkLength(NodeAttributes a, String name, int[] v, int n) throws OnnxFormatException {
        if (v != null && v.length != n)
            throw a.error("'" + name + "' has " + v.length + " values; jgrad runs 2-D convolutions and poolings, which need " + n);
    }
}
