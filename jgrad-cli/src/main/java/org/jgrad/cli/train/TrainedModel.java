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

  /**
   * The metadata describe the model to build; before building it (a claim of 5 million classes would
   * allocate gigabytes), they must agree with the tensors actually in the file: the output layer's
   * bias has one entry per class, and no size exceeds the number of values the file holds.
   */
  static void checkAgainstTensors(ModelSpec spec, Map<String, Tensor> state, Path file) {
    long values = 0;
    boolean classBias = false;
    for (Tensor t : state.values()) {
      values += t.numel();
      if (t.dim() == 1 && t.size(0) == spec.numClasses()) classBias = true;
    }
    long inputs = 1;
    for (int d : spec.inputShape()) inputs *= d;
    if (spec.numClasses() > values || spec.inChannels() > values || !classBias)
      throw new IllegalArgumentException(file + ": its metadata claim a " + spec.model() + " with " + spec.numClasses()
          + " classes and " + spec.inChannels() + " input channels, but the file's " + state.size() + " tensors ("
          + values + " values) have no output layer of " + spec.numClasses() + " entries; the metadata do not"
          + " describe these weights");
    if (inputs > org.jgrad.vision.image.Images.maxPixels() * 3)
      throw new IllegalArgumentException(file + ": its metadata claim inputs of " + spec.shapeString() + ", more than"
          + " jgrad's image limit (" + org.jgrad.vision.image.Images.maxPixels() + " pixels of 3 channels)");
  }

  /** Loads {@code file}; the model is in evaluation mode. */
  public static TrainedModel load(Path file) throws IOException {
    if (!java.nio.file.Files.isRegularFile(file)) throw new java.io.FileNotFoundException("no such checkpoint file: " + file);
    SafeTensorsFile f = SafeTensors.load(file);
    Map<String, String> meta = f.metadata();
    ModelSpec spec = ModelSpec.fromMetadata(meta, file.toString());
    Map<String, Tensor> state = Checkpoint.FORMAT_VALUE.equals(meta.get(Checkpoint.FORMAT_KEY))
        ? Checkpoint.load(file).model() : f.tensors();
    checkAgainstTensors(spec, state, file);
    Module m = ModelFactory.create(spec);
    m.loadStateDict(state, true);
    m.eval();
    for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
      if (e.getValue().dtype() != org.jgrad.tensor.DType.FLOAT32) continue;
      for (float v : e.getValue().toFloatArray())
        if (!Float.isFinite(v))
          throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' holds " + v + "; a model with"
              + " non-finite weights gives meaningless outputs (was it saved from a run that diverged?)");
    }
    TrainSettings settings = null;
    if (meta.containsKey("jgrad.train.seed")) settings = TrainSettings.fromMetadata(meta, file.toString());
    return new TrainedModel(spec, m, settings);
  }
}
