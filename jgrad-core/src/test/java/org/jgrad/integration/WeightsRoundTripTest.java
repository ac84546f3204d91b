package org.jgrad.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.io.SafeTensorsException;
import org.jgrad.io.Weights;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save → load gives bit-identical outputs; a corrupt or mismatched file leaves the model untouched. */
class WeightsRoundTripTest {
    @TempDir Path dir;

    static Module net(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(4, 8, true, g), new BatchNorm1d(8), new ReLU(), new Linear(8, 3, true, g));
    }

    static float[] outputs(Module m, Tensor x) {
        m.eval();
        try (NoGrad g = NoGrad.enter()) {
            return m.call(x).toFloatArray();
        }
    }

    @Test
    void saveThenLoadGivesBitIdenticalOutputs() throws IOException {
        Module a = net(1);
        Tensor x = Tensor.randn(new Generator(9), 16, 4);
        a.train();
        try (NoGrad g = NoGrad.enter()) {
            a.call(x); // moves the batch-norm running statistics away from their initial values
        }
        Path f = dir.resolve("model.safetensors");
        Weights.save(a, f, Map.of("arch", "test-mlp"));
        Module b = net(2);
        Weights.load(b, f);
        assertArrayEquals(outputs(a, x), outputs(b, x), 0f);
    }

    @Test
    void truncatedFileIsRejectedAndTheModelIsUnchanged() throws IOException {
        Module a = net(1);
        Path f = dir.resolve("model.safetensors");
        Weights.save(a, f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 7));
        Module b = net(2);
        Tensor x = Tensor.randn(new Generator(9), 5, 4);
        float[] before = outputs(b, x);
        var e = assertThrows(SafeTensorsException.class, () -> Weights.load(b, f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertArrayEquals(before, outputs(b, x), 0f);
    }

    @Test
    void wrongArchitectureListsEveryMismatchAndChangesNothing() throws IOException {
        Path f = dir.resolve("other.safetensors");
        Generator g = new Generator(3);
        Weights.save(new Sequential(new Linear(4, 5, true, g), new ReLU(), new Linear(5, 3, true, g)), f);
        Module b = net(2);
        Tensor x = Tensor.randn(new Generator(9), 5, 4);
        float[] before = outputs(b, x);
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(b, f));
        String m = e.getMessage();
        assertTrue(m.contains("0.weight") && m.contains("1.running_mean") && m.contains("2.weight"), m);
        assertArrayEquals(before, outputs(b, x), 0f);
    }
}
