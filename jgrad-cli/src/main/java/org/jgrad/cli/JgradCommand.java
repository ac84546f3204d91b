package org.jgrad.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code jgrad} command: entry point of the CLI, run by the {@code ./jgrad} launcher.
 *
 * <p>Exit codes: 0 success, 1 the command failed, 2 bad command line (unknown option,
 * bad value, missing command). Errors are reported in one line on stderr, never as a
 * stack trace; set {@code JGRAD_DEBUG=1} to get the stack trace of a failure.
 */
@Command(
    name = "jgrad",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // every subcommand gets --help and --version
    versionProvider = JgradVersion.class,
    usageHelpAutoWidth = true,
    description = "A deep-learning framework in pure Java.",
    subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, SummaryCommand.class, ModelsCommand.class,
      PlaygroundCommand.class, FilterCommand.class, FftCommand.class, KnnCommand.class, LinearCommand.class,
      ConvertCommand.class, ExportCommand.class,
      FeaturesCommand.class,
      org.jgrad.cli.bench.BenchCommand.class, ShellCommand.class, VersionCommand.class, ExamplesCommand.class,
      CommandLine.HelpCommand.class})
public final class JgradCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** No subcommand given: show what there is to run. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  private static boolean interactive;

  /** The {@code jgrad} command: runs the command line and exits with its status (0 ok, 1 failed, 2 usage). */
  public static void main(String[] args) {
    // Only a real run on a terminal redraws progress bars; tests capture plain lines.
    interactive = System.console() != null;
    System.exit(commandLine().execute(args));
  }

  /** True when run from main() on a terminal. */
  static boolean interactive() {
    return interactive;
  }

  /** The fully configured command line; tests run it with their own out/err writers. */
  public static CommandLine commandLine() {
    return new CommandLine(new JgradCommand())
        .setParameterExceptionHandler(JgradCommand::onBadArguments)
        .setExecutionExceptionHandler(JgradCommand::onFailure);
  }

  /** Unknown option, bad value, ...: one line naming the problem, exit code 2. */
  private static int onBadArguments(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    StringBuilder line = new StringBuilder(name).append(": ").append(oneLine(ex.getMessage()));
    if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append("; did you mean '").append(suggestions.getFirst()).append("'?");
      }
    }
    line.append(" (see '").append(name).append(" --help')");
    cmd.getErr().println(line);
    cmd.getErr().flush();
    return ExitCode.USAGE;
  }

  /** A command threw: report it in one line (the stack trace only when debugging), exit 1. */
  private static int onFailure(Exception ex, CommandLine cmd, ParseResult parseResult) {
    // Validation errors carry messages written for the user; anything else is a bug,
    // for which the exception type matters.
    // A diverged run is an outcome of training, not a bug: its message names the step and what to try.
    boolean expected =
        ex instanceof IllegalArgumentException
            || ex instanceof IllegalStateException
            || ex instanceof IOException
            || ex instanceof UncheckedIOException
            || ex instanceof org.jgrad.train.TrainingDivergedException;
    String what = ex instanceof FileSystemException fs ? describe(fs)
        : ex instanceof UncheckedIOException u && u.getCause() instanceof FileSystemException cause ? describe(cause)
        : expected && ex.getMessage() != null ? ex.getMessage() : ex.toString();
    var err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + oneLine(what));
    if (debug()) {
      ex.printStackTrace(err);
    } else if (!expected) {
      err.println("(set JGRAD_DEBUG=1 for the stack trace)");
    }
    err.flush();
    return ExitCode.SOFTWARE;
  }

  /**
   * The JDK's file-system exceptions say only the path when the OS gives no reason (an unreadable
   * file reads as a bare "/data/x.csv"): say what went wrong with it.
   */
  static String describe(FileSystemException e) {
    String file = e.getFile() != null ? e.getFile() : "?";
    String other = e.getOtherFile() != null ? " -> " + e.getOtherFile() : "";
    if (e.getReason() != null) return file + other + ": " + e.getReason();
    if (e instanceof AccessDeniedException)
      return file + other + ": permission denied (jgrad may not read or write it; check its permissions, e.g. with ls -l)";
    if (e instanceof NoSuchFileException) return file + other + ": no such file or folder";
    if (e instanceof FileAlreadyExistsException) return file + other + ": already exists";
    return file + other + ": " + e.getClass().getSimpleName();
  }

  private static boolean debug() {
    String env = System.getenv("JGRAD_DEBUG");
    return (env != null && !env.isEmpty() && !env.equals("0")) || Boolean.getBoolean("jgrad.debug");
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
