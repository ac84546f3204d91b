package org.jgrad.monitor.charts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgrad.train.EpochLog;

/**
 * The per-epoch metrics of a run, from the epochs a trainer reported ({@link #of}) or as written by
 * {@link org.jgrad.train.CsvLogger}, read back ({@link #read}: the CSV spans every session of a
 * resumed run, which the trainer's in-memory history does not).
 *
 * @param columns the column names ({@code epoch, step, loss, accuracy, val_loss, val_accuracy, lr, ...})
 * @param rows one row of values per epoch, NaN where a metric does not apply
 */
public record MetricsTable(List<String> columns, List<double[]> rows) {

  /** The columns {@link #of} fills, as {@link org.jgrad.train.CsvLogger} writes them (less {@code seconds}). */
  public static final List<String> EPOCH_COLUMNS = List.of("epoch", "step", "loss", "accuracy", "val_loss", "val_accuracy", "lr");

  /** The table of the given epochs. */
  public static MetricsTable of(List<EpochLog> epochs) {
    List<double[]> rows = new ArrayList<>();
    for (EpochLog e : epochs) {
      double[] r = new double[EPOCH_COLUMNS.size()];
      r[0] = e.epoch();
      r[1] = e.step();
      for (int i = 2; i < r.length; i++) r[i] = e.get(EPOCH_COLUMNS.get(i));
      rows.add(r);
    }
    return new MetricsTable(EPOCH_COLUMNS, List.copyOf(rows));
  }

  /** Reads {@code metrics.csv}; empty cells become NaN. */
  public static MetricsTable read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    if (lines.isEmpty()) return new MetricsTable(List.of(), List.of());
    List<String> cols = Arrays.asList(lines.get(0).split(",", -1));
    List<double[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] cells = line.split(",", -1);
      double[] r = new double[cols.size()];
      for (int i = 0; i < r.length; i++)
        r[i] = i < cells.length && !cells[i].isEmpty() ? Double.parseDouble(cells[i]) : Double.NaN;
      rows.add(r);
    }
    return new MetricsTable(List.copyOf(cols), List.copyOf(rows));
  }

  /** One column's values, by epoch order. */
  public double[] column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) throw new IllegalArgumentException("metrics: no column '" + name + "' in " + columns);
    return rows.stream().mapToDouble(r -> r[i]).toArray();
  }

  /** True when the column exists and has at least one value. */
  public boolean has(String name) {
    return columns.contains(name) && Arrays.stream(column(name)).anyMatch(v -> !Double.isNaN(v));
  }
}
