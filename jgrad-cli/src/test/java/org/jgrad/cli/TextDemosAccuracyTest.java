package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text demos' full runs, whose numbers the README reports: character-level LSTM and Transformer language
 * models on fortunes (Debian's {@code fortunes} package) and LSTM and Transformer spam classifiers on the
 * SpamAssassin corpus ({@code scripts/fetch-spam-corpus.sh}). Long (tens of minutes on 2 cores), so only with
 * {@code -Djgrad.long=true}:
 * {@code ./mvnw -pl jgrad-cli -am test -Djgrad.long=true -Dtest=TextDemosAccuracyTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
class TextDemosAccuracyTest {
  @TempDir Path dir;

  /** The fortune files the demo reads, about 190 KB of quotations and sayings. */
  static final List<String> FORTUNES = List.of("wisdom", "literature", "tao", "platitudes");

  @Test
  void characterLanguageModelOnFortunes() throws Exception {
    double ppl = languageModelOnFortunes("lstm", "3e-3", 10);
    assertTrue(ppl < 8, "perplexity " + ppl);
  }

  @Test
  void transformerLanguageModelOnFortunes() throws Exception {
    double ppl = languageModelOnFortunes("transformer", "2e-3", 5);
    assertTrue(ppl < 12, "perplexity " + ppl + " (measured: 10.28; uniform over the 99 characters: 99)");
  }

  private double languageModelOnFortunes(String model, String lr, int epochs) throws Exception {
    Path src = Path.of("/usr/share/games/fortunes");
    assumeTrue(Files.isRegularFile(src.resolve("wisdom")), "the fortunes package is not installed (apt-get install fortunes)");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (String f : FORTUNES) text.write(Files.readAllBytes(src.resolve(f)));
    Path corpus = dir.resolve("fortunes.txt");
    Files.write(corpus, text.toByteArray());
    var r = run("train", "--data", corpus.toString(), "--model", model, "--epochs", String.valueOf(epochs), "--batch-size", "32",
        "--lr", lr, "--schedule", "cosine", "--seed", "42", "--out", dir.resolve(model).toString());
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = Pattern.compile("test perplexity: ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double ppl = Double.parseDouble(m.group(1));
    System.out.println(r.out().substring(r.out().indexOf("sample (")));
    System.out.printf(Locale.ROOT, "%s on fortunes: test perplexity %.3f%n", model, ppl);
    return ppl;
  }

  @Test
  void lstmSpamClassifier() throws Exception {
    double acc = spamClassifier("lstm_classifier", "3e-3", 4);
    assertTrue(acc >= 0.9, "accuracy " + acc);
  }

  @Test
  void transformerSpamClassifier() throws Exception {
    double acc = spamClassifier("transformer_classifier", "3e-3", 2);
    assertTrue(acc >= 0.9, "accuracy " + acc);
  }

  private double spamClassifier(String model, String lr, int epochs) throws Exception {
    String data = System.getenv("JGRAD_DATA");
    Path corpus = Path.of(data != null ? data : System.getProperty("user.home") + "/.jgrad/datasets", "spam-assassin");
    assumeTrue(Files.isDirectory(corpus.resolve("spam")), "no " + corpus + "; run scripts/fetch-spam-corpus.sh first");
    var r = run("train", "--data", corpus.toString(), "--model", model, "--epochs", String.valueOf(epochs), "--lr", lr,
        "--schedule", "cosine", "--seed", "42", "--quiet", "--out", dir.resolve(model).toString());
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = Pattern.compile("test accuracy: ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double acc = Double.parseDouble(m.group(1));
    System.out.println(r.out());
    System.out.printf(Locale.ROOT, "%s on SpamAssassin: test accuracy %.4f%n", model, acc);
    return acc;
  }
}
