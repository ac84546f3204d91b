package org.jgrad.spark;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.train.EpochLog;

/** Epoch logs as text lines (one per epoch, fields comma-separated, doubles exact), for checkpoints and results. */
final class EpochLogs {
    private EpochLogs() {}

    static String format(List<EpochLog> logs) {
        StringBuilder b = new StringBuilder();
        for (EpochLog e : logs)
            b.append(e.epoch()).append(',').append(e.step()).append(',').append(e.trainLoss()).append(',')
                    .append(e.trainAccuracy()).append(',').append(e.valLoss()).append(',').append(e.valAccuracy())
                    .append(',').append(e.lr()).append(',').append(e.seconds()).append('\n');
        return b.toString();
    }

    static List<EpochLog> parse(String text) {
        List<EpochLog> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (f.length != 8)
                throw new IllegalArgumentException("jgrad-spark: epoch log line " + lineNo + " has " + f.length
                        + " fields, expected 8: '" + line + "'");
            try {
                out.add(new EpochLog(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Double.parseDouble(f[7])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("jgrad-spark: epoch log line " + lineNo + " is not numbers: '" + line + "'");
            }
        }
        return out;
    }
}
