package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.cli.train.DataSources;
import org.jgrad.cli.train.LoadedData;
import org.jgrad.vision.audio.SpeechDigits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgrad train} on the new data kinds, small and quick: a folder of recordings (the speech-digits
 * generator's small subset; skipped, saying so, without espeak-ng) and the moving-mnist data source
 * (skipped without Fashion-MNIST). The full runs are in {@link SequenceDemosAccuracyTest}.
 */
class SpeechVideoTrainTest {
  @TempDir Path dir;

  @Test
  void trainsAndResumesASpectrogramCnnOnAFolderOfRecordings() throws Exception {
    assumeTrue(SpeechDigits.synthesizerAvailable(), "espeak-ng is not installed (apt-get install espeak-ng)");
    Path data = dir.resolve("digits-small");
    SpeechDigits.small().generate(data);
    Path out = dir.resolve("run");
    var r = run("train", "--data", data.toString(), "--model", "spectrogram_cnn", "--epochs", "1", "--val-split", "0",
        "--batch-size", "10", "--quiet", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("test accuracy: "), r.out());
    assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    var resumed = run("train", "--resume", out.toString(), "--epochs", "2", "--quiet");
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size(), "header and two epochs");
    var eval = run("eval", "--checkpoint", out.resolve("model.safetensors").toString(), "--data", data.toString());
    assertEquals(0, eval.exitCode(), eval.err() + eval.out());
  }

  @Test
  void movingMnistClipsComeFromFashionMnistsOwnSplits() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")), "dataset-fashion-mnist is not installed");
    LoadedData d = DataSources.load("moving-mnist", 42);
    assertEquals(DataSources.MOVING_TRAIN_CLIPS, d.train().size());
    assertEquals(DataSources.MOVING_TEST_CLIPS, d.test().size());
    assertEquals(List.of(8, 32, 32), List.of(d.sampleShape()[0], d.sampleShape()[1], d.sampleShape()[2]));
    assertEquals("clothing-right", d.classNames().get(0));
    var r = run("train", "--data", "moving-mnist", "--model", "no_such_net");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("two_stream"), r.err());
  }
}
