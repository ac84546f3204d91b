package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jgrad.cli.train.TrainedModel;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.Module;
import org.jgrad.onnx.Onnx;
import org.jgrad.tensor.DType;
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
          + " runs), and so does the number of steps of a text model's token ids where the model allows it; the weights"
          + " are stored under their state-dict names."})
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
    Tensor example = exampleInput(tm.model(), sample);
    Onnx.export(tm.model(), example, onnx);
    PrintWriter w = spec.commandLine().getOut();
    w.printf("wrote %s (%,d bytes): %s as ONNX opset 17, input 'input' [batch, %s]%s, output 'output'%n", onnx,
        Files.size(onnx), tm.info().model(), String.join(", ", Arrays.stream(sample).mapToObj(String::valueOf).toList()),
        example.dtype() == DType.INT64 ? " of int64 token ids" : "");
    w.flush();
    return 0;
  }

  /**
   * One example of the model's input, for the trace: token ids {@code [1, T]} (int64) when the model reads
   * a sequence {@code [T]} with an {@link Embedding} as its first layer (the text models of the zoo), else
   * zeros. The ids are words, none of them padding (id 0), so that the trace sees full rows.
   */
  static Tensor exampleInput(Module model, int[] sample) {
    int[] shape = new int[sample.length + 1];
    shape[0] = 1;
    System.arraycopy(sample, 0, shape, 1, sample.length);
    if (sample.length != 1 || !(firstLayer(model) instanceof Embedding e)) return Tensor.zeros(shape);
    long[] ids = new long[sample[0]];
    int vocabulary = e.numEmbeddings();
    for (int t = 0; t < ids.length; t++) ids[t] = vocabulary > 1 ? 1 + t % (vocabulary - 1) : 0;
    return Tensor.ofLongs(ids).reshape(shape);
  }

  /** The first module without submodules, in registration order (the layer that reads the input in the zoo's models). */
  private static Module firstLayer(Module model) {
    for (Module m : model.modules()) if (m != model && m.children().isEmpty()) return m;
    return null;
  }
}
