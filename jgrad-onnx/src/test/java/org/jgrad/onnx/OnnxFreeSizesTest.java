package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.TransformerEncoderLayer;
import org.jgrad.onnx.proto.OnnxProto.ModelProto;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes that follow the input's shape in an exported file: the batch wherever it ends up (an expand
 * along a dimension after the first, attention's [steps, batch·heads, …] reshapes), and the steps of
 * token ids where the model allows it (the zoo's text models; for the Transformers the causal mask,
 * the padding masks and the positional table's rows are computed in the file). Each file runs in ONNX Runtime and loads back
 * into jgrad at sizes the trace did not see, with the original's outputs (normwise relative error at
 * most 1e-5).
 */
class OnnxFreeSizesTest {
    @TempDir
    Path dir;

    /** The batch is expanded into the second dimension: [C, 1] sums to [C, batch]. */
    static final class ExpandAfterFirst extends Module {
        final Linear fc = registerModule("fc", new Linear(4, 6));

        @Override
        public Tensor forward(Tensor x) {
            Tensor cols = fc.call(x).transpose(0, 1);                    // [6, N]
            Tensor total = cols.sum(1, true);                           // [6, 1]
            int n = x.size(0);
            return cols.mul(total.expand(6, n)).transpose(0, 1);        // [N, 6]
        }
    }

    @Test
    void anExpandAlongALaterDimensionFollowsTheBatch() throws Exception {
        DefaultGenerator.manualSeed(1);
        ExpandAfterFirst m = new ExpandAfterFirst();
        Path file = dir.resolve("expand.onnx");
        Onnx.export(m, Tensor.randn(new Generator(1), 2, 4), file);
        check(m, file, Tensor.randn(new Generator(2), 5, 4), "expand");
    }

    /** A pre-norm encoder layer over float inputs [N, T, 16], with a causal mask built from T. */
    static final class Encoder extends Module {
        final TransformerEncoderLayer layer = registerModule("layer",
                new TransformerEncoderLayer(16, 4, 32, 0.1, "gelu", 1e-5, true, true, DefaultGenerator.get()));

        @Override
        public Tensor forward(Tensor x) {
            return layer.forward(x, org.jgrad.nn.MultiheadAttention.causalMask(x.size(1)), null);
        }
    }

    @Test
    void attentionAndLayerNormOverFloatInputsFollowTheBatch() throws Exception {
        DefaultGenerator.manualSeed(2);
        Encoder m = new Encoder();
        Path file = dir.resolve("encoder.onnx");
        Onnx.export(m, Tensor.randn(new Generator(3), 1, 7, 16), file);
        check(m, file, Tensor.randn(new Generator(4), 4, 7, 16), "encoder");
    }

    @Test
    void textModelsRunAtOtherLengths() throws Exception {
        for (String name : new String[] {"transformer", "transformer_classifier", "lstm", "gru_classifier"}) {
            ZooCases.Case c = ZooCases.create(name);
            Path file = dir.resolve(name + ".onnx");
            Onnx.export(c.model(), c.batch(2, 1), file);
            ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(file));
            var dims = proto.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
            assertEquals("batch", dims.get(0).getDimParam(), name);
            assertEquals("steps", dims.get(1).getDimParam(), name);
            // Shorter than traced (the positional table is as long as the traced input), another batch size.
            Tensor ids = c.batch(4, 9).narrow(1, 0, c.sampleShape()[0] / 3).contiguous();
            check(c.model(), file, ids, name);
        }
    }

    /** Adds a constant it builds from the number of steps in a way no rule of the exporter knows. */
    static final class OddPositions extends Module {
        final org.jgrad.nn.Embedding embed = registerModule("embed", new org.jgrad.nn.Embedding(12, 4));

        @Override
        public Tensor forward(Tensor ids) {
            int t = ids.size(1);
            float[] v = new float[t * 4];
            for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.37 + t);
            return embed.call(ids).add(Tensor.fromArray(v, t, 4)).sum(new int[] {1}, false);
        }
    }

    @Test
    void stepsTheFileCannotComputeStayAsTraced() throws Exception {
        DefaultGenerator.manualSeed(4);
        OddPositions m = new OddPositions();
        Path file = dir.resolve("odd.onnx");
        Tensor example = Tensor.ofLongs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10).reshape(2, 5);
        Onnx.export(m, example, file);
        var dims = ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getInput(0).getType().getTensorType().getShape()
                .getDimList();
        assertEquals("batch", dims.get(0).getDimParam());
        assertEquals(5, dims.get(1).getDimValue(), "the steps stay the traced 5");
        check(m, file, Tensor.ofLongs(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9).reshape(3, 5), "odd positions");
    }

    private static void check(Module m, Path file, Tensor x, String name) throws Exception {
        m.eval();
        float[] expected;
        try (NoGrad g = NoGrad.enter()) {
            expected = m.call(x).toFloatArray();
        }
        if (OrtRunner.available()) {
            double err = Norms.relativeError(OrtRunner.run(Files.readAllBytes(file), x), expected);
            System.out.printf("onnx: %s input %s: ONNX Runtime vs jgrad relative error %.3g%n", name,
                    java.util.Arrays.toString(x.shape()), err);
            assertTrue(err <= 1e-5, name + ": ONNX Runtime's relative error " + err);
        } else System.out.println("onnx: " + name + ": ONNX Runtime cannot load here, its check is skipped: " + OrtRunner.why());
        OnnxModel loaded = Onnx.load(file);
        loaded.eval();
        try (NoGrad g = NoGrad.enter()) {
            double err = Norms.relativeError(loaded.call(x).toFloatArray(), expected);
            System.out.printf("onnx: %s: imported vs original relative error %.3g%n", name, err);
            assertTrue(err <= 1e-5, name + ": the imported model's relative error " + err);
        }
    }
}
