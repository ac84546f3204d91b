package org.jgrad.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jgrad.tensor.Tensor;

/**
 * Reads a CSV file of numeric feature columns and one label column into a {@link TensorDataset}.
 * The label column is chosen by header name or by index (negative counts from the end); class
 * labels that are not integers (e.g. {@code setosa}) are numbered in order of first appearance.
 * {@code .gz} files are decompressed on the fly. Empty lines are skipped.
 */
public final class CsvDataset {
    private CsvDataset() {}

    /** What was read: the dataset, the feature column names, and the class names (empty for numeric labels). */
    public record Result(TensorDataset dataset, List<String> featureNames, List<String> classNames) {}

    /** Options: which column is the label, whether the first line is a header, regression targets. */
    public record Options(String labelName, int labelIndex, Boolean header, boolean regression, char delimiter) {
        /** Label in the last column, header detected automatically, classification, comma-separated. */
        public static Options defaults() {
            return new Options(null, -1, null, false, ',');
        }

        public Options label(String name) { return new Options(name, labelIndex, header, regression, delimiter); }
        public Options label(int index) { return new Options(null, index, header, regression, delimiter); }
        public Options header(boolean h) { return new Options(labelName, labelIndex, h, regression, delimiter); }
        public Options regression(boolean r) { return new Options(labelName, labelIndex, header, r, delimiter); }
        public Options delimiter(char d) { return new Options(labelName, labelIndex, header, regression, d); }
    }

    /**
     * Reads {@code file} with the given options.
     *
     * @throws DataFormatException if the file is not valid CSV of numbers as described, or a
     *     {@code .gz} file is not valid gzip
     */
    public static Result read(Path file, Options opt) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            if (!file.toString().endsWith(".gz")) return read(raw, file.toString(), opt);
            try {
                return read(new GZIPInputStream(raw), file.toString(), opt);
            } catch (ZipException | EOFException e) {
                // The JDK reports bad or cut-off gzip data as these; to the caller it is a bad file like any other.
                throw new DataFormatException(file + ": not a valid gzip file: " + e.getMessage(), e);
            }
        }
    }

    /** Reads CSV text from a stream; {@code name} is used in error messages. */
    public static Result read(InputStream in, String name, Options opt) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNos = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            rows.add(split(line, opt.delimiter()));
            lineNos.add(lineNo);
        }
        if (rows.isEmpty()) throw new DataFormatException(name + ": no rows (empty CSV file)");
        int cols = rows.get(0).length;
        boolean header = opt.header() != null ? opt.header() : !isNumeric(rows.get(0)[0].trim()) && !isNumeric(rows.get(0)[cols > 1 ? 1 : 0].trim());
        List<String> names = new ArrayList<>();
        if (header) for (String h : rows.get(0)) names.add(h.trim());
        else for (int c = 0; c < cols; c++) names.add("column" + c);
        int label;
        if (opt.labelName() != null) {
            label = names.indexOf(opt.labelName());
            if (label < 0)
                throw new DataFormatException(name + ": no column named '" + opt.labelName() + "' in the header " + names);
        } else {
            label = opt.labelIndex() < 0 ? cols + opt.labelIndex() : opt.labelIndex();
            if (label < 0 || label >= cols)
                throw new DataFormatException(name + ": label column " + opt.labelIndex() + " is out of range for " + cols + " columns");
        }
        int first = header ? 1 : 0;
        int n = rows.size() - first;
        if (n == 0) throw new DataFormatException(name + ": the header is the only line; no data rows");
        float[] x = new float[n * (cols - 1)];
        float[] yReg = opt.regression() ? new float[n] : null;
        long[] yCls = opt.regression() ? null : new long[n];
        Map<String, Integer> classes = new LinkedHashMap<>();
        boolean allIntLabels = true;
        for (int i = 0; i < n && !opt.regression(); i++) {
            String[] row = rows.get(first + i);
            if (row.length > label && !isInteger(row[label].trim())) allIntLabels = false;
        }
        for (int i = 0; i < n; i++) {
            String[] row = rows.get(first + i);
            int ln = lineNos.get(first + i);
            if (row.length != cols)
                throw new DataFormatException(name + ":" + ln + ": expected " + cols + " columns, found " + row.length);
            int k = 0;
            for (int c = 0; c < cols; c++) {
                String cell = row[c].trim();
                if (c == label) {
                    if (opt.regression()) yReg[i] = parse(cell, name, ln, c, names.get(c));
                    else if (allIntLabels) yCls[i] = Long.parseLong(cell);
                    else yCls[i] = classes.computeIfAbsent(cell, s -> classes.size());
                } else {
                    x[i * (cols - 1) + k++] = parse(cell, name, ln, c, names.get(c));
                }
            }
        }
        List<String> features = new ArrayList<>(names);
        features.remove(label);
        Tensor inputs = Tensor.wrap(x, n, cols - 1);
        Tensor targets = opt.regression() ? Tensor.wrap(yReg, n) : Tensor.wrapLongs(yCls, n);
        return new Result(new TensorDataset(inputs, targets), features, List.copyOf(classes.keySet()));
    }

    private static float parse(String cell, String name, int line, int col, String colName) throws DataFormatException {
        try {
            float v = Float.parseFloat(cell);
            if (cell.isEmpty()) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new DataFormatException(name + ":" + line + ": column " + (col + 1) + " ('" + colName
                    + "') is not a number: '" + cell + "'");
        }
    }

    private static boolean isNumeric(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isInteger(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits one line, honouring double-quoted fields with "" escapes. */
    static String[] split(String line, char delim) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') quoted = false;
                else cur.append(ch);
            } else if (ch == '"') quoted = true;
            else if (ch == delim) {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(ch);
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
