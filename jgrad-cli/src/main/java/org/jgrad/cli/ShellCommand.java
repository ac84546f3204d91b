package org.jgrad.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jgrad shell}: JShell with jgrad on the class path, the JVM flags jgrad needs, and the
 * imports of README's snippets preloaded, so the lectures' examples can be tried line by line.
 *
 * <p>JShell runs each snippet in a JVM of its own (its "remote agent"); the flags reach that JVM
 * through {@code -R} options. Arguments after {@code shell} go to JShell itself: a script file to
 * run, or JShell's own options after {@code --} ({@code jgrad shell -- --feedback concise}).
 */
@Command(
    name = "shell",
    description = {
      "Start JShell with jgrad on the class path, the Vector API enabled and the common jgrad imports"
          + " preloaded (Tensor, nn, optim, data, train, F, Models, ...).",
      "Arguments go to JShell: a script file to run, or JShell options after --"
          + " (jgrad shell -- --feedback concise). Type /exit to leave."
    })
final class ShellCommand implements Callable<Integer> {

  /** The imports README's snippets assume; a resource of this module. */
  static final String STARTUP = "shell/startup.jsh";

  /** Options for the JVM that runs the snippets: the same as ./jgrad's, less the heap tuning. */
  static final List<String> REMOTE_JVM_FLAGS =
      List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m");

  @Parameters(arity = "0..*", paramLabel = "JSHELL-ARG", description = "Passed on to JShell.")
  List<String> jshellArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    // A terminal gets JShell's line editor; piped input is read as it comes, without prompts' echo games.
    return System.console() != null ? run(null, System.out, System.err) : run(System.in, System.out, System.err);
  }

  /** Runs JShell on these streams ({@code in} null: the terminal); returns its exit status. */
  int run(InputStream in, PrintStream out, PrintStream err) throws Exception {
    Path startup = Files.createTempFile("jgrad-shell-", ".jsh");
    try {
      try (InputStream s = ShellCommand.class.getResourceAsStream(STARTUP)) {
        if (s == null) throw new IllegalStateException("jgrad shell: " + STARTUP + " is missing from the jgrad-cli jar");
        Files.write(startup, s.readAllBytes());
      }
      JavaShellToolBuilder shell = JavaShellToolBuilder.builder().out(out).err(err);
      if (in != null) shell.in(in, null);
      return shell.start(arguments(startup, classPath(), jshellArgs).toArray(String[]::new));
    } finally {
      Files.deleteIfExists(startup);
    }
  }

  /** JShell's command line: class path, remote JVM flags, JShell's default startup and then ours. */
  static List<String> arguments(Path startup, List<String> classPath, List<String> extra) {
    List<String> args = new ArrayList<>();
    args.add("--class-path");
    args.add(String.join(File.pathSeparator, classPath));
    for (String flag : REMOTE_JVM_FLAGS) args.add("-R" + flag);
    args.add("--startup");
    args.add("DEFAULT");
    args.add("--startup");
    args.add(startup.toString());
    args.addAll(extra);
    return args;
  }

  /**
   * This JVM's class path with the jars that {@code jgrad-cli.jar}'s manifest names added: started
   * with {@code java -jar}, the class path is that one jar, and its dependencies come from its
   * {@code Class-Path} attribute.
   */
  static List<String> classPath() throws IOException {
    Set<String> entries = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (e.isEmpty()) continue;
      entries.add(e);
      Path p = Path.of(e);
      if (!e.endsWith(".jar") || !Files.isRegularFile(p)) continue;
      try (JarFile jar = new JarFile(p.toFile())) {
        var manifest = jar.getManifest();
        String cp = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (cp == null) continue;
        Path dir = p.toAbsolutePath().getParent();
        for (String rel : cp.trim().split("\\s+")) entries.add(dir.resolve(rel).normalize().toString());
      }
    }
    return new ArrayList<>(entries);
  }
}
