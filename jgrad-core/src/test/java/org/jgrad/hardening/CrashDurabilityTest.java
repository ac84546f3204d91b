package org.jgrad.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 during training loses nothing: a child JVM ({@link CrashableTraining}) checkpoints every
 * epoch and is killed at seeded random moments, once or more per round. After every kill the
 * newest checkpoint loads, every file that looks like a checkpoint is complete, leftovers of
 * interrupted writes are temp files that nothing mistakes for checkpoints, and resuming to the end
 * gives final weights bit-identical to an uninterrupted run.
 *
 * <p>About 15 s by default (five child JVMs); {@code -Djgrad.durability.rounds=N} (and {@code .kills}, {@code .epochs})
 * runs a longer variant.
 */
class CrashDurabilityTest {
    private static final int ROUNDS = Integer.getInteger("jgrad.durability.rounds", 2);
    private static final int KILLS = Integer.getInteger("jgrad.durability.kills", 1);
    private static final int EPOCHS = Integer.getInteger("jgrad.durability.epochs", 30);
    private static final Pattern CHECKPOINT = Pattern.compile("last\\.safetensors|epoch-\\d{3,}\\.safetensors");
    private static final Pattern TEMP = Pattern.compile("\\..+\\.tmp-[0-9a-f]+");

    @TempDir
    Path tmp;

    private static int tempFilesSeen;

    @Test
    void killedTrainingResumesToBitIdenticalWeights() throws Exception {
        Path ref = Files.createDirectory(tmp.resolve("reference"));
        long t0 = System.nanoTime();
        assertEquals(0, child(ref).waitFor(), "the uninterrupted run failed; see its output above");
        long fullMillis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Tensor> expected = SafeTensors.load(ref.resolve("final.safetensors")).tensors();
        checkDir(ref);

        Random rnd = new Random(20261123L);
        int killedMidRun = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path dir = Files.createDirectory(tmp.resolve("round" + round));
            for (int k = 0; k < KILLS; k++) {
                Process p = child(dir);
                // Anywhere from JVM start-up to the end of a full run.
                long at = 100 + (long) (rnd.nextDouble() * fullMillis);
                if (!p.waitFor(at, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    killedMidRun++;
                }
                p.waitFor();
                checkDir(dir);
            }
            Process p = child(dir);
            assertEquals(0, p.waitFor(), "resuming in " + dir + " failed; see its output above");
            Map<String, Tensor> got = SafeTensors.load(dir.resolve("final.safetensors")).tensors();
            assertBitIdentical(expected, got, "round " + round);
        }
        System.out.printf("CrashDurabilityTest: %d rounds, %d kills while running (uninterrupted run %d ms), %d temp files left by kills%n",
                ROUNDS, killedMidRun, fullMillis, tempFilesSeen);
        assertTrue(killedMidRun > 0, "no kill landed while a child was running; the test proved nothing");
    }

    private static Process child(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashableTraining.class.getName(), dir.toString(), Integer.toString(EPOCHS)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Every checkpoint-named file is complete; everything else is a temp file or the final weights. */
    private static void checkDir(Path dir) throws IOException {
        long lastEpoch = -1, newestKept = -1;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (CHECKPOINT.matcher(name).matches()) {
                Checkpoint ck;
                try {
                    ck = Checkpoint.load(f);
                } catch (IOException e) {
                    fail("a checkpoint that does not load survived a kill: " + f + ": " + e.getMessage());
                    return;
                }
                if (name.equals("last.safetensors")) lastEpoch = ck.epoch();
                else {
                    assertEquals(Long.parseLong(name.replaceAll("\\D", "")), ck.epoch(), f + " holds another epoch");
                    newestKept = Math.max(newestKept, ck.epoch());
                }
            } else if (name.equals("final.safetensors")) {
                SafeTensors.load(f);
            } else {
                assertTrue(TEMP.matcher(name).matches(), "unexpected file after a kill: " + f);
                tempFilesSeen++;
            }
        }
        // last.safetensors is written before epoch-NNN, so it is at most one epoch ahead of the newest kept file.
        if (newestKept >= 0) {
            assertTrue(lastEpoch == newestKept || lastEpoch == newestKept + 1,
                    "last.safetensors holds epoch " + lastEpoch + " but the newest kept checkpoint is epoch " + newestKept);
        }
    }

    private static void assertBitIdentical(Map<String, Tensor> want, Map<String, Tensor> got, String what) {
        assertEquals(want.keySet(), got.keySet(), what + ": keys");
        for (String k : want.keySet()) {
            float[] a = want.get(k).toFloatArray(), b = got.get(k).toFloatArray();
            assertEquals(a.length, b.length, what + ": " + k);
            for (int i = 0; i < a.length; i++)
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i]))
                    fail(what + ": " + k + "[" + i + "] = " + b[i] + " after kills and resumes, " + a[i] + " uninterrupted");
        }
    }
}
