package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlaygroundCommandTest {

  @Test
  void badPortIsAOneLineUsageError() {
    var r = JgradCommandTest.run("playground", "--port", "70000");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--port must be in 0..65535, got 70000"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void helpDescribesThePort() {
    var r = JgradCommandTest.run("playground", "--help");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("--port") && r.out().contains("8080"), r.out());
  }

  /** The options the launcher script would start the JVM with for these arguments. */
  private static String launcherJvmOptions(String... args) throws Exception {
    Path launcher = Path.of("..", "jgrad").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(launcher), "the launcher is at the repository root: " + launcher);
    var cmd = new java.util.ArrayList<String>(java.util.List.of("bash", launcher.toString()));
    cmd.addAll(java.util.List.of(args));
    var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JGRAD_JAVA_OPTS");
    pb.environment().put("JGRAD_PRINT_JVM_OPTS", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void theLauncherCapsThePlaygroundsHeapByDefault() throws Exception {
    assertTrue(launcherJvmOptions("playground", "--port", "0").contains("-Xmx512m"),
        "a long-running server gets a fixed heap, not 75% of the RAM");
    // the command is the first argument that is not an option
    assertTrue(launcherJvmOptions("--some-option", "playground").contains("-Xmx512m"));
    String train = launcherJvmOptions("train", "--help");
    assertTrue(train.contains("MaxRAMPercentage") && !train.contains("-Xmx"), "other commands keep the large heap: " + train);
  }
}
