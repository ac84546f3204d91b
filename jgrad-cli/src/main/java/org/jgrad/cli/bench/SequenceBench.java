package org.jgrad.cli.bench;

import java.util.Arrays;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.LSTM;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.RnnOutputs;
import org.jgrad.nn.TransformerEncoder;
import org.jgrad.nn.TransformerEncoderLayer;
import org.jgrad.nn.loss.Losses;
import org.jgrad.optim.GradClip;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * The sequence workloads of {@code jgrad bench}, built as {@code bench/pytorch_reference.py} builds
 * them: the word-level LSTM language model step ({@code lstm}) and a Transformer-encoder step
 * ({@code transformer}).
 */
final class SequenceBench {
    private SequenceBench() {}

    /** Milliseconds of each timed step (wall and process CPU time), and of the first step. */
    record Timing(double[] stepsMs, double[] cpuMs, double firstMs) {
        double medianMs() {
            return BenchCommand.median(stepsMs);
        }

        double medianCpuMs() {
            return BenchCommand.median(cpuMs);
        }
    }

    /**
     * PyTorch's word-language-model example: Embedding(10000, 200) → 2-layer LSTM(200, 200) →
     * Linear(200, 10000) on a 35×20 batch of random tokens, cross-entropy, gradient clipping at norm
     * 0.25, SGD at lr 20. A step is zero_grad, forward, backward, clipping and the update, as in the
     * reference; median of 10 timed steps after a warm-up of at least 3 steps and 3 s (the reference
     * warms up for 3; the JVM must also compile).
     */
    static Timing lstmLanguageModel() {
        DefaultGenerator.manualSeed(0);
        Embedding emb = new Embedding(10_000, 200);
        LSTM rnn = new LSTM(200, 200, 2);
        Linear out = new Linear(200, 10_000);
        Module model = new Module() {
            {
                registerModule("emb", emb);
                registerModule("rnn", rnn);
                registerModule("out", out);
            }

            @Override
            public Tensor forward(Tensor x) {
                RnnOutputs o = rnn.callOutputs(emb.call(x), Tensor.zeros(2, 20, 200), Tensor.zeros(2, 20, 200));
                return out.call(o.output().reshape(35 * 20, 200));
            }
        };
        SGD opt = new SGD(model.parameters(), 20);
        Generator gen = new Generator(0);
        Tensor x = Tensor.randint(gen, 0, 10_000, 35, 20), y = Tensor.randint(gen, 0, 10_000, 35 * 20);
        Runnable step = () -> {
            opt.zeroGrad();
            Losses.crossEntropy(model.forward(x), y).backward();
            GradClip.clipGradNorm(model.parameters(), 0.25);
            opt.step();
        };
        return time(step, 10);
    }

    /**
     * A Transformer-encoder training step: two {@code TransformerEncoderLayer(256, 4, 1024, dropout 0.1,
     * ReLU, post-norm, batch_first)} on a random 32×64×256 batch, the mean over the sequence, Linear(256,
     * 10), cross-entropy, SGD at lr 0.01; median of 10 steps after the warm-up, as the reference.
     */
    static Timing transformerEncoder() {
        DefaultGenerator.manualSeed(0);
        TransformerEncoder enc = new TransformerEncoder(
                new TransformerEncoderLayer(256, 4, 1024, 0.1, "relu", 1e-5, true, false, DefaultGenerator.get()), 2, null);
        Linear head = new Linear(256, 10);
        Module model = new Module() {
            {
                registerModule("enc", enc);
                registerModule("head", head);
            }

            @Override
            public Tensor forward(Tensor x) {
                return head.call(enc.call(x).mean(1, false));
            }
        };
        model.train();
        SGD opt = new SGD(model.parameters(), 0.01);
        Generator gen = new Generator(0);
        Tensor x = Tensor.randn(gen, 32, 64, 256), y = Tensor.randint(gen, 0, 10, 32);
        return time(() -> {
            opt.zeroGrad();
            Losses.crossEntropy(model.forward(x), y).backward();
            opt.step();
        }, 10);
    }

    /** Times {@code n} steps after a warm-up of at least 3 steps and 3 seconds. */
    static Timing time(Runnable step, int n) {
        long t0 = System.nanoTime();
        step.run();
        double first = (System.nanoTime() - t0) / 1e6;
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        for (int i = 1; i < 3 || System.nanoTime() < warmEnd; i++) step.run();
        System.gc();
        double[] ts = new double[n], cpu = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime(), c = BenchCommand.cpuNanos();
            step.run();
            ts[i] = (System.nanoTime() - s) / 1e6;
            cpu[i] = (BenchCommand.cpuNanos() - c) / 1e6;
        }
        return new Timing(ts, cpu, first);
    }

    static String describe(Timing t) {
        double[] s = t.stepsMs().clone();
        Arrays.sort(s);
        return String.format(java.util.Locale.ROOT, "%.1f ms  (CPU %.1f ms; min %.1f, max %.1f; first step %.0f ms)",
                t.medianMs(), t.medianCpuMs(), s[0], s[s.length - 1], t.firstMs());
    }
}
