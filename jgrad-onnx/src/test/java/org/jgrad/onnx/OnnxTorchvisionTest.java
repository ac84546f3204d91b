package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The full-size import check: torchvision models that {@code torch.onnx.export} wrote (at their
 * real sizes, so not committed) load into jgrad and reproduce PyTorch's logits. Run
 * {@code make_torchvision_onnx.py <folder>} (next to this test's fixtures) with Debian's
 * {@code /usr/bin/python3}, then {@code -Djgrad.onnx.torchvision=<folder>}; skipped without it.
 */
class OnnxTorchvisionTest {
    @TestFactory
    Stream<DynamicTest> torchvisionModelsReproducePyTorch() throws Exception {
        String dir = System.getProperty("jgrad.onnx.torchvision");
        Assumptions.assumeTrue(dir != null, "set -Djgrad.onnx.torchvision=<folder written by make_torchvision_onnx.py>"
                + " to run the full-size torchvision import check");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (!n.endsWith(".onnx")) continue;
                String name = n.substring(0, n.length() - 5);
                tests.add(DynamicTest.dynamicTest(name, () -> check(f.resolveSibling(name))));
            }
        }
        return tests.stream();
    }

    private static void check(Path base) throws Exception {
        String[] dims = Files.readString(Path.of(base + ".shape")).trim().split(" ");
        int[] shape = java.util.Arrays.stream(dims).mapToInt(Integer::parseInt).toArray();
        Tensor x = TensorData.wrap(floats(Path.of(base + ".input.f32")), shape);
        float[] expected = floats(Path.of(base + ".output.f32"));
        long t0 = System.nanoTime();
        OnnxModel m = Onnx.load(Path.of(base + ".onnx"));
        m.eval();
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = m.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        System.out.printf("onnx: torchvision %s (%d nodes, %d parameters): jgrad vs PyTorch relative error %.3g (%.1f s)%n",
                base.getFileName(), m.nodeCount(), m.parameters().size(), err, (System.nanoTime() - t0) / 1e9);
        assertTrue(err <= 1e-5, base.getFileName() + ": relative error " + err);
    }

    private static float[] floats(Path p) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
