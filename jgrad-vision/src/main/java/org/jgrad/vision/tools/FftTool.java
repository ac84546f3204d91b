package org.jgrad.vision.tools;

import java.io.IOException;
import java.nio.file.Path;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.fft.Spectrum;
import org.jgrad.vision.image.ImageFiles;

/** The {@code jgrad fft} command as an API: the centred log-magnitude spectrum of an image. */
public final class FftTool {
    private FftTool() {}

    /**
     * What {@link #run} wrote.
     *
     * @param height rows of the image and of its spectrum
     * @param width columns of the image and of its spectrum
     * @param dc |F(0, 0)|, the sum of the grey values in [0, 1]
     */
    public record Result(int height, int width, double dc) {}

    /**
     * Reads {@code in} (colour is converted to grey with BT.601 weights) and writes to {@code out} the
     * spectrum image of {@link Spectrum#magnitudeImage}: {@code log(1 + |F|)}, zero frequency in the
     * centre, scaled to the full 8-bit range.
     *
     * @throws IOException naming the file when {@code in} cannot be read or {@code out} cannot be written
     */
    public static Result run(Path in, Path out) throws IOException {
        Tensor image = ImageFiles.read(in);
        ImageFiles.write(Spectrum.magnitudeImage(image), out);
        int h = image.size(1), w = image.size(2);
        double dc = Spectrum.centredTransform(image).abs()[(h / 2) * w + w / 2];
        return new Result(h, w, dc);
    }
}
