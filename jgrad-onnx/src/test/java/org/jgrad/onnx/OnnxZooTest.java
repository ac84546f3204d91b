package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo model ({@link ZooCases}) exported to ONNX: ONNX Runtime runs the file with jgrad's
 * outputs, and the file loads back into jgrad with the same outputs and the original's state-dict
 * names, both on a batch of another size than the traced one (the batch dimension is free).
 * Outputs agree when the normwise relative error is at most 1e-5.
 */
class OnnxZooTest {
    @TempDir
    Path dir;

    static List<String> zoo() {
        return ZooCases.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void exportRunsInOnnxRuntimeAndLoadsBack(String name) throws Exception {
        ZooCases.Case c = ZooCases.create(name);
        Module model = c.model();
        Path file = dir.resolve(name + ".onnx");
        Onnx.export(model, c.batch(1, 1), file);
        assertTrue(model.isTraining(), "export restores the training mode");
        model.eval();
        Tensor x = c.batch(3, 2);
        float[] expected;
        try (NoGrad g = NoGrad.enter()) {
            expected = model.call(x).toFloatArray();
        }

        if (!OrtRunner.available())
            System.out.println("onnx: " + name + ": ONNX Runtime cannot load here, its check is skipped: " + OrtRunner.why());
        else {
            float[] ort = OrtRunner.run(Files.readAllBytes(file), x);
            double err = Norms.relativeError(ort, expected);
            System.out.printf("onnx: %s input %s: ONNX Runtime vs jgrad relative error %.3g (%d MB file)%n", name,
                    java.util.Arrays.toString(x.shape()), err, Files.size(file) >> 20);
            assertTrue(err <= 1e-5, name + ": ONNX Runtime's relative error " + err);
        }

        OnnxModel loaded = Onnx.load(file);
        loaded.eval();
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = loaded.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        System.out.printf("onnx: %s: imported vs original relative error %.3g%n", name, err);
        assertTrue(err <= 1e-5, name + ": the imported model's relative error " + err);
        assertEquals(model.namedParameters().keySet(), loaded.namedParameters().keySet(), name + ": parameter names");
        for (var e : model.namedParameters().entrySet())
            assertArrayEquals(e.getValue().shape(), loaded.namedParameters().get(e.getKey()).shape(), e.getKey());
    }
}
