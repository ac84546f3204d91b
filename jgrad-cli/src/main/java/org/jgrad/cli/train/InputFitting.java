package org.jgrad.cli.train;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jgrad.data.Dataset;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
import org.jgrad.vision.image.Resize;

/**
 * Brings a dataset's images to the size a model takes (e.g. the 8×8 digits up to LeNet-5's 28×28),
 * once, in memory, before training or evaluation.
 */
public final class InputFitting {
  private InputFitting() {}

  /** {@code data} with every image resized to {@code shape} ([C, H, W]); unchanged when it already fits. */
  public static LoadedData fit(LoadedData data, int[] shape) {
    if (Arrays.equals(data.sampleShape(), shape)) return data;
    if (shape.length != 3 || data.sampleShape().length != 3 || shape[0] != data.sampleShape()[0])
      throw new IllegalArgumentException("cannot fit " + str(data.sampleShape()) + " samples to " + str(shape));
    Map<Dataset, Dataset> done = new IdentityHashMap<>();
    return new LoadedData(data.name(), resized(data.train(), shape, done), resized(data.test(), shape, done),
        data.testOrigin(), data.classNames(), shape, data.task(), data.modelArgs());
  }

  // Train and test often share one underlying tensor dataset: resize it once.
  private static Dataset resized(Dataset d, int[] shape, Map<Dataset, Dataset> done) {
    if (done.containsKey(d)) return done.get(d);
    Dataset out;
    if (d instanceof TensorDataset t) {
      out = new TensorDataset(Resize.bilinearBatch(t.inputTensor(), shape[1], shape[2]), t.targetTensor());
    } else if (d instanceof Subset s) {
      out = new Subset(resized(s.dataset(), shape, done), s.indices());
    } else {
      throw new IllegalArgumentException("cannot resize a " + d.getClass().getSimpleName());
    }
    done.put(d, out);
    return out;
  }

  static String str(int[] shape) {
    return String.join("x", Arrays.stream(shape).mapToObj(Integer::toString).toList());
  }
}
