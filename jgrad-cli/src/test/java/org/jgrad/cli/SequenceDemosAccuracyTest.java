package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgrad.cli.train.DataSources;
import org.jgrad.cli.train.Evaluation;
import org.jgrad.cli.train.LoadedData;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.audio.SpeechDigits;
import org.jgrad.vision.models.Models;
import org.jgrad.vision.models.SavedModel;
import org.jgrad.vision.models.TwoStreamNet;
import org.jgrad.vision.transforms.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speech and video demos' full runs, whose numbers the README reports. Long (minutes; the first
 * speech run also generates the spoken digits), so only with {@code -Djgrad.long=true}:
 * {@code ./mvnw -pl jgrad-cli -am test -Djgrad.long=true -Dtest=SequenceDemosAccuracyTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
class SequenceDemosAccuracyTest {
  @TempDir Path dir;

  private static final Pattern ACCURACY = Pattern.compile("test accuracy: ([0-9.]+)");

  @Test
  void spectrogramCnnRecognisesDigitsSpokenByUnheardVoices() {
    assumeTrue(SpeechDigits.synthesizerAvailable(), "espeak-ng is not installed (apt-get install espeak-ng)");
    double acc = train("speech-digits", "spectrogram_cnn", "15");
    System.out.printf(Locale.ROOT, "spectrogram_cnn on speech-digits (held-out voices): test accuracy %.4f%n", acc);
    assertTrue(acc >= 0.80, "test accuracy " + acc);
  }

  @Test
  void eachStreamAloneAndFused() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")), "dataset-fashion-mnist is not installed");
    double frames = train("moving-mnist", "frame_stream", "8");
    double diffs = train("moving-mnist", "difference_stream", "8");
    double joint = train("moving-mnist", "two_stream", "8");
    // Simonyan and Zisserman's late fusion: the separately trained streams, their softmax outputs averaged
    var f = SavedModel.load(dir.resolve("frame_stream/model.safetensors"));
    var d = SavedModel.load(dir.resolve("difference_stream/model.safetensors"));
    var both = (TwoStreamNet) Models.create("two_stream", 8, 8);
    var sd = new LinkedHashMap<String, Tensor>(f.model().stateDict());
    sd.putAll(d.model().stateDict());
    both.loadStateDict(sd);
    LoadedData data = DataSources.load("moving-mnist", 42);
    double fused = Evaluation.confusion(both, Normalization.NONE, data.test(), data.classNames()).accuracy();
    System.out.printf(Locale.ROOT, "moving-mnist test accuracy: frame stream %.4f, difference stream %.4f, two streams"
        + " trained apart and fused %.4f, two-stream network trained end to end %.4f%n", frames, diffs, fused, joint);
    assertTrue(fused > frames && fused >= diffs - 0.01, "fusion should help: " + fused);
  }

  private double train(String data, String model, String epochs) {
    var r = run("train", "--data", data, "--model", model, "--epochs", epochs, "--optimizer", "adam", "--lr", "1e-3",
        "--schedule", "cosine", "--batch-size", "32", "--seed", "42", "--quiet", "--out", dir.resolve(model).toString());
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = ACCURACY.matcher(r.out());
    assertTrue(m.find(), r.out());
    return Double.parseDouble(m.group(1));
  }
}
