package org.jgrad.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jgrad version}: what is running, and on what. */
@Command(
    name = "version",
    description = "Print the jgrad and Java versions and whether the Vector API is available.")
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("jgrad " + JgradVersion.version());
    out.println("Java " + Runtime.version()
        + " (" + System.getProperty("java.vm.vendor", "unknown vendor")
        + ", " + System.getProperty("java.home", "?") + ")");
    out.println("OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    out.println(VectorSupport.detect().describe());
    out.flush();
    return 0;
  }
}
