package org.jgrad.cli.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-epoch metrics of a run as written by {@link org.jgrad.train.CsvLogger}, read back: the
 * CSV spans every session of a resumed run, which the trainer's in-memory history does not.
 */
public record MetricsTable(List<String> columns, List<double[]> rows) {

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
