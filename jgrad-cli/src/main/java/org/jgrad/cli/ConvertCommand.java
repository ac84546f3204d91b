package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jgrad.io.PyTorchCheckpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrad convert model.pth model.safetensors}: a PyTorch checkpoint's state dict as safetensors. */
@Command(
    name = "convert",
    sortOptions = false,
    description = {
      "Convert a PyTorch checkpoint (torch.save: .pth, .pt, .bin) to a safetensors file.",
      "Only the state dict is read (bare, or under 'state_dict', 'model' or 'model_state_dict'); nothing in the file "
          + "is run. float16/bfloat16/float64 tensors are written as float32, integer and bool tensors as int64."})
final class ConvertCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "The PyTorch checkpoint to read.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "The safetensors file to write (replaced atomically if it exists).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
      throw new ParameterException(spec.commandLine(), "IN and OUT are the same file: " + in);
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
}
