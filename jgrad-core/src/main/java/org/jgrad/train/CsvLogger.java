package org.jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Appends one CSV row of metrics per epoch ({@code epoch,step,loss,accuracy,val_loss,val_accuracy,lr,seconds}),
 * writing the header when the file is new; each row is flushed, so the file is readable while
 * training runs. Empty cells stand for metrics that do not apply.
 */
public final class CsvLogger implements Callback {
    /** The first line of every file this logger starts; the column order of its rows. */
    public static final String HEADER = "epoch,step,loss,accuracy,val_loss,val_accuracy,lr,seconds";
    private final Path file;

    /**
     * Logs to {@code file}, appending to it if it exists (a resumed run continues its log) and
     * creating it, header first, if not. Nothing is written until the first epoch ends.
     */
    public CsvLogger(Path file) {
        this.file = file;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLog log) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            String row = (fresh ? HEADER + "\n" : "") + String.join(",", Integer.toString(log.epoch()), Long.toString(log.step()),
                    num(log.trainLoss()), num(log.trainAccuracy()), num(log.valLoss()), num(log.valAccuracy()), num(log.lr()),
                    String.format(Locale.ROOT, "%.3f", log.seconds())) + "\n";
            Files.writeString(file, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
