package org.jgrad.onnx;

import static org.jgrad.onnx.GraphBuilder.attr;

import java.util.List;
import org.jgrad.autograd.Graph;
import org.jgrad.autograd.OpAttributes;
import org.jgrad.internal.TensorData;
import org.jgrad.ops.ActivationAttributes;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ElementwiseAttributes;
import org.jgrad.ops.EmbeddingOps;
import org.jgrad.ops.IndexAttributes;
import org.jgrad.ops.LayerNormOps;
import org.jgrad.ops.MatmulAttributes;
import org.jgrad.ops.NormAttributes;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.ops.PoolAttributes;
import org.jgrad.ops.ReduceAttributes;
import org.jgrad.ops.ViewAttributes;
import org.jgrad.tensor.Tensor;

/**
 * Translates one recorded jgrad op ({@link Graph.Op}: type, attributes, input shapes) into ONNX
 * nodes of opset 17. Shapes that an op records with the traced batch size in them (a view's target
 * shape, an expand's) are written so that the batch dimension stays free: a leading dimension
 * equal to the input's becomes ONNX's "copy this dimension" (0 in Reshape, 1 in Expand).
 */
final class OpExporter {
    private OpExporter() {}

    /**
     * Why {@code op} cannot be exported, or null when it can. Checked for every op before anything is
     * written, so that one error lists every problem.
     */
    static String unsupported(Graph.Op op) {
        OpAttributes a = op.attributes();
        return switch (op.type()) {
            case "convolution" -> op.inputShape(1).length == 4 ? null : "only 2-D convolutions are exported";
            case "mm", "addmm", "relu", "relu6", "sigmoid", "tanh", "exp", "log", "sqrt", "abs", "neg", "reciprocal",
                    "sin", "cos", "sign", "hardsigmoid", "hardswish", "leaky_relu", "elu", "softplus", "gelu", "silu", "softmax", "log_softmax",
                    "add", "sub", "mul", "div", "pow", "maximum", "minimum", "clone", "clamp", "view", "permute",
                    "transpose", "slice", "expand", "squeeze", "unsqueeze", "cat", "channel_window_sum", "where",
                    "max_pool2d_with_indices", "avg_pool2d" -> avgPoolProblem(a);
            case "sum", "mean", "var", "std", "max", "min" -> null;
            case "native_layer_norm", "adaptive_avg_pool2d", "embedding", "lstm", "gru", "rnn_tanh", "rnn_relu", "index_select", "gather", "flip" -> null;
            case "adaptive_max_pool2d" -> {
                PoolAttributes.Adaptive p = (PoolAttributes.Adaptive) a;
                int[] s = op.inputShape(0);
                int h = s[s.length - 2], w = s[s.length - 1];
                yield h % p.outH() == 0 && w % p.outW() == 0 ? null
                        : "an adaptive max pooling from " + h + "x" + w + " to " + p.outH() + "x" + p.outW()
                                + " has unequal windows, which ONNX's MaxPool cannot express";
            }
            case "native_batch_norm" -> ((NormAttributes.BatchNorm) a).training()
                    ? "batch norm with batch statistics (training mode) inside an exported model" : null;
            default -> "no ONNX translation";
        };
    }

    private static String avgPoolProblem(OpAttributes a) {
        if (a instanceof Pool2dOptions p && p.divisorOverride() != 0 && (p.padH() > 0 || p.padW() > 0) && !p.countIncludePad())
            return "divisor_override with padding excluded from the count";
        return null;
    }

    /**
     * Emits the nodes of {@code op}, the last of which writes {@code out}.
     *
     * @param in the ONNX names of the op's inputs (null for an absent optional input)
     * @param dims the sizes that follow the input's shape, or null where only the batch does, by the rule of one trace
     * @param shapes writes those sizes into the graph
     */
    static void emit(GraphBuilder g, Graph.Op op, String[] in, String out, FreeDims dims, ShapeExpr shapes) {
        OpAttributes a = op.attributes();
        switch (op.type()) {
            case "convolution" -> {
                Conv2dOptions c = (Conv2dOptions) a;
                int[] w = op.inputShape(1);
                g.node("Conv", in, out, attr("kernel_shape", w[2], w[3]), attr("strides", c.strideH(), c.strideW()),
                        attr("pads", c.padTop(), c.padLeft(), c.padBottom(), c.padRight()),
                        attr("dilations", c.dilationH(), c.dilationW()), attr("group", c.groups()));
            }
            case "addmm", "mm" -> {
                if (a instanceof MatmulAttributes.Linear && op.inputShape(0).length == 2)
                    g.node("Gemm", in, out, attr("transB", 1));
                else if (a instanceof MatmulAttributes.Linear) {
                    String t = g.node("Transpose", new String[] {in[1]}, attr("perm", 1, 0));
                    if (in.length == 2) g.node("MatMul", new String[] {in[0], t}, out);
                    else g.node("Add", new String[] {g.node("MatMul", new String[] {in[0], t}), in[2]}, out);
                } else g.node("MatMul", in, out);
            }
            case "relu" -> g.node("Relu", in, out);
            case "relu6" -> g.node("Clip", new String[] {in[0], g.scalar(0), g.scalar(6)}, out);
            case "clamp" -> {
                ElementwiseAttributes.Clamp c = (ElementwiseAttributes.Clamp) a;
                g.node("Clip", new String[] {in[0], Double.isInfinite(c.min()) ? null : g.scalar(c.min()),
                        Double.isInfinite(c.max()) ? null : g.scalar(c.max())}, out);
            }
            case "sigmoid" -> g.node("Sigmoid", in, out);
            case "tanh" -> g.node("Tanh", in, out);
            case "exp" -> g.node("Exp", in, out);
            case "log" -> g.node("Log", in, out);
            case "sqrt" -> g.node("Sqrt", in, out);
            case "abs" -> g.node("Abs", in, out);
            case "neg" -> g.node("Neg", in, out);
            case "reciprocal" -> g.node("Reciprocal", in, out);
            case "sin" -> g.node("Sin", in, out);
            case "cos" -> g.node("Cos", in, out);
            case "sign" -> g.node("Sign", in, out);
            case "clone" -> g.node("Identity", in, out);
            case "embedding" -> embedding(g, (EmbeddingOps.Embedding) a, in, out);
            case "index_select" -> {
                // ONNX's Gather drops the axis for a 0-d index; index_select keeps it (size 1).
                String index = op.inputShape(1).length == 0 ? g.node("Unsqueeze", new String[] {in[1], g.longs(0)}) : in[1];
                g.node("Gather", new String[] {in[0], index}, out, attr("axis", ((IndexAttributes.IndexSelect) a).dim()));
            }
            case "gather" -> g.node("GatherElements", new String[] {in[0], in[1]}, out,
                    attr("axis", ((IndexAttributes.Gather) a).dim()));
            case "flip" -> {
                int rank = op.inputShape(0).length;
                long[] axes = ((ViewAttributes.Flip) a).dims().stream().mapToLong(d -> d < 0 ? d + rank : d).toArray();
                long[] starts = new long[axes.length], ends = new long[axes.length], steps = new long[axes.length];
                java.util.Arrays.fill(starts, -1);
                java.util.Arrays.fill(ends, Long.MIN_VALUE);
                java.util.Arrays.fill(steps, -1);
                g.node("Slice", new String[] {in[0], g.longs(starts), g.longs(ends), g.longs(axes), g.longs(steps)}, out);
            }
            // PyTorch's hardsigmoid is relu6(x + 3) / 6, ONNX's HardSigmoid max(0, min(1, αx + β)).
            case "hardsigmoid" -> g.node("HardSigmoid", in, out, attr("alpha", 1.0 / 6), attr("beta", 0.5));
            case "hardswish" -> g.node("HardSwish", in, out);
            case "leaky_relu" -> g.node("LeakyRelu", in, out,
                    attr("alpha", ((ActivationAttributes.LeakyRelu) a).negativeSlope()));
            case "elu" -> g.node("Elu", in, out, attr("alpha", ((ActivationAttributes.Elu) a).alpha()));
            case "softplus" -> {
                // ONNX's Softplus has no beta and no threshold: log(1 + exp(beta x)) / beta, with the
                // linear branch above the threshold, which float32 cannot tell apart at PyTorch's 20.
                double beta = ((ActivationAttributes.Softplus) a).beta();
                if (beta == 1) g.node("Softplus", in, out);
                else g.node("Div", new String[] {g.node("Softplus",
                        new String[] {g.node("Mul", new String[] {in[0], g.scalar(beta)})}), g.scalar(beta)}, out);
            }
            case "gelu" -> {
                // Gelu is an op from opset 20 on; for opset 17 it is spelled out.
                if (((ActivationAttributes.Gelu) a).approximate().equals("tanh")) {
                    String cube = g.node("Mul", new String[] {in[0], g.node("Mul", new String[] {in[0], in[0]})});
                    String inner = g.node("Mul", new String[] {g.node("Add", new String[] {in[0],
                            g.node("Mul", new String[] {cube, g.scalar(0.044715)})}), g.scalar(Math.sqrt(2 / Math.PI))});
                    String t = g.node("Add", new String[] {g.node("Tanh", new String[] {inner}), g.scalar(1)});
                    g.node("Mul", new String[] {g.node("Mul", new String[] {in[0], g.scalar(0.5)}), t}, out);
                } else {
                    String erf = g.node("Erf", new String[] {g.node("Div", new String[] {in[0], g.scalar(Math.sqrt(2))})});
                    g.node("Mul", new String[] {g.node("Mul", new String[] {in[0], g.scalar(0.5)}),
                            g.node("Add", new String[] {erf, g.scalar(1)})}, out);
                }
            }
            case "silu" -> g.node("Mul", new String[] {in[0], g.node("Sigmoid", new String[] {in[0]})}, out);
            case "softmax" -> g.node("Softmax", in, out, attr("axis", ((ActivationAttributes.Softmax) a).dim()));
            case "log_softmax" -> g.node("LogSoftmax", in, out, attr("axis", ((ActivationAttributes.Softmax) a).dim()));
            case "add", "sub", "mul", "div", "pow" -> {
                String type = switch (op.type()) {
                    case "add" -> "Add";
                    case "sub" -> "Sub";
                    case "mul" -> "Mul";
                    case "div" -> "Div";
                    default -> "Pow";
                };
                if (a instanceof ElementwiseAttributes.Scalar s) g.node(type, new String[] {in[0], g.scalar(s.value())}, out);
                else g.node(type, in, out);
            }
            case "maximum" -> g.node("Max", in, out);
            case "minimum" -> g.node("Min", in, out);
            case "where" -> g.node("Where", new String[] {g.node("Cast", new String[] {in[0]}, attr("to", 9L)), in[1], in[2]}, out);
            case "view" -> {
                if (dims != null) {
                    g.node("Reshape", new String[] {in[0], reshapeTarget(g, dims.input(op, 0), dims.output(op), shapes)}, out);
                    return;
                }
                int[] from = op.inputShape(0), to = op.outputShape();
                long[] shape = new long[to.length];
                for (int i = 0; i < to.length; i++) shape[i] = to[i];
                // The batch stays free: 0 copies the input's leading dimension.
                if (to.length > 0 && from.length > 0 && to[0] == from[0]) shape[0] = 0;
                g.node("Reshape", new String[] {in[0], g.longs(shape)}, out);
            }
            case "permute", "transpose" -> {
                List<Integer> d = ((ViewAttributes.Permute) a).dims();
                long[] perm = new long[d.size()];
                for (int i = 0; i < perm.length; i++) perm[i] = d.get(i);
                g.node("Transpose", in, out, attr("perm", perm));
            }
            case "slice" -> {
                ViewAttributes.Slice s = (ViewAttributes.Slice) a;
                String start = dims != null ? shapes.dim(dims.sliceStart(op)) : g.longs(s.start());
                String end = dims != null ? shapes.dim(dims.sliceEnd(op)) : g.longs(s.end());
                g.node("Slice", new String[] {in[0], start, end, g.longs(s.dim()), g.longs(s.step())}, out);
            }
            case "expand" -> {
                if (dims != null) {
                    g.node("Expand", new String[] {in[0], expandTarget(dims.input(op, 0), dims.output(op), shapes)}, out);
                    return;
                }
                int[] from = op.inputShape(0), to = op.outputShape();
                long[] shape = new long[to.length];
                int lead = to.length - from.length;
                // Expand broadcasts both ways: 1 keeps whatever size the input has there (the batch).
                for (int i = 0; i < to.length; i++) shape[i] = i >= lead && from[i - lead] == to[i] ? 1 : to[i];
                g.node("Expand", new String[] {in[0], g.longs(shape)}, out);
            }
            case "squeeze" -> {
                Integer given = ((ViewAttributes.Squeeze) a).dim();
                int[] s = op.inputShape(0);
                Integer dim = given == null || given >= 0 ? given : given + s.length;
                long[] axes;
                if (dim != null) axes = s[dim] == 1 ? new long[] {dim} : new long[0];
                else axes = java.util.stream.IntStream.range(0, s.length).filter(i -> s[i] == 1).asLongStream().toArray();
                if (axes.length == 0) g.node("Identity", in, out);
                else g.node("Squeeze", new String[] {in[0], g.longs(axes)}, out);
            }
            case "unsqueeze" -> g.node("Unsqueeze", new String[] {in[0], g.longs(((ViewAttributes.Unsqueeze) a).dim())}, out);
            case "cat" -> {
                int dim = ((IndexAttributes.Cat) a).dim(), d = dim < 0 ? dim + op.outputShape().length : dim;
                if (!padding(g, op, in, out, d)) g.node("Concat", in, out, attr("axis", d));
            }
            case "sum", "mean" -> {
                ReduceAttributes.Reduce r = (ReduceAttributes.Reduce) a;
                int rank = op.inputShape(0).length;
                long[] axes = r.dims().isEmpty() ? java.util.stream.LongStream.range(0, rank).toArray()
                        : r.dims().stream().mapToLong(d -> d < 0 ? d + rank : d).toArray();
                long keep = r.keepdim() ? 1 : 0;
                // Opset 17: ReduceSum takes its axes as an input, ReduceMean (until 18) as an attribute.
                if (op.type().equals("sum")) g.node("ReduceSum", new String[] {in[0], g.longs(axes)}, out, attr("keepdims", keep));
                else g.node("ReduceMean", new String[] {in[0]}, out, attr("axes", axes), attr("keepdims", keep));
            }
            case "var", "std" -> {
                // mean((x − mean(x))²) · n / (n − correction) over the reduced dims, whose sizes are fixed
                // by the trace; std is its square root.
                ReduceAttributes.Variance v = (ReduceAttributes.Variance) a;
                int[] s = op.inputShape(0);
                long[] axes = v.dims().isEmpty() ? java.util.stream.LongStream.range(0, s.length).toArray()
                        : v.dims().stream().mapToLong(d -> d < 0 ? d + s.length : d).toArray();
                long n = 1;
                for (long ax : axes) n *= s[(int) ax];
                String centered = g.node("Sub", new String[] {in[0],
                        g.node("ReduceMean", new String[] {in[0]}, attr("axes", axes), attr("keepdims", 1))});
                String sq = g.node("Mul", new String[] {centered, centered});
                boolean std = op.type().equals("std");
                String mean = g.node("ReduceMean", new String[] {sq}, attr("axes", axes), attr("keepdims", v.keepdim() ? 1 : 0));
                String var = g.node("Mul", new String[] {mean, g.scalar(n - v.correction() <= 0 ? Double.NaN
                        : (double) n / (n - v.correction()))}, std ? g.freshName("Mul") : out);
                if (std) g.node("Sqrt", new String[] {var}, out);
            }
            case "max", "min" -> {
                String type = op.type().equals("max") ? "ReduceMax" : "ReduceMin";
                if (a instanceof ReduceAttributes.AlongDim d)
                    g.node(type, in, out, attr("axes", new long[] {d.dim()}), attr("keepdims", d.keepdim() ? 1 : 0));
                else g.node(type, in, out, attr("keepdims", 0));
            }
            case "max_pool2d_with_indices" -> {
                Pool2dOptions p = (Pool2dOptions) a;
                g.node("MaxPool", in, out, attr("kernel_shape", p.kernelH(), p.kernelW()),
                        attr("strides", p.strideH(), p.strideW()), attr("pads", p.padH(), p.padW(), p.padH(), p.padW()),
                        attr("dilations", p.dilationH(), p.dilationW()), attr("ceil_mode", p.ceilMode() ? 1 : 0));
            }
            case "avg_pool2d" -> avgPool(g, (Pool2dOptions) a, in, out);
            case "adaptive_avg_pool2d", "adaptive_max_pool2d" -> {
                PoolAttributes.Adaptive p = (PoolAttributes.Adaptive) a;
                boolean avg = op.type().equals("adaptive_avg_pool2d");
                int[] s = op.inputShape(0);
                int h = s[s.length - 2], w = s[s.length - 1];
                if (p.outH() == 1 && p.outW() == 1) g.node(avg ? "GlobalAveragePool" : "GlobalMaxPool", in, out);
                else if (h % p.outH() != 0 || w % p.outW() != 0) {
                    // Unequal (or overlapping, or repeated) windows: an average over a rectangle is the
                    // average over its rows, then its columns, so the pooling is A_h · x · A_wᵀ with
                    // fixed averaging matrices.
                    String rows = g.initializer(averagingMatrix(h, p.outH()), null);
                    String cols = g.initializer(averagingMatrix(w, p.outW()).transpose(0, 1).contiguous(), null);
                    g.node("MatMul", new String[] {rows, g.node("MatMul", new String[] {in[0], cols})}, out);
                } else {
                    int kh = h / p.outH(), kw = w / p.outW();
                    g.node(avg ? "AveragePool" : "MaxPool", in, out, attr("kernel_shape", kh, kw), attr("strides", kh, kw));
                }
            }
            case "native_batch_norm" -> {
                NormAttributes.BatchNorm b = (NormAttributes.BatchNorm) a;
                int c = op.inputShape(0)[1];
                String scale = in.length > 1 && in[1] != null ? in[1] : g.initializer(Tensor.ones(c), null);
                String bias = in.length > 2 && in[2] != null ? in[2] : g.initializer(Tensor.zeros(c), null);
                g.node("BatchNormalization", new String[] {in[0], scale, bias, g.initializer(b.runningMean(), null),
                        g.initializer(b.runningVar(), null)}, out, attr("epsilon", b.eps()));
            }
            case "native_layer_norm" -> {
                LayerNormOps.LayerNorm n = (LayerNormOps.LayerNorm) a;
                int k = n.normalizedShape().length;
                // Opset 17's LayerNormalization takes the scale always, the bias when there is one.
                String scale = in.length > 1 && in[1] != null ? in[1] : g.initializer(Tensor.ones(n.normalizedShape()), null);
                String[] inputs = in.length > 2 && in[2] != null ? new String[] {in[0], scale, in[2]} : new String[] {in[0], scale};
                g.node("LayerNormalization", inputs, out, attr("axis", -k), attr("epsilon", n.eps()));
            }
            case "channel_window_sum" -> {
                // The window sum over neighbouring channels of local response normalization, as a 2-D
                // convolution with a kernel of ones down the channels: [N, C, *] → [N, 1, C, rest] → back.
                NormAttributes.ChannelWindowSum s = (NormAttributes.ChannelWindowSum) a;
                int[] shape = op.inputShape(0);
                int size = s.before() + s.after() + 1;
                long[] back = new long[shape.length];
                for (int i = 1; i < shape.length; i++) back[i] = shape[i];
                String planes = g.node("Reshape", new String[] {in[0], g.longs(0, 1, shape[1], -1)});
                String ones = g.initializer(Tensor.ones(1, 1, size, 1), null);
                String conv = g.node("Conv", new String[] {planes, ones}, attr("kernel_shape", size, 1),
                        attr("pads", s.before(), 0, s.after(), 0));
                g.node("Reshape", new String[] {conv, g.longs(back)}, out);
            }
            default -> throw new IllegalStateException("Onnx.export: no translation of " + op.type());
        }
    }

    /**
     * A reshape's target from its sizes: fixed sizes as they are, a size equal to the input's at the same
     * place as 0 (copy), and one other free size as -1 (inferred); with more than one left, the whole
     * shape is computed from the input's runtime shape.
     */
    private static String reshapeTarget(GraphBuilder g, FreeDims.Sym[] from, FreeDims.Sym[] to, ShapeExpr shapes) {
        long[] shape = new long[to.length];
        int free = 0;
        for (int i = 0; i < to.length; i++) {
            if (to[i].isFixed()) shape[i] = to[i].coef();
            // 0 copies the input's size: only where no fixed size in the target is itself 0.
            else if (i < from.length && to[i].equals(from[i])) shape[i] = 0;
            else {
                shape[i] = -1;
                free++;
            }
        }
        boolean zeros = false;
        for (FreeDims.Sym d : to) zeros |= d.isFixed() && d.coef() == 0;
        if (free <= 1 && !zeros) return g.longs(shape);
        return shapes.shape(to);
    }

    /** An expand's target: 1 (keep the input's size) where the input's size is the output's, else the output's size. */
    private static String expandTarget(FreeDims.Sym[] from, FreeDims.Sym[] to, ShapeExpr shapes) {
        FreeDims.Sym[] shape = new FreeDims.Sym[to.length];
        int lead = to.length - from.length;
        for (int i = 0; i < to.length; i++)
            shape[i] = i >= lead && from[i - lead].equals(to[i]) ? FreeDims.Sym.fixed(1) : to[i];
        return shapes.shape(shape);
    }

    /**
     * A concatenation of one computed tensor with constant blocks of one value (how {@code ZeroPad2d}
     * pads) becomes a Pad, whose output size follows the input's: a Concat with constant blocks would
     * fix the blocks' batch size to the traced one.
     */
    private static boolean padding(GraphBuilder g, Graph.Op op, String[] in, String out, int d) {
        int computed = -1;
        Float value = null;
        for (int i = 0; i < op.inputs().size(); i++) {
            Graph.Input input = op.inputs().get(i);
            if (input.producer() != null || input.tensor().requiresGrad()) {
                if (computed >= 0) return false;
                computed = i;
                continue;
            }
            float[] v = input.tensor().contiguous().toFloatArray();
            for (float f : v) {
                if (value == null) value = f;
                else if (Float.compare(value, f) != 0) return false;
            }
        }
        if (computed < 0 || value == null) return false;
        int rank = op.inputShape(computed).length;
        long[] pads = new long[2 * rank];
        for (int i = 0; i < op.inputs().size(); i++)
            if (i != computed) pads[d + (i < computed ? 0 : rank)] += op.inputShape(i)[d];
        g.node("Pad", new String[] {in[computed], g.longs(pads), g.scalar(value)}, out, attr("mode", "constant"));
        return true;
    }

    /** The [out, in] matrix of PyTorch's adaptive average pooling along one axis. */
    static Tensor averagingMatrix(int in, int out) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) Math.floor((double) i * in / out), end = (int) Math.ceil((double) (i + 1) * in / out);
            for (int j = start; j < end; j++) m[i * in + j] = 1f / (end - start);
        }
        return TensorData.wrap(m, out, in);
    }

    /**
     * An embedding lookup is a Gather of the table's rows. With {@code max_norm} jgrad (like PyTorch)
     * rescales in place every row it reads whose norm is above the limit, so the file repeats that on
     * the rows it gathers: rows the trace already rescaled are under the limit and stay as they are.
     */
    private static void embedding(GraphBuilder g, EmbeddingOps.Embedding e, String[] in, String out) {
        if (e.maxNorm() == null) {
            g.node("Gather", new String[] {in[0], in[1]}, out, attr("axis", 0));
            return;
        }
        String rows = g.node("Gather", new String[] {in[0], in[1]}, attr("axis", 0));
        double p = e.normType();
        long[] last = {-1};
        String norm;
        if (p == 2) norm = g.node("ReduceL2", new String[] {rows}, attr("axes", last), attr("keepdims", 1));
        else if (p == 1) norm = g.node("ReduceL1", new String[] {rows}, attr("axes", last), attr("keepdims", 1));
        else if (Double.isInfinite(p))
            norm = g.node("ReduceMax", new String[] {g.node("Abs", new String[] {rows})}, attr("axes", last), attr("keepdims", 1));
        else {
            String powered = g.node("Pow", new String[] {g.node("Abs", new String[] {rows}), g.scalar(p)});
            norm = g.node("Pow", new String[] {g.node("ReduceSum", new String[] {powered, g.longs(last)}, attr("keepdims", 1)),
                g.scalar(1 / p)});
        }
        String limit = g.scalar(e.maxNorm());
        String shrink = g.node("Div", new String[] {limit, g.node("Add", new String[] {norm, g.scalar(1e-7)})});
        String scale = g.node("Where", new String[] {g.node("Greater", new String[] {norm, limit}), shrink, g.scalar(1)});
        g.node("Mul", new String[] {rows, scale}, out);
    }

    private static void avgPool(GraphBuilder g, Pool2dOptions p, String[] in, String out) {
        boolean override = p.divisorOverride() != 0;
        String pooled = override ? g.freshName("AveragePool") : out;
        g.node("AveragePool", in, pooled, attr("kernel_shape", p.kernelH(), p.kernelW()),
                attr("strides", p.strideH(), p.strideW()), attr("pads", p.padH(), p.padW(), p.padH(), p.padW()),
                attr("ceil_mode", p.ceilMode() ? 1 : 0), attr("count_include_pad", p.countIncludePad() || override ? 1 : 0));
        // divisor_override: ONNX divides by the window's size; rescale to the fixed divisor.
        if (override)
            g.node("Mul", new String[] {pooled, g.scalar((double) p.kernelH() * p.kernelW() / p.divisorOverride())}, out);
    }
}
