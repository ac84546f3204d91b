package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void theLauncherCapsThePlaygroundsHeapByDefault() throws Exception {
    assertTrue(LauncherJvmOptionsTest.launcherJvmOptions("playground", "--port", "0").contains("-Xmx512m"),
        "a long-running server gets a fixed heap, not 75% of the RAM");
    // the command is the first argument that is not an option
    assertTrue(LauncherJvmOptionsTest.launcherJvmOptions("--some-option", "playground").contains("-Xmx512m"));
    String train = LauncherJvmOptionsTest.launcherJvmOptions("train", "--help");
    assertTrue(train.contains("MaxRAMPercentage") && !train.contains("-Xmx"), "other commands keep the large heap: " + train);
  }
}
