package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.cli.JgradCommandTest.Result;
import org.jgrad.io.PyTorchCheckpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
  @TempDir Path dir;

  private Path fixture(String name) throws IOException {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("pytorch/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void writesTheStateDictAsSafetensors() throws IOException {
    Path pth = fixture("wrapped_state_dict.pth");
    Path out = dir.resolve("model.safetensors");
    Result r = run("convert", pth.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("9 tensors") && r.out().contains("state dict under 'state_dict'"), r.out());
    SafeTensorsFile st = SafeTensors.load(out);
    var want = PyTorchCheckpoint.read(pth).tensors();
    assertEquals(want.keySet(), st.tensors().keySet());
    for (var e : want.entrySet()) {
      Tensor got = st.tensors().get(e.getKey());
      assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
      assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
      if (got.dtype() == org.jgrad.tensor.DType.INT64) {
        assertArrayEquals(e.getValue().toLongArray(), got.toLongArray(), e.getKey());
      } else {
        assertArrayEquals(e.getValue().toFloatArray(), got.toFloatArray(), e.getKey());
      }
    }
    assertEquals("state_dict", st.metadata().get("jgrad.state_dict_key"));
    assertEquals("pt", st.metadata().get("format"));
  }

  @Test
  void aRefusedFileIsOneLineAndWritesNothing() throws IOException {
    Path pth = fixture("os_system.pth");
    Path out = dir.resolve("never.safetensors");
    Result r = run("convert", pth.toString(), out.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("pickle global os.system is not allowed"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(out));
  }

  private Path kerasFixture(String name) throws IOException {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("keras/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void kerasFilesConvertToJgradLayouts() throws IOException {
    Path keras = kerasFixture("tiny_dense.keras");
    Path out = dir.resolve("dense.safetensors");
    Result r = run("convert", keras.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("from the Keras archive"), r.out());
    assertFalse(r.err().contains("SLF4J"), r.err());
    var st = SafeTensors.load(out).tensors();
    assertArrayEquals(new int[] {2, 3}, st.get("dense.weight").shape()); // Keras' [3, 2] kernel, transposed
    assertArrayEquals(new int[] {2}, st.get("dense.bias").shape());

    Path h5 = kerasFixture("tiny_dense_weights.h5");
    Path out2 = dir.resolve("dense2.safetensors");
    Result r2 = run("convert", h5.toString(), out2.toString());
    assertEquals(0, r2.exitCode(), r2.err());
    assertTrue(r2.out().contains("Keras 2 weights-only HDF5 file"), r2.out());
    var st2 = SafeTensors.load(out2).tensors();
    assertArrayEquals(st.get("dense.weight").toFloatArray(), st2.get("dense.weight").toFloatArray());
  }
}
