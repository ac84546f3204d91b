package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jgrad shell}, fed on stdin the way a pipe would: jgrad loads, the imports are there, the flags arrive. */
class ShellCommandTest {

  record Session(int exitCode, String out, String err) {}

  static Session feed(String input) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new ShellCommand().run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), o, e);
    }
    return new Session(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void preloadedImportsTrainAndTheVectorApiIsOn() throws Exception {
    Session s = feed("""
        var x = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        var loss = x.square().sum();
        loss.backward();
        System.out.println("grad=" + x.grad());
        Module m = new Linear(3, 2);
        System.out.println("params=" + m.parameters().size());
        System.out.println("kernels=" + org.jgrad.kernels.Kernels.implementation());
        /exit
        """);
    assertEquals(0, s.exitCode(), s.out() + s.err());
    assertTrue(s.out().contains("grad=tensor([2., 4., 6.])"), s.out() + s.err());
    assertTrue(s.out().contains("params=2"), s.out() + s.err());
    // -R--add-modules reached the JVM that runs the snippets: the Vector API kernels are in use there.
    assertTrue(s.out().contains("kernels=vector"), s.out() + s.err());
  }

  @Test
  void aSnippetErrorIsReportedAndTheShellGoesOn() throws Exception {
    Session s = feed("""
        Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3));
        System.out.println("still here");
        /exit 3
        """);
    assertTrue((s.out() + s.err()).contains("matmul: inner dimensions differ"), s.out() + s.err());
    assertTrue(s.out().contains("still here"), s.out() + s.err());
    assertEquals(3, s.exitCode());
  }

  @Test
  void argumentsCarryTheClassPathTheRemoteFlagsAndBothStartups() {
    List<String> args = ShellCommand.arguments(Path.of("/tmp/s.jsh"), List.of("a.jar", "b"), List.of("x.jsh"));
    assertEquals("--class-path", args.get(0));
    assertTrue(args.get(1).equals("a.jar" + java.io.File.pathSeparator + "b"), args.get(1));
    assertTrue(args.contains("-R--add-modules=jdk.incubator.vector"), args.toString());
    assertEquals(List.of("--startup", "DEFAULT", "--startup", "/tmp/s.jsh", "x.jsh"), args.subList(args.size() - 5, args.size()));
  }
}
