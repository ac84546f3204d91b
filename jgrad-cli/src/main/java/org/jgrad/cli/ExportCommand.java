package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jgrad.cli.train.TrainedModel;
import org.jgrad.onnx.Onnx;
import org.jgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrad export --checkpoint model.safetensors --onnx model.onnx}: a trained model as an ONNX file. */
@Command(
    name = "export",
    sortOptions = false,
    description = {
      "Export a trained model to ONNX (opset 17) for a serving runtime (ONNX Runtime, TensorRT, OpenVINO, the browser).",
      "The model is traced through one forward pass in evaluation mode; the batch dimension stays free (any batch size"
          + " runs), the weights are stored under their state-dict names."})
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--onnx", required = true, paramLabel = "FILE",
      description = "The ONNX file to write (replaced atomically if it exists).")
  Path onnx;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(onnx) && Files.exists(modelOptions.checkpoint) && Files.isSameFile(onnx, modelOptions.checkpoint)) {
      throw new ParameterException(spec.commandLine(), "--onnx would overwrite the checkpoint " + modelOptions.checkpoint);
    }
    TrainedModel tm = modelOptions.load(spec);
    int[] sample = tm.info().inputShape();
    int[] shape = new int[sample.length + 1];
    shape[0] = 1;
    System.arraycopy(sample, 0, shape, 1, sample.length);
    Onnx.export(tm.model(), Tensor.zeros(shape), onnx);
    PrintWriter w = spec.commandLine().getOut();
    w.printf("wrote %s (%,d bytes): %s as ONNX opset 17, input 'input' [batch, %s], output 'output'%n", onnx,
        Files.size(onnx), tm.info().model(), String.join(", ", Arrays.stream(sample).mapToObj(String::valueOf).toList()));
    w.flush();
    return 0;
  }
}
