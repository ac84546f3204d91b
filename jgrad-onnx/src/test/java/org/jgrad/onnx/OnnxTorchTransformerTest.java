package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attention and layer norm in: a token-id model with a 2-layer pre-norm {@code nn.TransformerEncoder}
 * (causal mask, padding mask computed from the ids, GELU, final LayerNorm) exported by PyTorch's
 * {@code torch.onnx.export} ({@code make_torch_transformer.py} next to the fixtures) reproduces
 * PyTorch's outputs, and, at another batch size and length, ONNX Runtime's outputs for the same file.
 */
class OnnxTorchTransformerTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertNotNull(in, name);
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void pytorchExportedTransformerReproducesPyTorch() throws Exception {
        Path file = fixture("torch_transformer.onnx");
        OnnxModel m = Onnx.load(file);
        m.eval();
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(fixture("torch_transformer.input.i64"))).order(ByteOrder.LITTLE_ENDIAN);
        long[] ids = new long[in.remaining() / 8];
        in.asLongBuffer().get(ids);
        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(fixture("torch_transformer.output.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[out.remaining() / 4];
        out.asFloatBuffer().get(expected);
        Tensor x = Tensor.ofLongs(ids).reshape(3, 7);
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = m.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        System.out.printf("onnx: PyTorch-exported transformer: jgrad vs PyTorch relative error %.3g%n", err);
        assertTrue(err <= 1e-5, "relative error " + err);

        // Another batch size and length: the file's shapes are computed from the input's.
        Tensor shorter = x.narrow(0, 1, 2).narrow(1, 0, 5).contiguous();
        if (!OrtRunner.available()) {
            System.out.println("onnx: ONNX Runtime cannot load here, its check is skipped: " + OrtRunner.why());
            return;
        }
        float[] reference = OrtRunner.run(Files.readAllBytes(file), shorter);
        try (NoGrad g = NoGrad.enter()) {
            err = Norms.relativeError(m.call(shorter).toFloatArray(), reference);
        }
        System.out.printf("onnx: PyTorch-exported transformer at [2, 5]: jgrad vs ONNX Runtime relative error %.3g%n", err);
        assertTrue(err <= 1e-5, "relative error at [2, 5]: " + err);

        // It fine-tunes: the gradient reaches the embedding through attention and the norms.
        m.train();
        m.call(x).square().sum().backward();
        for (var p : m.namedParameters().entrySet())
            if (p.getKey().contains("embed")) assertNotNull(p.getValue().grad(), p.getKey() + " gets a gradient");
    }
}
