package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;

/** Reads the reference files PyTorch wrote for the zoo layers (resources org/jgrad/nn/zoo, see make_zoo_layer_fixtures.py). */
final class ZooFixtures {
    private ZooFixtures() {}

    static Map<String, Tensor> load(String name) {
        String resource = "zoo/" + name + ".safetensors";
        try (InputStream in = ZooFixtures.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource);
            Path tmp = Files.createTempFile("zoo-" + name, ".safetensors");
            try {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return SafeTensors.load(tmp).tensors();
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same shape, and every element within {@code atol + rtol·|expected|}. */
    static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i])))
                assertEquals(e[i], a[i], what + ": element " + i);
    }

    /** Bit-for-bit equal values (−0 and +0 treated alike). */
    static void assertExact(Tensor expected, Tensor actual, String what) {
        assertClose(expected, actual, 0, 0, what);
    }

    /** Runs {@code y = f(x)}, backpropagates {@code gy}, and returns {@code [y, x.grad]}. */
    static Tensor[] forwardBackward(java.util.function.Function<Tensor, Tensor> f, Tensor x, Tensor gy) {
        Tensor leaf = x.copy().requiresGrad(true);
        Tensor y = f.apply(leaf);
        y.mul(gy).sum().backward();
        return new Tensor[] {y, leaf.grad()};
    }
}
