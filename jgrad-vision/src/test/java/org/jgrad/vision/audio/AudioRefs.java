package org.jgrad.vision.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the text fixtures that make_audio_fixtures.py wrote: one keyword and its fields or values a line. */
final class AudioRefs {
    private AudioRefs() {}

    static List<String[]> lines(String resource) throws IOException {
        try (InputStream in = AudioRefs.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            List<String[]> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                if (!l.isBlank()) out.add(l.strip().split(" "));
            return out;
        }
    }

    static double[] values(String[] line, int from) {
        return Arrays.stream(line, from, line.length).mapToDouble(Double::parseDouble).toArray();
    }

    static float[] floats(String[] line, int from) {
        double[] d = values(line, from);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relError(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " and " + b.length);
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }
}
