package org.jgrad.cli.train;

import org.jgrad.autograd.NoGrad;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.nn.Module;
import org.jgrad.train.ConfusionMatrix;
import org.jgrad.vision.transforms.Normalization;

/** Classification accuracy of a model on a dataset, without a trainer (nothing to optimize). */
public final class Evaluation {
  private Evaluation() {}

  /**
   * The confusion matrix of {@code model} on {@code data}, with the given class names; image batches
   * are normalised first as the model was trained.
   */
  public static ConfusionMatrix confusion(Module model, Normalization normalization, Dataset data,
      java.util.List<String> classNames) {
    ConfusionMatrix cm = new ConfusionMatrix(classNames);
    model.eval();
    try (NoGrad g = NoGrad.enter()) {
      for (Batch b : DataLoader.builder(data).batchSize(256).build())
        cm.add(model.call(b.inputs().dim() == 4 ? normalization.apply(b.inputs()) : b.inputs()).argmax(1, false), b.targets());
    }
    return cm;
  }
}
