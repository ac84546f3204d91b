package org.jgrad.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same bits, for a convolutional net: {@link ReproducibleTrainingChild} trains in two fresh
 * JVMs whose JITs compile at very different moments, and the weights must be byte-identical. One JVM
 * stops at C1, where Vector API code runs as plain Java (its lane reductions add in lane order); the
 * other compiles with C2 after a few invocations, as a long run does. A reduction whose order
 * depends on which of the two ran it (reduceLanes, a thread-order sum) makes the bytes differ.
 */
class ReproducibleTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void aCnnTrainsToTheSameBytesInTwoFreshJvms() throws Exception {
        byte[] c1 = run("c1", List.of("-XX:TieredStopAtLevel=1"));
        byte[] c2 = run("c2", List.of("-XX:-TieredCompilation", "-XX:CompileThreshold=100", "-Xbatch"));
        assertEquals(c1.length, c2.length, "the two runs wrote different amounts of weights");
        assertArrayEquals(c1, c2, "the same seeded training gave different weights in two JVMs");
    }

    private byte[] run(String name, List<String> jitFlags) throws IOException, InterruptedException {
        Path out = tmp.resolve(name + ".bin"), log = tmp.resolve(name + ".log");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java));
        // The child gets the Vector API exactly when this JVM has it (the no-vector profile runs without).
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent())
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        cmd.addAll(jitFlags);
        cmd.addAll(List.of("-Xmx256m", "-Xss4m", "-Djgrad.numThreads=2", "-cp", System.getProperty("java.class.path"),
                ReproducibleTrainingChild.class.getName(), out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(name + " run did not finish in 5 minutes");
        }
        assertEquals(0, p.exitValue(), () -> name + " run failed:\n" + read(log));
        return Files.readAllBytes(out);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
