package org.jgrad.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Crash-safe file replacement: readers of {@code target} see either the complete old file or the
 * complete new one, never a prefix, even if the process dies or the writer throws midway.
 *
 * <p>The new content goes to a temporary file {@code .<name>.tmp-<random>} in the target's folder
 * (same file system, so the rename cannot degrade into a copy), which is forced to disk, renamed over
 * the target with {@link StandardCopyOption#ATOMIC_MOVE} (falling back to
 * {@link StandardCopyOption#REPLACE_EXISTING} where the file system cannot rename atomically), after
 * which the folder itself is forced so the rename survives a power loss (skipped silently on
 * platforms that cannot open a folder, e.g. Windows). On any failure the temporary file is deleted and
 * the target is untouched.
 *
 * <p>The new file gets default permissions for a newly created file, not those of the file it replaces.
 * A target that is a symbolic link is resolved first, so the file it points to is replaced and the
 * link is kept.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** An action on an open resource that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        /** Performs the action. */
        void accept(T t) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code writer} writes to the channel. The channel is positioned
     * at 0 of an empty file and is closed by this method; the writer must not close it.
     *
     * @throws IOException what the writer or the file system threw; the target is then unchanged
     */
    public static void write(Path target, IOConsumer<FileChannel> writer) throws IOException {
        Objects.requireNonNull(writer, "writer");
        // Write through a symbolic link, like opening the file would, instead of replacing the link.
        Path abs = Files.isSymbolicLink(target) ? target.toRealPath() : target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + HexFormat.of().toHexDigits(RANDOM.nextLong()));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.accept(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            forceDirectory(dir);
        } catch (Throwable t) {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
    }

    /**
     * As {@link #write(Path, IOConsumer)} for code that produces a stream: the stream is buffered,
     * flushed and closed by this method.
     */
    public static void writeStream(Path target, IOConsumer<OutputStream> writer) throws IOException {
        Objects.requireNonNull(writer, "writer");
        write(target, ch -> {
            // Not closed here: closing would close the channel, which write() still has to force.
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            writer.accept(out);
            out.flush();
        });
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the rename already happened; only its durability across power loss is at stake.
        }
    }
}
