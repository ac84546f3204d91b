package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jgrad.playground.PlaygroundServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrad playground}: serves the TensorFlow-Playground-like page until interrupted. */
@Command(
    name = "playground",
    sortOptions = false,
    description = "Start the playground (train a small network in the browser, like TensorFlow Playground) "
        + "and print its URL; runs until stopped with Ctrl-C. Listens on localhost only and answers only "
        + "its own page. The jgrad launcher runs it with a 512 MiB heap (JGRAD_JAVA_OPTS overrides that).")
final class PlaygroundCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "TCP port on localhost (0 picks a free one; default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be in 0..65535, got " + port);
    }
    String url;
    try {
      url = PlaygroundServer.start(port);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(),
          "cannot listen on port " + port + " (" + e.getMessage() + "); pick another with --port");
    }
    PrintWriter out = spec.commandLine().getOut();
    // the launcher caps the heap of this long-running server (JGRAD_JAVA_OPTS overrides it)
    long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
    out.println("playground: " + url + "  (Ctrl-C to stop; heap limit " + heapMiB + " MiB)");
    out.flush();
    // The server's threads serve until the JVM is stopped; the launcher's main would otherwise exit.
    new CountDownLatch(1).await();
    return 0;
  }
}
