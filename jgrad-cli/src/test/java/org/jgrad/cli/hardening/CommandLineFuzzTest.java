package org.jgrad.cli.hardening;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jgrad.cli.JgradCommand;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Fuzzes the {@code jgrad} command line: arguments are drawn from the commands' own vocabulary,
 * fuzzed strings, and paths of a scratch file holding fuzzed bytes (a checkpoint, an image, a CSV).
 * {@code CommandLine.execute} must return 0, 1 or 2 and never throw; a 1 must be a reported
 * problem, not an unexpected exception (which the CLI prints with "JGRAD_DEBUG"). Commands that
 * train, serve, run for long or write files ({@code train}, {@code playground}, {@code examples},
 * {@code convert}, {@code export}) are only parsed: that must succeed or raise picocli's {@code ParameterException}.
 */
class CommandLineFuzzTest {
    private static final String[] WORDS = {
        "train", "eval", "predict", "summary", "playground", "version", "examples", "help", "--help", "-h", "--version",
        "--checkpoint", "--data", "--seed", "--top", "--input", "--classes", "--model", "--epochs", "--batch-size",
        "--lr", "--optimizer", "--weight-decay", "--val-split", "--patience", "--out", "--resume", "--quiet",
        "mlp", "lenet5", "digits", "iris", "0", "-1", "3", "1x8x8", "NaN", "",
    };
    // convert and export write the file their arguments name: fuzzed names must not land in the working directory.
    private static final Set<String> PARSE_ONLY = Set.of("train", "playground", "examples", "convert", "export");
    private static final Path DIR;
    private static final Path FILE;

    static {
        try {
            DIR = Files.createTempDirectory("jgrad-cli-fuzz");
            DIR.toFile().deleteOnExit();
            FILE = DIR.resolve("input.safetensors");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    @DictionaryEntries({"train", "eval", "predict", "summary", "--checkpoint", "--data", "--input", "--classes", "--top"})
    void execute(FuzzedDataProvider in) throws IOException {
        List<String> args = new ArrayList<>();
        int n = in.consumeInt(0, 8);
        for (int i = 0; i < n; i++) {
            switch (in.consumeInt(0, 3)) {
                case 0, 1 -> args.add(WORDS[in.consumeInt(0, WORDS.length - 1)]);
                case 2 -> args.add(in.consumeString(40));
                default -> args.add(FILE.toString());
            }
        }
        Files.write(FILE, in.consumeRemainingAsBytes());
        String[] argv = args.toArray(String[]::new);
        if (args.stream().anyMatch(PARSE_ONLY::contains)) {
            try {
                JgradCommand.commandLine().parseArgs(argv);
            } catch (CommandLine.ParameterException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("ParameterException without a message", e);
            }
            return;
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code;
        try {
            code = JgradCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(argv);
        } catch (OutOfMemoryError e) {
            // The one documented way to fail outside the exit codes: a model too large for this heap.
            if (e.getMessage() != null && e.getMessage().contains("which the JVM heap")) return;
            throw new AssertionError("jgrad " + args + " ran out of memory: " + e.getMessage(), e);
        } catch (Throwable t) {
            throw new AssertionError("jgrad " + args + " threw instead of returning an exit code", t);
        }
        if (code != 0 && code != 1 && code != 2)
            throw new AssertionError("jgrad " + args + " returned exit code " + code + "; stderr: " + err);
        if (code == 1 && err.toString().contains("JGRAD_DEBUG"))
            throw new AssertionError("jgrad " + args + " failed with an unexpected exception: " + err);
        if (code != 0 && err.toString().isBlank())
            throw new AssertionError("jgrad " + args + " exited " + code + " without saying why");
    }
}
