package org.jgrad.keras;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;

/** The Keras-written fixtures next to make_keras_io_fixtures.py, and how outputs are compared. */
final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        try {
            var url = Fixtures.class.getResource(name);
            if (url == null) throw new IllegalStateException("missing test resource " + name);
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seeded input (channels last, as Keras took it) and Keras' output for it. */
    record Io(Tensor input, Tensor output) {
        /** The input in jgrad's [N, C, H, W] layout. */
        Tensor channelsFirst() {
            return input.permute(0, 3, 1, 2).contiguous();
        }
    }

    static Io io(Path file) throws IOException {
        Map<String, Tensor> t = SafeTensors.load(file).tensors();
        return new Io(t.get("input"), t.get("output"));
    }

    static Io io(String name) throws IOException {
        return io(path(name));
    }

    /** ||got − want|| / ||want||. */
    static double relativeError(Tensor got, Tensor want) {
        float[] g = got.contiguous().toFloatArray(), w = want.contiguous().toFloatArray();
        if (g.length != w.length) throw new AssertionError("sizes differ: " + g.length + " vs " + w.length);
        double num = 0, den = 0;
        for (int i = 0; i < g.length; i++) {
            double d = g[i] - w[i];
            num += d * d;
            den += (double) w[i] * w[i];
        }
        return Math.sqrt(num / den);
    }
}
