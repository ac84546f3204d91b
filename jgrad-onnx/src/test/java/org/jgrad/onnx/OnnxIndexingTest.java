package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.Module;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index ops in exported graphs: {@code index_select} (ONNX Gather, with a 1-D and a 0-d index),
 * {@code gather} (GatherElements) and {@code flip} (a Slice with step −1, as in the kernel of
 * {@code convolve2d}), checked against ONNX Runtime and the re-imported model.
 */
class OnnxIndexingTest {
    @TempDir
    Path dir;

    static final class Indexing extends Module {
        final Tensor kernel = registerParameter("kernel", Tensor.randn(new Generator(2), 3, 2));
        final Tensor rows = Tensor.ofLongs(4, 0, 0, 2);
        final Tensor one = Tensor.ofLongs(3);
        final Tensor picks = Tensor.ofLongs(0, 4, 1, 1, 4, 0, 3, 2, 2, 4, 0, 1).reshape(1, 2, 6);

        @Override
        public Tensor forward(Tensor x) {
            Tensor a = x.indexSelect(1, rows); // [1, 4, 6]
            Tensor b = x.indexSelect(2, one.reshape()); // [1, 5, 1]
            Tensor c = x.gather(1, picks); // [1, 2, 6]
            Tensor d = ConvOps.convolve2d(x.squeeze(0), kernel, "same").unsqueeze(0); // [1, 5, 6]
            return Tensor.cat(1, a, c, d).add(b.sum(new int[] {1}, true).mul(0.1f));
        }
    }

    @Test
    void indexOpsExportAndLoadBack() throws Exception {
        Indexing m = new Indexing();
        Tensor x = Tensor.randn(new Generator(1), 1, 5, 6);
        Path file = dir.resolve("indexing.onnx");
        Onnx.export(m, x, file);
        float[] expected;
        try (NoGrad g = NoGrad.enter()) {
            expected = m.call(x).toFloatArray();
        }
        if (OrtRunner.available()) {
            double err = Norms.relativeError(OrtRunner.run(Files.readAllBytes(file), x), expected);
            System.out.printf("onnx: index ops: ONNX Runtime vs jgrad relative error %.3g%n", err);
            assertTrue(err <= 1e-5, "ONNX Runtime's relative error " + err);
        } else System.out.println("onnx: index ops: ONNX Runtime cannot load here, its check is skipped: " + OrtRunner.why());
        OnnxModel loaded = Onnx.load(file);
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = loaded.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        System.out.printf("onnx: index ops: imported vs original relative error %.3g%n", err);
        assertTrue(err <= 1e-5, "the imported model's relative error " + err);
        for (String op : new String[] {"Gather", "GatherElements", "Slice"})
            assertTrue(BadOnnxFiles.parse(Files.readAllBytes(file)).getGraph().getNodeList().stream()
                    .anyMatch(n -> n.getOpType().equals(op)), op);
    }
}
