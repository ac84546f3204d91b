package org.jgrad.vision.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.jgrad.data.CsvDataset;
import org.jgrad.data.TensorDataset;
import org.jgrad.tensor.Tensor;

/**
 * Small real datasets that ship inside jgrad, so examples and the quick start need no download.
 * Both come from scikit-learn's copies (Debian package {@code python3-sklearn}) of UCI datasets:
 * <ul>
 *   <li>optical digits: 1,797 images of 8×8 pixels with values 0..16, 10 classes (E. Alpaydin,
 *       C. Kaynak, UCI ML Repository, CC BY 4.0);
 *   <li>iris: 150 flowers, 4 measurements, 3 species (R. A. Fisher, UCI ML Repository, CC BY 4.0).
 * </ul>
 */
public final class BundledDatasets {
    private BundledDatasets() {}

    /** The digits as float32 [1797, 1, 8, 8] scaled to [0, 1], labels int64 0..9. */
    public static TensorDataset digits() {
        try (InputStream in = new GZIPInputStream(resource("digits.csv.gz"))) {
            CsvDataset.Result r = CsvDataset.read(in, "digits.csv.gz", CsvDataset.Options.defaults().header(false));
            Tensor x = r.dataset().inputTensor().div(16f);
            return new TensorDataset(x.reshape(-1, 1, 8, 8), r.dataset().targetTensor());
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled digits dataset is unreadable (a broken jgrad jar?)", e);
        }
    }

    /** Iris as float32 [150, 4] (cm), labels int64 0..2 in the order of {@link #IRIS_CLASSES}. */
    public static TensorDataset iris() {
        try (InputStream in = resource("iris.csv")) {
            // The first line is sklearn's "150,4,setosa,versicolor,virginica" summary, not column names.
            byte[] all = in.readAllBytes();
            String text = new String(all, java.nio.charset.StandardCharsets.UTF_8);
            String body = text.substring(text.indexOf('\n') + 1);
            CsvDataset.Result r = CsvDataset.read(new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "iris.csv", CsvDataset.Options.defaults().header(false));
            return r.dataset();
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled iris dataset is unreadable (a broken jgrad jar?)", e);
        }
    }

    /** Iris species by label. */
    public static final List<String> IRIS_CLASSES = List.of("setosa", "versicolor", "virginica");

    private static InputStream resource(String name) throws IOException {
        InputStream in = BundledDatasets.class.getResourceAsStream(name);
        if (in == null) throw new IOException("resource org/jgrad/vision/datasets/" + name + " is missing from the classpath");
        return in;
    }
}
