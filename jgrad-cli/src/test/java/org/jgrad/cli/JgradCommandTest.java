package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

public class JgradCommandTest {

  public record Result(int exitCode, String out, String err) {}

  /** Runs the CLI as main() would, capturing its output. */
  public static Result run(String... args) {
    CommandLine cli = JgradCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static void assertOneLineError(Result r, String mentioning) {
    assertEquals(2, r.exitCode(), r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(mentioning), r.err());
    assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());
  }

  @Test
  void unknownOptionIsAOneLineUsageError() {
    assertOneLineError(run("--bogus"), "--bogus");
  }

  @Test
  void unknownSubcommandOptionIsAOneLineUsageError() {
    assertOneLineError(run("examples", "--bogus"), "--bogus");
  }

  @Test
  void misspelledCommandSuggestsTheRightOne() {
    Result r = run("exampels");
    assertOneLineError(r, "exampels");
    assertTrue(r.err().contains("examples"), r.err());
  }

  @Test
  void noCommandPrintsUsageAndExitsWith2() {
    Result r = run();
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("examples"), r.err());
  }

  @Test
  void versionMentionsJgradJavaAndTheVectorApi() {
    Result r = run("version");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("jgrad " + JgradVersion.version()), r.out());
    assertTrue(r.out().contains("Java " + Runtime.version().feature()), r.out());
    assertTrue(r.out().contains("jdk.incubator.vector"), r.out());
  }

  @Test
  void versionComesFromTheBuild() {
    assertFalse(JgradVersion.version().equals("unknown"), "version.properties was not filtered");
    Result r = run("--version");
    assertEquals(0, r.exitCode());
    assertEquals("jgrad " + JgradVersion.version(), r.out().strip());
  }

  @Test
  void vectorApiIsDetectedWhenTheModuleIsAdded() {
    // The tests run with --add-modules jdk.incubator.vector (surefire argLine), like ./jgrad.
    VectorSupport v = VectorSupport.detect();
    assertTrue(v.available());
    assertTrue(v.floatLanes() >= 1 && v.bits() == 32 * v.floatLanes(), v.toString());
  }

  @Test
  void helpListsTheCommands() {
    Result r = run("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("version") && r.out().contains("examples"), r.out());
  }
}
