package org.jgrad.monitor.charts;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.train.ConfusionMatrix;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/** A confusion matrix as a PNG heat map: true class down, predicted class across, counts in the cells. */
public final class ConfusionHeatMap {
  private ConfusionHeatMap() {}

  static {
    Headless.ensure();
  }

  /** Draws {@code cm} into {@code file} (a {@code .png}). */
  public static Path write(ConfusionMatrix cm, Path file) throws IOException {
    int c = cm.numClasses();
    int side = Math.max(500, Math.min(1400, 120 + 60 * c));
    HeatMapChart chart = new HeatMapChartBuilder().width(side + 120).height(side).title("Confusion matrix")
        .xAxisTitle("predicted").yAxisTitle("true").build();
    var st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setShowValue(c <= 30);
    st.setPlotContentSize(1);
    // Light enough at the top for the black counts to stay readable.
    st.setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(49, 130, 189)});
    st.setLegendVisible(true);
    st.setXAxisLabelRotation(c > 6 ? 45 : 0);
    List<String> x = new ArrayList<>(cm.classNames());
    // Row 0 at the top, as in the printed table: the y axis counts upwards.
    List<String> y = new ArrayList<>(cm.classNames()).reversed();
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < c; t++)
      for (int p = 0; p < c; p++) cells.add(new Number[] {p, c - 1 - t, cm.count(t, p)});
    chart.addSeries("count", x, y, cells);
    return TrainingCharts.save(chart, file);
  }
}
