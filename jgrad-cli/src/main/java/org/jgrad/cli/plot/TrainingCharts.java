package org.jgrad.cli.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Loss and accuracy curves of a run versus the epoch, train and validation, as PNG files. */
public final class TrainingCharts {
  private TrainingCharts() {}

  static {
    Headless.ensure();
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

  static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
