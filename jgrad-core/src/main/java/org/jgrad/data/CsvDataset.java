package org.jgrad.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipException;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;
import org.jgrad.io.StrictGzipInputStream;
import org.jgrad.tensor.Tensor;

/**
 * Reads a CSV file of numeric feature columns and one label column into a {@link TensorDataset}.
 * The label column is chosen by header name or by index (negative counts from the end). {@code .gz}
 * files are decompressed on the fly (strictly: bytes after the gzip data are an error). Empty lines
 * are skipped; double-quoted fields may hold the delimiter and {@code ""}.
 *
 * <p>What is refused, with the line: a feature (or regression target) that is not a finite number
 * ({@code NaN} and {@code Infinity} included, so bad values fail at load time rather than as a NaN
 * loss at some training step); a NUL character anywhere (a binary file); a cell over
 * {@value #MAX_CELL_CHARS} characters or a row over {@value #MAX_COLUMNS} columns; a row with another number of columns than the first.
 *
 * <p>Class labels: if every label is a whole number, the labels are class indices and must lie in
 * {@code 0..K-1}, where K is the number of distinct labels present ({@code 2.0} counts as 2; so {@code 99999999999} among
 * three classes is an error, not a request for 10^11 classes). Otherwise they are class names
 * (e.g. {@code setosa}), numbered in order of first appearance; a label that is a number but not a
 * whole one ({@code 1.5}, {@code NaN}) is refused either way, since it is a regression target or
 * a bad value, never a class.
 *
 * <p>Memory: values are parsed as they are read, never kept as text; the float32 arrays they fill
 * are checked against {@link MemoryBudget} as they grow, so a decompression bomb fails with a message
 * instead of an {@link OutOfMemoryError}.
 */
public final class CsvDataset {
    private CsvDataset() {}

    /** The longest cell accepted, in characters. */
    public static final int MAX_CELL_CHARS = 1 << 16;

    /** The most columns a row may have. */
    public static final int MAX_COLUMNS = 1 << 20;

    /** What was read: the dataset, the feature column names, and the class names (empty for numeric labels). */
    public record Result(TensorDataset dataset, List<String> featureNames, List<String> classNames) {}

    /** Options: which column is the label, whether the first line is a header, regression targets. */
    public record Options(String labelName, int labelIndex, Boolean header, boolean regression, char delimiter) {
        /** Label in the last column, header detected automatically, classification, comma-separated. */
        public static Options defaults() {
            return new Options(null, -1, null, false, ',');
        }

        /** The label is the column with this header name (the file must have a header). */
        public Options label(String name) { return new Options(name, labelIndex, header, regression, delimiter); }

        /** The label is the column at this index; negative indices count from the end (-1: the last). */
        public Options label(int index) { return new Options(null, index, header, regression, delimiter); }

        /** Whether the first line is a header, instead of guessing it from whether its cells are numbers. */
        public Options header(boolean h) { return new Options(labelName, labelIndex, h, regression, delimiter); }

        /** Float targets as they are (regression) instead of class labels. */
        public Options regression(boolean r) { return new Options(labelName, labelIndex, header, r, delimiter); }

        /** The cell separator, e.g. {@code ';'} or {@code '\t'} (default {@code ','}). */
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
                return read(new StrictGzipInputStream(raw), file.toString(), opt);
            } catch (ZipException | EOFException e) {
                // The gzip layer reports bad or cut-off data as these; to the caller it is a bad file like any other.
                throw new DataFormatException(file + ": not a valid gzip file: " + e.getMessage(), e);
            }
        }
    }

    /** Reads CSV text from a stream; {@code name} is used in error messages. */
    public static Result read(InputStream in, String name, Options opt) throws IOException {
        Lines lines = new Lines(new InputStreamReader(in, StandardCharsets.UTF_8), opt.delimiter(), name);
        List<String> first = lines.next();
        if (first == null) throw new DataFormatException(name + ": no rows (empty CSV file)");
        int cols = first.size();
        boolean header = opt.header() != null ? opt.header()
                : !isNumeric(first.get(0).trim()) && !isNumeric(first.get(cols > 1 ? 1 : 0).trim());
        List<String> names = new ArrayList<>();
        if (header) for (String h : first) names.add(h.trim());
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
        int features = cols - 1;
        Floats x = new Floats(name, "the feature values");
        Floats yReg = new Floats(name, "the targets");
        Labels yCls = new Labels(name);
        List<String> row = header ? lines.next() : first;
        long rowLine = lines.lineNo();
        if (row == null) throw new DataFormatException(name + ": the header is the only line; no data rows");
        while (row != null) {
            if (row.size() != cols)
                throw new DataFormatException(name + ":" + rowLine + ": expected " + cols + " columns, found " + row.size());
            for (int c = 0; c < cols; c++) {
                String cell = row.get(c).trim();
                if (c == label) {
                    if (opt.regression()) yReg.add(parse(cell, name, rowLine, c, names.get(c)));
                    else yCls.add(cell, rowLine, names.get(c));
                } else {
                    x.add(parse(cell, name, rowLine, c, names.get(c)));
                }
            }
            row = lines.next();
            rowLine = lines.lineNo();
        }
        int n = opt.regression() ? yReg.size : yCls.size;
        List<String> featureNames = new ArrayList<>(names);
        featureNames.remove(label);
        Tensor inputs = TensorData.wrap(x.toArray(), n, features);
        if (opt.regression()) return new Result(new TensorDataset(inputs, TensorData.wrap(yReg.toArray(), n)), featureNames, List.of());
        long[] targets = yCls.classIndices();
        return new Result(new TensorDataset(inputs, TensorData.wrapLongs(targets, n)), featureNames, yCls.classNames());
    }

    private static float parse(String cell, String name, long line, int col, String colName) throws DataFormatException {
        float v;
        try {
            if (cell.isEmpty()) throw new NumberFormatException();
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new DataFormatException(name + ":" + line + ": column " + (col + 1) + " ('" + colName
                    + "') is not a number: '" + cell + "'");
        }
        if (!Float.isFinite(v))
            throw new DataFormatException(name + ":" + line + ": column " + (col + 1) + " ('" + colName + "') is '" + cell
                    + "', which is " + v + " as a float32; jgrad refuses non-finite values when loading (it does not"
                    + " skip or repair samples): clean the file");
        return v;
    }

    private static boolean isNumeric(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A growing float array whose every growth is checked against the memory budget. */
    private static final class Floats {
        final String file, what;
        float[] a = new float[1024];
        int size;

        Floats(String file, String what) {
            this.file = file;
            this.what = what;
        }

        void add(float v) throws DataFormatException {
            if (size == a.length) a = Arrays.copyOf(a, grow(file, what, a.length, 4));
            a[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /** The next capacity after {@code length} elements of {@code elementBytes}, or a refusal. */
    static int grow(String file, String what, int length, int elementBytes) throws DataFormatException {
        long next = Math.min((long) length * 2, Integer.MAX_VALUE - 8);
        if (next <= length)
            throw new DataFormatException(file + ": more values than one tensor holds (2^31-9) in " + what);
        // The old and the new array are alive together while copying, and the result is copied once more.
        if (!MemoryBudget.allows((length + next) * elementBytes))
            throw new DataFormatException(file + ": after " + length + " values, reading on "
                    + MemoryBudget.refusal((length + next) * elementBytes, what));
        return (int) next;
    }

    /**
     * The label column of a classification CSV: each distinct label once, with the line it first
     * appears on, and per row the index of its label among the distinct ones.
     */
    private static final class Labels {
        final String file;
        final Map<String, Integer> distinct = new LinkedHashMap<>();
        final List<Long> firstLine = new ArrayList<>();
        String column;
        int[] row = new int[1024];
        int size;

        Labels(String file) {
            this.file = file;
        }

        void add(String cell, long line, String columnName) throws DataFormatException {
            column = columnName;
            Integer id = distinct.get(cell);
            if (id == null) {
                if (isNumeric(cell) && !isWhole(cell))
                    throw new DataFormatException(file + ":" + line + ": label '" + cell + "' in column '" + columnName
                            + "' is not a class: class labels are whole numbers 0..K-1 or names, and a fractional, NaN"
                            + " or infinite label is a regression target or a bad value (the library reads regression"
                            + " targets with CsvDataset.Options.regression(true))");
                id = distinct.size();
                distinct.put(cell, id);
                firstLine.add(line);
            }
            if (size == row.length) row = Arrays.copyOf(row, grow(file, "the labels", row.length, 4));
            row[size++] = id;
        }

        /** A whole number: {@code 3}, or {@code 3.0} as pandas writes integer columns that once held a NaN. */
        private static boolean isWhole(String s) {
            return wholeValue(s) != null;
        }

        private static Long wholeValue(String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(s);
                    return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
                } catch (NumberFormatException e2) {
                    return null;
                }
            }
        }

        private boolean allWhole() {
            for (String s : distinct.keySet()) if (!isWhole(s)) return false;
            return true;
        }

        long[] classIndices() throws DataFormatException {
            long[] byId = new long[distinct.size()];
            boolean indices = allWhole();
            if (indices) {
                TreeSet<Long> values = new TreeSet<>();
                int i = 0;
                for (String s : distinct.keySet()) values.add(byId[i++] = wholeValue(s));
                int k = values.size();
                i = 0;
                for (String s : distinct.keySet()) {
                    long v = byId[i];
                    if (v < 0 || v >= k)
                        throw new DataFormatException(file + ":" + firstLine.get(i) + ": label " + s + " in column '"
                                + column + "' is not a class index: whole-number labels are class indices 0..K-1, and"
                                + " this file has K = " + k + " distinct labels (" + summary(values) + "), so they must"
                                + " be 0.." + (k - 1) + "; renumber the classes, or give them names (e.g. c" + s + ")");
                    i++;
                }
            } else {
                for (int i = 0; i < byId.length; i++) byId[i] = i;
            }
            long[] out = new long[size];
            for (int r = 0; r < size; r++) out[r] = byId[row[r]];
            return out;
        }

        List<String> classNames() {
            return allWhole() ? List.of() : List.copyOf(distinct.keySet());
        }

        private static String summary(TreeSet<Long> values) {
            if (values.size() <= 6) return values.toString();
            return "from " + values.first() + " to " + values.last();
        }
    }

    /**
     * Splits text into rows of cells without ever holding more than one row: a line ends at
     * {@code \n}, {@code \r\n} or {@code \r}; blank lines are skipped. Quotes do not span lines.
     */
    private static final class Lines {
        private final Reader in;
        private final char delim;
        private final String name;
        private final char[] buf = new char[1 << 14];
        private int pos, len;
        private long lineNo;
        private boolean pendingCr, ended;
        private final StringBuilder cur = new StringBuilder();

        Lines(Reader in, char delim, String name) {
            this.in = in;
            this.delim = delim;
            this.name = name;
        }

        /** The line of the row {@link #next} returned last. */
        long lineNo() {
            return lineNo;
        }

        private int read() throws IOException {
            if (pos == len) {
                if (ended) return -1;
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    ended = true;
                    return -1;
                }
            }
            return buf[pos++];
        }

        /** The next non-blank row, or null at the end. */
        List<String> next() throws IOException {
            while (true) {
                List<String> cells = new ArrayList<>();
                cur.setLength(0);
                boolean quoted = false, any = false, blank = true;
                int ch;
                while (true) {
                    ch = read();
                    if (pendingCr) {
                        pendingCr = false;
                        if (ch == '\n') continue; // the \n of a \r\n
                    }
                    if (ch < 0 || ch == '\n' || ch == '\r') break;
                    any = true;
                    if (ch == 0)
                        throw new DataFormatException(name + ":" + (lineNo + 1) + ": column " + (cells.size() + 1)
                                + " contains a NUL character: this is not a text CSV file");
                    if (!Character.isWhitespace(ch)) blank = false;
                    if (quoted) {
                        if (ch == '"') {
                            int nx = peek();
                            if (nx == '"') {
                                pos++;
                                append('"', cells);
                            } else quoted = false;
                        } else append((char) ch, cells);
                    } else if (ch == '"') quoted = true;
                    else if (ch == delim) {
                        if (cells.size() >= MAX_COLUMNS)
                            throw new DataFormatException(name + ":" + (lineNo + 1) + ": more than " + MAX_COLUMNS + " columns");
                        cells.add(cur.toString());
                        cur.setLength(0);
                    } else append((char) ch, cells);
                }
                if (ch == '\r') pendingCr = true;
                if (ch < 0 && !any) return null;
                lineNo++;
                if (blank) {
                    if (ch < 0) return null;
                    continue;
                }
                cells.add(cur.toString());
                return cells;
            }
        }

        private int peek() throws IOException {
            int c = read();
            if (c >= 0) pos--;
            return c;
        }

        private void append(char c, List<String> cells) throws DataFormatException {
            if (cur.length() >= MAX_CELL_CHARS)
                throw new DataFormatException(name + ":" + (lineNo + 1) + ": column " + (cells.size() + 1) + " is longer than "
                        + MAX_CELL_CHARS + " characters");
            cur.append(c);
        }
    }
}
