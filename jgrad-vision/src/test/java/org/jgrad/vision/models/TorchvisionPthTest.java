package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.io.PyTorchCheckpoint;
import org.jgrad.io.Weights;
import org.jgrad.nn.Module;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision's {@code mobilenet_v2} and {@code densenet121} state dicts, saved by {@code torch.save},
 * load into the zoo's models of the same names with identical tensors and give PyTorch's logits (the
 * interop issue's acceptance; resnet18 is {@link ResNetFromPyTorchTest}). The files are made by
 * make_torchvision_pth.py when this test runs, with Debian's python3-torch and python3-torchvision
 * ({@code JGRAD_PYTHON} names another interpreter); without them the tests are skipped, saying so.
 */
class TorchvisionPthTest {
    private static final String[] NAMES = {"mobilenet_v2", "densenet121"};
    @TempDir
    static Path dir;
    private static String skipped;

    private static String python() {
        String p = System.getenv("JGRAD_PYTHON");
        return p != null && !p.isBlank() ? p : "/usr/bin/python3";
    }

    private static boolean run(Path log, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @BeforeAll
    static void makeTheCheckpointsWithPyTorch() throws Exception {
        Path log = dir.resolve("python.log");
        if (!Files.isExecutable(Path.of(python())) || !run(log, python(), "-c", "import torch, torchvision")) {
            skipped = "skipped: " + python() + " cannot import torch and torchvision (Debian: apt-get install "
                    + "python3-torch python3-torchvision)";
            return;
        }
        Path script = dir.resolve("make_torchvision_pth.py");
        try (InputStream in = TorchvisionPthTest.class.getResourceAsStream("make_torchvision_pth.py")) {
            Files.copy(in, script);
        }
        String[] cmd = new String[3 + NAMES.length];
        cmd[0] = python();
        cmd[1] = script.toString();
        cmd[2] = dir.toString();
        System.arraycopy(NAMES, 0, cmd, 3, NAMES.length);
        if (!run(log, cmd)) throw new AssertionError("make_torchvision_pth.py failed:\n" + Files.readString(log));
    }

    private static float[] floats(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2", "densenet121"})
    void torchSavedStateDictLoadsAndGivesPyTorchsLogits(String name) throws Exception {
        assumeTrue(skipped == null, skipped);
        Path pth = dir.resolve(name + ".pth");
        Module net = Models.create(name, 1000, 3);
        Weights.load(net, pth);
        Map<String, Tensor> saved = PyTorchCheckpoint.read(pth).tensors();
        Map<String, Tensor> loaded = net.stateDict();
        assertEquals(saved.keySet(), loaded.keySet(), name + ": state-dict keys");
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            Tensor got = loaded.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            if (got.dtype() == DType.INT64) assertArrayEquals(e.getValue().toLongArray(), got.toLongArray(), e.getKey());
            else assertArrayEquals(e.getValue().toFloatArray(), got.toFloatArray(), e.getKey());
        }

        net.eval();
        Tensor y;
        try (var g = NoGrad.enter()) {
            y = net.call(TensorData.wrap(floats(dir.resolve(name + ".input.f32")), 2, 3, 64, 64));
        }
        float[] want = floats(dir.resolve(name + ".logits.f32")), got = y.toFloatArray();
        assertArrayEquals(new int[] {2, 1000}, y.shape());
        double diff = 0, norm = 0;
        for (int i = 0; i < want.length; i++) {
            diff += (double) (got[i] - want[i]) * (got[i] - want[i]);
            norm += (double) want[i] * want[i];
        }
        double rel = Math.sqrt(diff / norm);
        System.out.printf("%s from torch.save: normwise relative logit error %.3g%n", name, rel);
        assertEquals(0, rel, 1e-5, name + ": normwise relative error of the logits");
    }
}
