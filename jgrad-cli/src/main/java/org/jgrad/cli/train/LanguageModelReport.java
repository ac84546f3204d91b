package org.jgrad.cli.train;

import java.io.PrintWriter;
import java.util.Locale;
import org.jgrad.data.TensorDataset;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.LanguageModel;
import org.jgrad.vision.text.CharVocabulary;

/**
 * What {@code jgrad train} prints for a character-level language model instead of a confusion matrix:
 * the test loss, its perplexity ({@code exp(loss)}: as unsure as a uniform choice among that many
 * characters) and a sample of generated text that continues the start of the test text.
 */
public final class LanguageModelReport {
  private LanguageModelReport() {}

  /** Characters of the test text the sample starts from. */
  public static final int PROMPT = 40;
  /** Characters generated. */
  public static final int SAMPLE = 300;
  /** Softmax temperature of the sample. */
  public static final double TEMPERATURE = 0.8;

  /** Prints the report for {@code model} trained on {@code data} whose mean test loss is {@code testLoss}. */
  public static void print(PrintWriter out, LanguageModel model, LoadedData data, double testLoss, long seed) {
    CharVocabulary v = new CharVocabulary(data.classNames());
    Tensor first = ((TensorDataset) data.test()).inputTensor().select(0, 0);
    Tensor prompt = first.narrow(0, 0, Math.min(PROMPT, first.size(0))).contiguous();
    Tensor generated = model.sample(prompt, SAMPLE, TEMPERATURE, new Generator(seed));
    out.println();
    out.println("sample (temperature " + TEMPERATURE + "), after the test text's first " + prompt.size(0) + " characters:");
    out.println(v.decode(prompt) + "[" + v.decode(generated) + "]");
    out.println();
    out.printf(Locale.ROOT, "test loss: %.4f nats per character%n", testLoss);
    out.printf(Locale.ROOT, "test perplexity: %.3f%n", Math.exp(testLoss));
  }
}
