package org.jgrad.cli.train;

import java.util.List;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.ConfusionMatrix;

/** Confusion matrices labelled with the dataset's class names rather than indices. */
public final class Confusions {
  private Confusions() {}

  /** A copy of {@code cm} whose classes are called {@code names}; {@code cm} itself when the sizes differ. */
  public static ConfusionMatrix named(ConfusionMatrix cm, List<String> names) {
    int c = cm.numClasses();
    if (names.size() != c) return cm;
    ConfusionMatrix out = new ConfusionMatrix(names);
    int n = (int) cm.total();
    long[] pred = new long[n], actual = new long[n];
    int k = 0;
    for (int t = 0; t < c; t++)
      for (int p = 0; p < c; p++)
        for (long i = cm.count(t, p); i > 0; i--, k++) {
          actual[k] = t;
          pred[k] = p;
        }
    return n == 0 ? out : out.add(TensorData.wrapLongs(pred, n), TensorData.wrapLongs(actual, n));
  }
}
