package org.jgrad.onnx;

import static org.jgrad.onnx.GraphBuilder.attr;

import java.util.Arrays;
import org.jgrad.autograd.Graph;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.ops.EmbeddingOps;
import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The lengths of a padded batch's rows, computed in the exported graph. A trace records only the
 * lengths of the example batch, not how the model found them; the one rule written is the one jgrad's
 * text models follow (and PyTorch users write by hand before packing): a row's length is the number of
 * its token ids before its trailing run of padding ids, at least 1, where the padding id is the
 * {@code padding_idx} of the embedding that reads the model's input. The rule is checked against the
 * lengths the trace recorded, and a model that found its lengths another way is refused.
 */
final class SequenceLengths {
    private final GraphBuilder g;
    private final Graph graph;
    private final Tensor input;
    private String written, written64;
    private ShapeExpr shapes;
    private FreeDims.Sym steps;

    SequenceLengths(GraphBuilder g, Graph graph, Tensor input) {
        this.g = g;
        this.graph = graph;
        this.input = input;
    }

    /** The padding id of the embedding that reads the token ids {@code input}, or -1 when there is none. */
    static long paddingId(Graph graph, Tensor input) {
        long pad = -1;
        if (input.dtype() != DType.INT64) return pad;
        for (Graph.Op e : graph.ops("embedding"))
            if (e.inputs().size() > 1 && e.inputs().get(1).tensor() == input)
                pad = ((EmbeddingOps.Embedding) e.attributes()).paddingIdx();
        return pad;
    }

    /** Each row's number of ids before its trailing run of {@code pad}, at least 1, of token ids [n, t]. */
    static int[] rowLengths(Tensor ids, long pad) {
        int n = ids.size(0), t = ids.size(1);
        long[] v = ids.contiguous().toLongArray();
        int[] r = new int[n];
        for (int b = 0; b < n; b++) {
            int len = t;
            while (len > 1 && v[b * t + len - 1] == pad) len--;
            r[b] = len;
        }
        return r;
    }

    /** Computes the steps from the input's runtime shape from now on (see {@link FreeDims}). */
    void steps(ShapeExpr shapes, FreeDims.Sym steps) {
        this.shapes = shapes;
        this.steps = steps;
    }

    /** The int32 [batch] lengths of {@code op}'s rows, written once per graph. */
    String of(Graph.Op op) {
        int[] recorded = ((RecurrentOps.LayerAttributes) op.attributes()).lengths();
        String what = "Onnx.export: the " + op.type() + " node runs a padded batch (rows of their own lengths, "
                + Arrays.toString(recorded) + " in the trace)";
        if (input.dtype() != DType.INT64 || input.dim() != 2)
            throw new IllegalArgumentException(what + ", but the model's input is not a [batch, steps] tensor of token ids (it is "
                    + input.dtype() + " " + Shape.str(input.shape()) + "), so the file cannot compute the lengths");
        long pad = paddingId(graph, input);
        if (pad < 0)
            throw new IllegalArgumentException(what + ", but no embedding with a padding_idx reads the model's input, so the"
                    + " file cannot tell padding from words (the lengths are written as each row's ids before its trailing"
                    + " padding ids)");
        int[] rule = rowLengths(input, pad);
        if (!Arrays.equals(rule, recorded))
            throw new IllegalArgumentException(what + ", but each row's ids before its trailing padding id " + pad + " give "
                    + Arrays.toString(rule) + "; the file can compute the lengths only that way");
        if (written == null) written = g.node("Cast", new String[] {int64()}, attr("to", TensorProto.DataType.INT32_VALUE));
        return written;
    }

    /**
     * The int64 [batch] lengths of the input's rows by the rule above, written once per graph (the caller
     * has checked that an embedding with a padding id reads the input).
     */
    String int64() {
        if (written64 != null) return written64;
        long pad = paddingId(graph, input);
        // last non-padding position + 1 = max over t of (t + 1)·[id_t ≠ pad], then at least 1.
        String positions = shapes != null ? g.node("Add", new String[] {shapes.positions(steps), g.longs(1)}) : null;
        if (positions == null) {
            long[] p = new long[input.size(1)];
            for (int i = 0; i < p.length; i++) p[i] = i + 1;
            positions = g.longs(p);
        }
        String real = g.node("Not", new String[] {g.node("Equal", new String[] {"input", g.longs(pad)})});
        String mask = g.node("Cast", new String[] {real}, attr("to", TensorProto.DataType.INT64_VALUE));
        String last = g.node("ReduceMax", new String[] {g.node("Mul", new String[] {mask, positions})},
                attr("axes", new long[] {1}), attr("keepdims", 0));
        written64 = g.node("Max", new String[] {last, g.longs(1)});
        return written64;
    }
}
