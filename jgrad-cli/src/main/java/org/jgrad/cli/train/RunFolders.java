package org.jgrad.cli.train;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Where runs live: {@code runs/<yyyyMMdd-HHmmss>-<model>-<data>/}, and finding one to resume. */
public final class RunFolders {
  private RunFolders() {}

  /** The folder new runs go into, relative to the working directory. */
  public static final Path ROOT = Path.of("runs");

  /** The checkpoint file in a run folder. */
  public static final String CHECKPOINT = "last.safetensors";

  /** A fresh, not yet existing folder name for a run of {@code model} on {@code data}. */
  public static Path newRun(String model, String data) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path p = ROOT.resolve(stamp + "-" + model + "-" + data);
    for (int i = 2; Files.exists(p); i++) p = ROOT.resolve(stamp + "-" + model + "-" + data + "-" + i);
    return p;
  }

  /**
   * The checkpoint to resume from: {@code target} may be a checkpoint file or a run folder; empty
   * means {@code out} when given, else the newest run under {@link #ROOT} that has a checkpoint.
   */
  public static Path checkpointToResume(String target, Path out) throws IOException {
    if (target != null && !target.isEmpty()) {
      Path p = Path.of(target);
      if (Files.isDirectory(p)) p = p.resolve(CHECKPOINT);
      if (!Files.isRegularFile(p)) throw new FileNotFoundException("--resume: no checkpoint at " + p);
      return p;
    }
    if (out != null) {
      Path p = out.resolve(CHECKPOINT);
      if (!Files.isRegularFile(p)) throw new FileNotFoundException("--resume: no checkpoint at " + p);
      return p;
    }
    Optional<Path> newest = Optional.empty();
    if (Files.isDirectory(ROOT)) {
      try (Stream<Path> s = Files.list(ROOT)) {
        newest = s.map(d -> d.resolve(CHECKPOINT)).filter(Files::isRegularFile)
            .max(Comparator.comparing(RunFolders::modified));
      }
    }
    return newest.orElseThrow(() -> new FileNotFoundException("--resume: no run with a checkpoint under " + ROOT
        + "/ (give the run folder: --resume runs/NAME)"));
  }

  /**
   * Deletes the temp files of writes a kill interrupted in run folder {@code dir}: AtomicFiles names
   * them {@code .<name>.tmp-<hex>} ({@code .model.safetensors.tmp-*} of the final weights included),
   * and nothing else in a run folder looks like that. Failures are ignored: a leftover harms nothing.
   */
  public static void deleteStaleTemps(Path dir) {
    try (var files = Files.newDirectoryStream(dir, ".*.tmp-[0-9a-f]*")) {
      for (Path f : files) Files.deleteIfExists(f);
    } catch (IOException e) {
      // best effort
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }
}
