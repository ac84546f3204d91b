package org.jgrad.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * A model rebuilt from a file {@code jgrad train} wrote (a checkpoint or a weights file): its
 * metadata says which model to build, and the tensors fill it.
 *
 * @param settings the training settings, or null for a weights file without them
 */
public record TrainedModel(ModelSpec spec, Module model, TrainSettings settings) {

  /** Loads {@code file}; the model is in evaluation mode. */
  public static TrainedModel load(Path file) throws IOException {
    if (!java.nio.file.Files.isRegularFile(file)) throw new java.io.FileNotFoundException("no such checkpoint file: " + file);
    SafeTensorsFile f = SafeTensors.load(file);
    Map<String, String> meta = f.metadata();
    ModelSpec spec = ModelSpec.fromMetadata(meta, file.toString());
    Map<String, Tensor> state = Checkpoint.FORMAT_VALUE.equals(meta.get(Checkpoint.FORMAT_KEY))
        ? Checkpoint.load(file).model() : f.tensors();
    Module m = ModelFactory.create(spec);
    m.loadStateDict(state, true);
    m.eval();
    TrainSettings settings = null;
    if (meta.containsKey("jgrad.train.seed")) settings = TrainSettings.fromMetadata(meta, file.toString());
    return new TrainedModel(spec, m, settings);
  }
}
