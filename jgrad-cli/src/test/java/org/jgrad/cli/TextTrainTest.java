package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrad train} on text, small and quick; the full runs are in {@link TextDemosAccuracyTest}. */
class TextTrainTest {
  @TempDir Path dir;

  @Test
  void aLanguageModelOnATextFileReportsPerplexityAndSamplesAndResumes() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 40; i++) text.append("the cat sat on the mat. the dog sat on the log.\n");
    Path f = dir.resolve("cats.txt");
    Files.writeString(f, text);
    Path out = dir.resolve("run");
    var r = run("train", "--data", f.toString(), "--model", "gru", "--epochs", "1", "--batch-size", "4", "--quiet",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = Pattern.compile("test perplexity: ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double ppl = Double.parseDouble(m.group(1));
    assertTrue(ppl > 1 && ppl < 15, "perplexity " + ppl + " (the text has 15 characters)");
    assertTrue(r.out().contains("sample (temperature 0.8)"), r.out());
    var resumed = run("train", "--resume", out.toString(), "--epochs", "2", "--quiet");
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("test perplexity: "), resumed.out());
    assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size(), "header and two epochs");
  }

  @Test
  void aClassifierOnAFolderOfDocuments() throws Exception {
    for (int i = 0; i < 20; i++) {
      write("ham/h" + i + ".txt", "see you at the meeting about the budget on monday " + i);
      write("spam/s" + i + ".txt", "win free money now click here to claim your prize " + i);
    }
    var r = run("train", "--data", dir.resolve("docs").toString(), "--model", "lstm_classifier", "--epochs", "2",
        "--batch-size", "8", "--lr", "0.01", "--quiet", "--out", dir.resolve("run").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("test accuracy: 1.0000"), r.out());
    var wrong = run("train", "--data", dir.resolve("docs").toString(), "--model", "mlp", "--quiet", "--out",
        dir.resolve("run2").toString());
    assertEquals(2, wrong.exitCode(), wrong.out());
    assertTrue(wrong.err().contains("lstm_classifier, gru_classifier or transformer_classifier"), wrong.err());
  }

  @Test
  void aTransformerLanguageModelTrainsResumesAndRefusesOtherData() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 40; i++) text.append("the cat sat on the mat. the dog sat on the log.\n");
    Path f = dir.resolve("cats.txt");
    Files.writeString(f, text);
    Path out = dir.resolve("run");
    var r = run("train", "--data", f.toString(), "--model", "transformer", "--epochs", "1", "--batch-size", "4", "--quiet",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = Pattern.compile("test perplexity: ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double ppl = Double.parseDouble(m.group(1));
    assertTrue(ppl > 1 && ppl < 15, "perplexity " + ppl + " (the text has 15 characters)");
    assertTrue(r.out().contains("sample (temperature 0.8)"), r.out());
    var resumed = run("train", "--resume", out.toString(), "--epochs", "2", "--quiet");
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("test perplexity: "), resumed.out());
    assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size(), "header and two epochs");
    var notText = run("train", "--data", "digits", "--model", "transformer", "--quiet", "--out", dir.resolve("run2").toString());
    assertEquals(2, notText.exitCode(), notText.out());
    assertTrue(notText.err().contains("is a language model"), notText.err());
    var notLm = run("train", "--data", f.toString(), "--model", "mlp", "--quiet", "--out", dir.resolve("run3").toString());
    assertEquals(2, notLm.exitCode(), notLm.out());
    assertTrue(notLm.err().contains("lstm, gru or transformer"), notLm.err());
    assertTrue(!Files.exists(dir.resolve("run2")) && !Files.exists(dir.resolve("run3")), "a refused run writes nothing");
  }

  @Test
  void aTransformerClassifierOnAFolderOfDocuments() throws Exception {
    for (int i = 0; i < 20; i++) {
      write("ham/h" + i + ".txt", "see you at the meeting about the budget on monday " + i);
      write("spam/s" + i + ".txt", "win free money now click here to claim your prize " + i);
    }
    var r = run("train", "--data", dir.resolve("docs").toString(), "--model", "transformer_classifier", "--epochs", "2",
        "--batch-size", "8", "--lr", "0.003", "--quiet", "--out", dir.resolve("run").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("test accuracy: 1.0000"), r.out());
  }

  private void write(String name, String text) throws Exception {
    Path f = dir.resolve("docs").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }
}
