package org.jgrad.cli.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgrad.data.DataFormatException;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.Color;
import org.jgrad.vision.models.ModelInfo;
import org.jgrad.vision.image.ImageFiles;
import org.jgrad.vision.image.ImageFit;

/** Files given to {@code jgrad predict}, turned into model inputs of the shape the model was trained on. */
public final class InputFiles {
  private InputFiles() {}

  /**
   * One input and where it came from ({@code file} or {@code file:line}).
   *
   * @param note what was done to fit it to the model (resized, cropped, made grey), empty when nothing
   */
  public record Input(String label, Tensor tensor, String note) {}

  /**
   * The inputs in {@code file}: one image, decoded exactly ({@link ImageFiles}), brought to the
   * model's channels and to its size by {@code fit}; or one per CSV row for tabular models.
   *
   * @throws IllegalArgumentException when {@code fit} is {@link ImageFit#REFUSE} and the size differs
   */
  public static List<Input> read(Path file, ModelInfo spec, ImageFit fit) throws IOException {
    if (spec.isImage()) {
      int[] s = spec.inputShape();
      Tensor img = ImageFiles.read(file);
      List<String> notes = new ArrayList<>();
      if (img.size(0) != s[0]) {
        notes.add((img.size(0) == 1 ? "grey repeated to RGB" : "RGB converted to grey (BT.601 luma)")
            + " (the model takes " + s[0] + " channel" + (s[0] == 1 ? "" : "s") + ")");
        img = Color.toChannels(img, s[0]);
      }
      ImageFit.Fitted f;
      try {
        f = fit.apply(img, s[1], s[2]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      if (!f.note().isEmpty()) notes.addFirst(f.note() + " (--resize " + fit.optionName() + ")");
      return List.of(new Input(file.toString(), f.image(), String.join("; ", notes)));
    }
    return csvRows(file, spec.inputShape()[0]);
  }

  // Rows have the features, optionally followed by a label, which is ignored; a header line is skipped.
  private static List<Input> csvRows(Path file, int features) throws IOException {
    if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException(file + ": no such file");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".csv") && !name.endsWith(".txt"))
      throw new DataFormatException(file + ": this model takes " + features + " numbers per sample; give a CSV file of rows");
    List<Input> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) continue;
      String[] cells = line.split(",");
      if (cells.length != features && cells.length != features + 1)
        throw new DataFormatException(file + ":" + (i + 1) + ": " + cells.length + " values, expected " + features
            + " features (optionally followed by a label)");
      float[] x = new float[features];
      try {
        for (int j = 0; j < features; j++) x[j] = Float.parseFloat(cells[j].strip());
      } catch (NumberFormatException e) {
        if (out.isEmpty() && i == firstNonBlank(lines)) continue; // a header
        throw new DataFormatException(file + ":" + (i + 1) + ": not a number: " + e.getMessage());
      }
      for (int j = 0; j < features; j++)
        if (!Float.isFinite(x[j]))
          throw new DataFormatException(file + ":" + (i + 1) + ": value " + (j + 1) + " is " + x[j]
              + "; a prediction from a non-finite input would be meaningless");
      out.add(new Input(file + ":" + (i + 1), TensorData.wrap(x, features), ""));
    }
    if (out.isEmpty()) throw new DataFormatException(file + ": no rows");
    return out;
  }

  private static int firstNonBlank(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) if (!lines.get(i).isBlank()) return i;
    return -1;
  }
}
