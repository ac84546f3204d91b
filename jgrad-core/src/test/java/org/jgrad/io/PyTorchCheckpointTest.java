package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by PyTorch's own {@code torch.save} (pytorch/make_fixtures.py, torch 1.13.1), read and
 * compared element by element with the values PyTorch recorded in pytorch/good/expected.json.
 */
class PyTorchCheckpointTest {
    @TempDir
    Path dir;

    private Path good(String name) throws IOException {
        return copy("pytorch/good/" + name, name);
    }

    private Path copy(String resource, String as) throws IOException {
        Path p = dir.resolve(as);
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            Files.copy(in, p);
        }
        return p;
    }

    private static Json.Obj expected(String group) throws IOException {
        try (InputStream in = PyTorchCheckpointTest.class.getResourceAsStream("pytorch/good/expected.json")) {
            Json.Obj all = Json.parseObject(in.readAllBytes(), 0, Path.of("expected.json"));
            return (Json.Obj) all.members().get(group);
        }
    }

    /** Checks a tensor against one expected.json entry: dtype, shape and every element's bits. */
    private static void assertMatches(String name, Json.Value spec, Tensor t) {
        Json.Obj o = (Json.Obj) spec;
        int[] shape = ((Json.Arr) o.members().get("shape")).items().stream().mapToInt(v -> (int) ((Json.Int) v).value()).toArray();
        assertArrayEquals(shape, t.shape(), name + " shape");
        String dtype = ((Json.Str) o.members().get("dtype")).value();
        if (dtype.equals("float32")) {
            assertEquals(DType.FLOAT32, t.dtype(), name + " dtype");
            List<Json.Value> bits = ((Json.Arr) o.members().get("bits")).items();
            float[] got = t.toFloatArray();
            assertEquals(bits.size(), got.length, name + " numel");
            for (int i = 0; i < got.length; i++)
                assertEquals((int) ((Json.Int) bits.get(i)).value(), Float.floatToRawIntBits(got[i]),
                        name + " element " + i + ": " + Float.intBitsToFloat((int) ((Json.Int) bits.get(i)).value()) + " vs " + got[i]);
        } else {
            assertEquals(DType.INT64, t.dtype(), name + " dtype");
            long[] want = ((Json.Arr) o.members().get("values")).items().stream().mapToLong(v -> ((Json.Int) v).value()).toArray();
            assertArrayEquals(want, t.toLongArray(), name + " values");
        }
    }

    private static void assertAll(Json.Obj expected, Map<String, Tensor> got) {
        assertEquals(List.copyOf(expected.members().keySet()), List.copyOf(got.keySet()), "keys, in order");
        for (Map.Entry<String, Json.Value> e : expected.members().entrySet())
            assertMatches(e.getKey(), e.getValue(), got.get(e.getKey()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtypes.pth", "dtypes_legacy.pth"})
    void everyDtypeAndLayoutMatchesPyTorch(String file) throws IOException {
        PyTorchCheckpoint c = PyTorchCheckpoint.read(good(file));
        assertEquals(file.contains("legacy") ? "legacy" : "zip", c.format());
        assertNull(c.wrapperKey());
        assertAll(expected("dtypes"), c.tensors());
        // Views of one storage come back as separate tensors: writing one leaves the others alone.
        Tensor base = c.tensors().get("base"), t = c.tensors().get("transposed");
        assertTrue(t.isContiguous());
        TensorData.floats(base)[base.offset()] = 99f;
        assertEquals(-1f, t.toFloatArray()[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_cnn.pth", "tiny_cnn_legacy.pth", "tiny_cnn_protocol4.pth"})
    void aSmallCnnGivesPyTorchsOutputs(String file) throws IOException {
        Module net = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(8, 3));
        Weights.load(net, good(file));
        assertAll(expected("tiny_cnn"), net.stateDict());
        Json.Obj in = expected("tiny_cnn_input"), out = (Json.Obj) expected("tiny_cnn_output");
        float[] x = floats(in);
        net.eval();
        Tensor y;
        try (var g = NoGrad.enter()) {
            y = net.call(TensorData.wrap(x, 2, 1, 4, 4));
        }
        float[] want = floats(out), got = y.toFloatArray();
        assertArrayEquals(new int[] {2, 3}, y.shape());
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f, "logit " + i);
    }

    private static float[] floats(Json.Obj o) {
        List<Json.Value> bits = ((Json.Arr) o.members().get("bits")).items();
        float[] f = new float[bits.size()];
        for (int i = 0; i < f.length; i++) f[i] = Float.intBitsToFloat((int) ((Json.Int) bits.get(i)).value());
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict", "model", "model_state_dict"})
    void wrappedStateDictsSayWhichKeyWasUsed(String key) throws IOException {
        PyTorchCheckpoint c = PyTorchCheckpoint.read(good("wrapped_" + key + ".pth"));
        assertEquals(key, c.wrapperKey());
        assertAll(expected("tiny_cnn"), c.tensors());
    }

    @Test
    void bigEndianStoragesAreSwapped() throws IOException {
        PyTorchCheckpoint c = PyTorchCheckpoint.read(good("big_endian.pth"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.tensors().get("w").toFloatArray());
    }

    @Test
    void weightsLoadGoesByContentNotByName() throws IOException {
        Path pth = good("tiny_cnn.pth");
        Path asBin = Files.copy(pth, dir.resolve("pytorch_model.bin"));
        Path misnamed = Files.copy(pth, dir.resolve("looks-like.safetensors"));
        Module a = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(8, 3));
        Weights.load(a, asBin);
        assertAll(expected("tiny_cnn"), a.stateDict());
        Weights.load(a, misnamed);
        // And a safetensors file under a .pth name is read as safetensors.
        Path st = dir.resolve("converted.pth");
        SafeTensors.save(a.stateDict(), st);
        Module b = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(8, 3));
        Weights.load(b, st);
        assertAll(expected("tiny_cnn"), b.stateDict());
    }

    @Test
    void aFailedLoadLeavesTheModelUnchanged() throws IOException {
        Module net = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(8, 4));
        Map<String, Tensor> before = net.stateDict();
        float[] w = before.get("0.weight").toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.load(net, good("tiny_cnn.pth")));
        assertTrue(e.getMessage().contains("size mismatch for 4.weight"), e.getMessage());
        assertArrayEquals(w, net.stateDict().get("0.weight").toFloatArray());
    }

    @Test
    void tensorsAreFreshAndIndependent() throws IOException {
        PyTorchCheckpoint a = PyTorchCheckpoint.read(good("tiny_cnn.pth"));
        PyTorchCheckpoint b = PyTorchCheckpoint.read(dir.resolve("tiny_cnn.pth"));
        assertNotSame(TensorData.floats(a.tensors().get("0.weight")), TensorData.floats(b.tensors().get("0.weight")));
    }

    @Test
    void theMemoryBudgetIsChecked() throws IOException {
        Path f = good("tiny_cnn.pth");
        PyTorchFormatException e = assertThrows(PyTorchFormatException.class, () -> PyTorchCheckpoint.read(f, 100));
        assertTrue(e.getMessage().contains("more than the budget of 100 bytes"), e.getMessage());
        assertEquals(f, e.file());
    }
}
