package org.jgrad.vision.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the reference files that make_features_refs.py wrote (next to it in the test resources). */
final class Fixtures {
    private Fixtures() {}

    /** The lines of a resource of this package, comments (#) left out. */
    static List<String> lines(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) if (!line.isBlank() && !line.startsWith("#")) out.add(line);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The numbers after the first word of a line. */
    static float[] floats(String line) {
        String[] t = line.trim().split(" ");
        float[] v = new float[t.length - 1];
        for (int i = 1; i < t.length; i++) v[i - 1] = Float.parseFloat(t[i]);
        return v;
    }

    /** One case of hog_refs.txt. */
    record HogCase(String name, int channels, int height, int width, Hog hog, float[] image, float[] expected) {}

    static List<HogCase> hogCases() {
        List<String> l = lines("hog_refs.txt");
        List<HogCase> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i += 3) {
            String[] h = l.get(i).split(" ");
            if (!h[0].equals("case")) throw new IllegalStateException("hog_refs.txt: expected 'case' at " + l.get(i));
            Hog hog = new Hog(Integer.parseInt(h[5]), Integer.parseInt(h[6]), Integer.parseInt(h[7]), Integer.parseInt(h[8]),
                    Integer.parseInt(h[9]), Hog.BlockNorm.of(h[10]), h[11].equals("1"));
            out.add(new HogCase(h[1], Integer.parseInt(h[2]), Integer.parseInt(h[3]), Integer.parseInt(h[4]), hog,
                    floats(l.get(i + 1)), floats(l.get(i + 2))));
        }
        return out;
    }
}
