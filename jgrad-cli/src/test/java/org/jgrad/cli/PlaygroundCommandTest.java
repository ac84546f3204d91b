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
}
