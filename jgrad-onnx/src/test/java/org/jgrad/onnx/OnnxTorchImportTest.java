package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.functional.F;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ResNet-18 exported by PyTorch's {@code torch.onnx.export} (torchvision's architecture at 1/16 of
 * its width, batch norms folded into the convolutions as the exporter does; written by
 * {@code make_torch_resnet18.py} next to the fixture) loads into jgrad, reproduces PyTorch's logits,
 * runs other batch sizes, and fine-tunes.
 */
class OnnxTorchImportTest {
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

    private float[] floats(String name) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(fixture(name))).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    @Test
    void pytorchExportedResNet18ReproducesPyTorchsLogits() throws Exception {
        OnnxModel m = Onnx.load(fixture("resnet18_w16.onnx"));
        m.eval();
        Tensor x = TensorData.wrap(floats("resnet18_w16.input.f32"), 2, 3, 32, 32);
        float[] expected = floats("resnet18_w16.output.f32");
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = m.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        System.out.printf("onnx: PyTorch-exported ResNet-18 (width/16): jgrad vs PyTorch relative error %.3g%n", err);
        assertTrue(err <= 1e-5, "relative error " + err);

        // The batch dimension is free: one sample alone gives its row of the batch's logits.
        float[] one;
        try (NoGrad g = NoGrad.enter()) {
            one = m.call(x.narrow(0, 1, 1).contiguous()).toFloatArray();
        }
        float[] row = java.util.Arrays.copyOfRange(expected, 10, 20);
        assertTrue(Norms.relativeError(one, row) <= 1e-5);
    }

    @Test
    void importedModelFineTunes() throws Exception {
        OnnxModel m = Onnx.load(fixture("resnet18_w16.onnx"));
        assertTrue(m.parameters().size() >= 20, "conv weights and biases, fc: " + m.parameters().size());
        for (Tensor p : m.parameters()) assertTrue(p.requiresGrad());
        Tensor x = TensorData.wrap(floats("resnet18_w16.input.f32"), 2, 3, 32, 32);
        Tensor target = Tensor.ofLongs(3, 7);
        SGD opt = new SGD(m.parameters(), 0.05);
        m.train();
        float first = F.crossEntropy(m.call(x), target).item();
        float last = first;
        for (int step = 0; step < 5; step++) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(m.call(x), target);
            loss.backward();
            for (Tensor p : m.parameters()) assertNotNull(p.grad(), "every parameter gets a gradient");
            opt.step();
            last = loss.item();
        }
        assertTrue(last < first, "the loss falls while fine-tuning: " + first + " -> " + last);
        assertEquals(m.parameters().size(), m.stateDict().size(), "folded batch norms leave no buffers");
    }
}
