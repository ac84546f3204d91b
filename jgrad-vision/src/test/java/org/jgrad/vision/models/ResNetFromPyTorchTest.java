package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.io.PyTorchCheckpoint;
import org.jgrad.io.Weights;
import org.jgrad.nn.Module;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.transfer.Transfer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torchvision {@code resnet18} state dict saved by {@code torch.save} loads into the zoo's
 * {@code resnet18} with identical weights, gives PyTorch's logits, and serves as the start of the
 * README's transfer-learning example. The 45 MB file is made by make_torchvision_resnet18.py when this
 * test runs, with Debian's python3-torch and python3-torchvision ({@code JGRAD_PYTHON} names another
 * interpreter); without them the tests are skipped, saying so.
 */
class ResNetFromPyTorchTest {
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
    static void makeTheCheckpointWithPyTorch() throws Exception {
        Path log = dir.resolve("python.log");
        if (!Files.isExecutable(Path.of(python())) || !run(log, python(), "-c", "import torch, torchvision")) {
            skipped = "skipped: " + python() + " cannot import torch and torchvision (Debian: apt-get install "
                    + "python3-torch python3-torchvision)";
            return;
        }
        Path script = dir.resolve("make_torchvision_resnet18.py");
        try (InputStream in = ResNetFromPyTorchTest.class.getResourceAsStream("make_torchvision_resnet18.py")) {
            Files.copy(in, script);
        }
        if (!run(log, python(), script.toString(), dir.toString()))
            throw new AssertionError("make_torchvision_resnet18.py failed:\n" + Files.readString(log));
    }

    private static float[] floats(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void torchvisionResnet18LoadsWithIdenticalWeightsAndGivesPyTorchsLogits() throws Exception {
        assumeTrue(skipped == null, skipped);
        Path pth = dir.resolve("resnet18.pth");
        ResNet net = Models.resnet18(1000);
        Weights.load(net, pth);
        Map<String, Tensor> saved = PyTorchCheckpoint.read(pth).tensors();
        Map<String, Tensor> loaded = net.stateDict();
        assertEquals(saved.keySet(), loaded.keySet());
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            Tensor got = loaded.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            if (got.dtype() == DType.INT64) assertArrayEquals(e.getValue().toLongArray(), got.toLongArray(), e.getKey());
            else assertArrayEquals(e.getValue().toFloatArray(), got.toFloatArray(), e.getKey());
        }

        net.eval();
        Tensor y;
        try (var g = NoGrad.enter()) {
            y = net.call(TensorData.wrap(floats(dir.resolve("input.f32")), 2, 3, 64, 64));
        }
        float[] want = floats(dir.resolve("logits.f32")), got = y.toFloatArray();
        assertArrayEquals(new int[] {2, 1000}, y.shape());
        double diff = 0, norm = 0;
        for (int i = 0; i < want.length; i++) {
            diff += (double) (got[i] - want[i]) * (got[i] - want[i]);
            norm += (double) want[i] * want[i];
        }
        double rel = Math.sqrt(diff / norm);
        System.out.printf("resnet18 from torch.save: normwise relative logit error %.3g%n", rel);
        assertEquals(0, rel, 1e-5, "normwise relative error of the logits");
    }

    /**
     * The same network prepared for serving ({@code Inference.prepare}: batch norms folded into the
     * convolutions, weights packed) still gives PyTorch's logits, and so does each of two requests
     * served at once from two threads.
     */
    @Test
    void thePreparedNetworkGivesPyTorchsLogits() throws Exception {
        assumeTrue(skipped == null, skipped);
        ResNet net = Models.resnet18(1000);
        Weights.load(net, dir.resolve("resnet18.pth"));
        Tensor x = TensorData.wrap(floats(dir.resolve("input.f32")), 2, 3, 64, 64);
        org.jgrad.nn.Inference service = org.jgrad.nn.Inference.prepare(net, x.narrow(0, 0, 1));
        assertEquals(20, service.fusions().size(), "every conv + batch norm pair of resnet18: " + service.fusions());
        float[] want = floats(dir.resolve("logits.f32"));
        assertClose(want, service.predict(x).toFloatArray(), "batch 2");
        // One image per request, two request threads at once.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> service.predict(x.narrow(0, 0, 1)).toFloatArray());
            var second = pool.submit(() -> service.predict(x.narrow(0, 1, 1)).toFloatArray());
            assertClose(java.util.Arrays.copyOfRange(want, 0, 1000), first.get(), "request 1");
            assertClose(java.util.Arrays.copyOfRange(want, 1000, 2000), second.get(), "request 2");
        } finally {
            pool.shutdown();
        }
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double diff = 0, norm = 0;
        for (int i = 0; i < want.length; i++) {
            diff += (double) (got[i] - want[i]) * (got[i] - want[i]);
            norm += (double) want[i] * want[i];
        }
        assertEquals(0, Math.sqrt(diff / norm), 1e-5, what + ": normwise relative error of the logits");
    }

    /** The README's "Starting from a PyTorch .pth file" example, on the checkpoint PyTorch just wrote. */
    @Test
    void theReadmesTransferLearningExampleStartsFromThePthFile() throws Exception {
        assumeTrue(skipped == null, skipped);
        Module net = Models.resnet18(1000);
        Weights.load(net, dir.resolve("resnet18.pth"));
        Models.replaceHead(net, 5);
        Transfer.freezeBackbone(net, Transfer.BatchNormStats.FREEZE);
        List<Tensor> trainable = Transfer.trainableParameters(net);
        SGD optimizer = new SGD(trainable, 0.01);

        float[] conv1 = net.stateDict().get("conv1.weight").toFloatArray();
        float[] fc = net.stateDict().get("fc.weight").toFloatArray();
        Generator gen = new Generator(7);
        Transfer.train(net);
        optimizer.zeroGrad();
        Tensor loss = new CrossEntropyLoss().forward(net.call(Tensor.randn(gen, 4, 3, 64, 64)), Tensor.ofLongs(0, 1, 2, 4));
        loss.backward();
        optimizer.step();

        assertEquals(2, trainable.size(), "fc.weight and fc.bias");
        assertArrayEquals(conv1, net.stateDict().get("conv1.weight").toFloatArray(), "the loaded backbone stays as loaded");
        assertFalse(java.util.Arrays.equals(fc, net.stateDict().get("fc.weight").toFloatArray()), "the new head trains");
    }
}
