package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which JVM options the {@code ./jgrad} launcher picks for which command (docs/performance.md, "Memory"). */
class LauncherJvmOptionsTest {

  private static final String PRETOUCH = "-XX:+AlwaysPreTouch";

  /** The options the launcher script would start the JVM with for these arguments, in this environment. */
  static String launcherJvmOptions(Map<String, String> env, String... args) throws Exception {
    Path launcher = Path.of("..", "jgrad").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(launcher), "the launcher is at the repository root: " + launcher);
    var cmd = new ArrayList<String>(List.of("bash", launcher.toString()));
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JGRAD_JAVA_OPTS");
    pb.environment().putAll(env);
    pb.environment().put("JGRAD_PRINT_JVM_OPTS", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  static String launcherJvmOptions(String... args) throws Exception {
    return launcherJvmOptions(Map.of(), args);
  }

  @Test
  void computingCommandsStartFromAPreTouchedHeapOfTheirOwnSize() throws Exception {
    for (String[] args : List.of(new String[] {"bench", "--threads", "2"}, new String[] {"train", "--epochs", "1"},
        new String[] {"--some-option", "examples"}, new String[] {"shell"})) {
      String opts = launcherJvmOptions(args);
      assertTrue(opts.contains(PRETOUCH) && opts.contains("-Xms256m"), String.join(" ", args) + ": " + opts);
      // the young generation still grows for the large models
      assertTrue(opts.contains("-XX:MaxNewSize=2g") && opts.contains("-XX:GCTimeRatio=9"), opts);
    }
  }

  @Test
  void commandsThatOnlyPrintDoNotTouchAHeapTheyNeverUse() throws Exception {
    for (String[] args : List.of(new String[] {}, new String[] {"version"}, new String[] {"help", "train"},
        new String[] {"--version"}, new String[] {"train", "--help"}, new String[] {"bench", "-h"},
        new String[] {"models"}, new String[] {"summary", "resnet18"})) {
      String opts = launcherJvmOptions(args);
      assertFalse(opts.contains(PRETOUCH) || opts.contains("-Xms"), String.join(" ", args) + ": " + opts);
      assertTrue(opts.contains("-XX:+UseParallelGC"), opts);
    }
  }

  @Test
  void warmupRecordsWithTheOptionsOfTheCommandItRuns() throws Exception {
    // The AOT cache's name is keyed by the options, so `jgrad warmup X` must start X's JVM exactly as
    // `jgrad X` will (docs/performance.md, "Warm-up").
    assertEquals(launcherJvmOptions("bench"), launcherJvmOptions("warmup"));
    assertEquals(launcherJvmOptions("train"), launcherJvmOptions("warmup", "train", "--epochs", "1"));
    assertEquals(launcherJvmOptions("version"), launcherJvmOptions("warmup", "version"));
    assertEquals(launcherJvmOptions("playground"), launcherJvmOptions("warmup", "playground"));
  }

  @Test
  void theUsersOptionsReplaceTheDefaultsWhole() throws Exception {
    assertEquals("-Xmx1g", launcherJvmOptions(Map.of("JGRAD_JAVA_OPTS", "-Xmx1g"), "bench"));
    assertEquals("", launcherJvmOptions(Map.of("JGRAD_JAVA_OPTS", ""), "bench"));
  }
}
