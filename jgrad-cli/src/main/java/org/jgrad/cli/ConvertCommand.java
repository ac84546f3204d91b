package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jgrad.io.PyTorchCheckpoint;
import org.jgrad.keras.KerasFile;
import org.jgrad.keras.KerasWeights;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad convert model.pth model.safetensors}: a PyTorch checkpoint's state dict, or a Keras file's
 * weights in jgrad's layouts, as safetensors.
 */
@Command(
    name = "convert",
    sortOptions = false,
    description = {
      "Convert a PyTorch checkpoint or a Keras model file to a safetensors file.",
      "It reads torch.save files (.pth, .pt, .bin), .keras archives and .h5 files.",
      "PyTorch: only the state dict is read (bare, or under 'state_dict', 'model' or 'model_state_dict'); nothing in "
          + "the file is run. float16/bfloat16/float64 tensors are written as float32, integer and bool tensors as int64.",
      "Keras: the weights in jgrad's (PyTorch's) layouts, keyed by Keras layer name (conv kernels OIHW, Dense kernels "
          + "transposed, batch-norm moving statistics as running_mean and running_var); an archive or full-model file "
          + "through the model its config builds, a Keras 2 weights-only file by its arrays' names."})
final class ConvertCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "The PyTorch checkpoint or Keras file to read.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "The safetensors file to write (replaced atomically if it exists).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
      throw new ParameterException(spec.commandLine(), "IN and OUT are the same file: " + in);
    }
    if (Files.isRegularFile(in) && KerasFile.looksLikeKeras(in)) {
      return convertKeras();
    }
    PyTorchCheckpoint ckpt = PyTorchCheckpoint.read(in);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt"); // what Hugging Face's converter writes: tensors in PyTorch's layout
    metadata.put("jgrad.converted_from", String.valueOf(in.getFileName()));
    if (ckpt.wrapperKey() != null) {
      metadata.put("jgrad.state_dict_key", ckpt.wrapperKey());
    }
    SafeTensors.save(ckpt.tensors(), out, metadata);
    long elements = 0;
    for (Tensor t : ckpt.tensors().values()) {
      elements += t.numel();
    }
    PrintWriter w = spec.commandLine().getOut();
    w.printf("%s: %d tensors (%,d values) from the %s%s%n", in, ckpt.tensors().size(), elements,
        ckpt.format().equals("zip") ? "torch.save archive" : "legacy torch.save file",
        ckpt.wrapperKey() == null ? "" : ", state dict under '" + ckpt.wrapperKey() + "'");
    w.printf("wrote %s (%,d bytes)%n", out, Files.size(out));
    w.flush();
    return 0;
  }

  private int convertKeras() throws IOException {
    KerasFile.Format format = KerasFile.read(in).format();
    Map<String, Tensor> tensors = KerasWeights.read(in);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt"); // converted to PyTorch's layouts
    metadata.put("jgrad.converted_from", String.valueOf(in.getFileName()));
    metadata.put("jgrad.keras_format", format.name());
    SafeTensors.save(tensors, out, metadata);
    long elements = 0;
    for (Tensor t : tensors.values()) {
      elements += t.numel();
    }
    String what = switch (format) {
      case KERAS_ARCHIVE -> "Keras archive";
      case H5_FULL_MODEL -> "Keras 2 full-model HDF5 file";
      case H5_WEIGHTS -> "Keras 2 weights-only HDF5 file";
      case KERAS3_WEIGHTS -> "Keras 3 weights file";
    };
    PrintWriter w = spec.commandLine().getOut();
    w.printf("%s: %d tensors (%,d values) from the %s, in jgrad's layouts%n", in, tensors.size(), elements, what);
    w.printf("wrote %s (%,d bytes)%n", out, Files.size(out));
    w.flush();
    return 0;
  }
}
