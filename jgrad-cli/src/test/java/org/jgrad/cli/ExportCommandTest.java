package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.autograd.NoGrad;
import org.jgrad.cli.JgradCommandTest.Result;
import org.jgrad.nn.Module;
import org.jgrad.onnx.Onnx;
import org.jgrad.onnx.OnnxModel;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.ModelInfo;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.Models;
import org.jgrad.vision.models.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  @TempDir Path dir;

  @Test
  void exportsASavedModelThatLoadsBackWithTheSameOutputs() throws Exception {
    Module net = Models.lenet5(10);
    Path saved = dir.resolve("model.safetensors");
    SavedModel.save(net, ModelInfo.of("lenet5", new int[] {1, 28, 28}, 10), saved);
    Path onnx = dir.resolve("lenet5.onnx");
    Result r = run("export", "--checkpoint", saved.toString(), "--onnx", onnx.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("wrote " + onnx) && r.out().contains("[batch, 1, 28, 28]"), r.out());
    OnnxModel back = Onnx.load(onnx);
    back.eval();
    net.eval();
    Tensor x = Tensor.randn(new Generator(4), 5, 1, 28, 28);
    try (NoGrad g = NoGrad.enter()) {
      assertTrue(back.call(x).allClose(net.call(x), 1e-5f, 1e-6f));
    }
  }

  @Test
  void aTokenModelExportsWithTokenIdsOfAnyBatchAndLength() throws Exception {
    ModelInfo info = ModelInfo.of("transformer_classifier", new int[] {12}, 3);
    org.jgrad.nn.DefaultGenerator.manualSeed(5);
    Module net = ModelRegistry.get("transformer_classifier").create(info.args());
    Path saved = dir.resolve("text.safetensors");
    SavedModel.save(net, info, saved);
    Path onnx = dir.resolve("text.onnx");
    Result r = run("export", "--checkpoint", saved.toString(), "--onnx", onnx.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("[batch, 12] of int64 token ids"), r.out());
    OnnxModel back = Onnx.load(onnx);
    back.eval();
    net.eval();
    // Rows padded with id 0 after their own lengths, at a batch size and a length the export did not trace.
    long[] ids = {5, 9, 2, 7, 1, 3, 0, 0, 0, 0,
                  8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  4, 4, 6, 1, 2, 3, 9, 9, 1, 2};
    Tensor x = Tensor.ofLongs(ids).reshape(3, 10);
    try (NoGrad g = NoGrad.enter()) {
      Tensor expected = net.call(x), actual = back.call(x);
      assertTrue(actual.allClose(expected, 1e-5f, 1e-6f), actual + " vs " + expected);
    }
  }

  @Test
  void aMissingCheckpointIsAUsageError() {
    Path onnx = dir.resolve("never.onnx");
    Result r = run("export", "--checkpoint", dir.resolve("missing.safetensors").toString(), "--onnx", onnx.toString());
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertFalse(Files.exists(onnx));
  }
}
