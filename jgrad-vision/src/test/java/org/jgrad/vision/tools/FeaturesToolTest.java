package org.jgrad.vision.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** End to end on the bundled digits, in seconds: features and classifiers (the LeNet-5 comparison is in FeaturesCommandTest). */
class FeaturesToolTest {
    @Test
    void hogWithALinearSvmOnTheDigits() throws IOException {
        var d = FeaturesTool.Options.defaults(FeaturesTool.Kind.HOG, FeaturesTool.Classifier.LINEAR_SVM);
        // 2-pixel cells in 2×2 blocks: 3×3 blocks of 36 on an 8×8 digit.
        var o = new FeaturesTool.Options(d.kind(), d.classifier(), 2, 2, d.bins(), d.words(), 0, 0, d.lambda(), d.epochs(),
                d.lr(), d.k(), false, 0);
        FeaturesTool.Result r = FeaturesTool.run("digits", o);
        System.out.println(r.summary());
        assertEquals(324, r.featureLength());
        assertTrue(r.accuracy() > 0.93, r.summary());
    }

    @Test
    void everyKindAndClassifierRuns() throws IOException {
        ImageData data = ImageData.load("digits", 600, 180);
        for (FeaturesTool.Kind kind : FeaturesTool.Kind.values()) {
            var c = kind == FeaturesTool.Kind.PIXELS ? FeaturesTool.Classifier.KNN : FeaturesTool.Classifier.SOFTMAX;
            var d = FeaturesTool.Options.defaults(kind, c);
            var o = new FeaturesTool.Options(kind, c, 4, 2, 16, 20, 0, 1, d.lambda(), 3, d.lr(), 3, false, 0);
            FeaturesTool.Result r = FeaturesTool.run(data, o);
            System.out.println(r.summary());
            // Chance is 10%; an intensity histogram and 20 words of 4×4 patches on 8×8 digits say little.
            double floor = switch (kind) {
                case COLOR -> 0.15;
                case BOVW -> 0.25;
                default -> 0.6;
            };
            assertTrue(r.accuracy() > floor, r.summary());
            assertEquals(null, r.cnn());
        }
    }
}
