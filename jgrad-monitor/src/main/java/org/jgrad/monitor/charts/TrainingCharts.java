package org.jgrad.monitor.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.train.Callback;
import org.jgrad.train.EpochLog;
import org.jgrad.train.History;
import org.jgrad.train.Trainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss and accuracy curves of a run versus the epoch, train and validation, as PNG files
 * ({@code loss.png}, {@code accuracy.png}; drawn with XChart, off-screen). As a {@link Trainer}
 * callback it draws them when training ends, from the epochs it saw:
 *
 * <pre>{@code
 * Trainer t = Trainer.builder(model, opt, loss).epochs(10).callback(new TrainingCharts(Path.of("runs/mnist"))).build();
 * }</pre>
 *
 * A resumed run's earlier epochs are in its {@code metrics.csv}: {@link #write(MetricsTable, Path)}
 * with {@link MetricsTable#read} draws them all.
 */
public final class TrainingCharts implements Callback {
  static {
    Headless.ensure();
  }

  private final Path dir;
  private final List<EpochLog> epochs = new ArrayList<>();
  private List<Path> written = List.of();

  /** Draws the charts into {@code dir} when training ends. */
  public TrainingCharts(Path dir) {
    this.dir = dir;
  }

  @Override
  public void onEpochEnd(Trainer trainer, EpochLog log) {
    epochs.add(log);
  }

  @Override
  public void onTrainEnd(Trainer trainer, History history) {
    try {
      java.nio.file.Files.createDirectories(dir);
      written = write(MetricsTable.of(epochs), dir);
    } catch (IOException e) {
      throw new UncheckedIOException("TrainingCharts: cannot write the charts into " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The files drawn when training ended (empty before). */
  public List<Path> files() {
    return written;
  }

  /** Writes {@code loss.png} and, for classification, {@code accuracy.png} into {@code dir}; returns the files. */
  public static List<Path> write(MetricsTable m, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (m.rows().isEmpty()) return files;
    files.add(save(curve(m, "Loss", "loss", "cross-entropy"), dir.resolve("loss.png")));
    if (m.has("accuracy")) files.add(save(curve(m, "Accuracy", "accuracy", "accuracy"), dir.resolve("accuracy.png")));
    return files;
  }

  private static XYChart curve(MetricsTable m, String title, String metric, String yTitle) {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
    Styler.LegendPosition legend = metric.equals("loss") ? Styler.LegendPosition.InsideNE : Styler.LegendPosition.InsideSE;
    chart.getStyler().setLegendPosition(legend);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setXAxisDecimalPattern("#");
    double[] epochs = m.column("epoch");
    add(chart, "train", epochs, m.column(metric));
    if (m.has("val_" + metric)) add(chart, "validation", epochs, m.column("val_" + metric));
    return chart;
  }

  private static void add(XYChart chart, String name, double[] x, double[] y) {
    List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(y[i])) continue;
      xs.add(x[i]);
      ys.add(y[i]);
    }
    chart.addSeries(name, xs, ys).setMarker(xs.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
  }

  /** Writes {@code chart} as a PNG file; returns the file. */
  static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
