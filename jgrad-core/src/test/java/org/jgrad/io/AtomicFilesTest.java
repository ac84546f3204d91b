package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheTargetAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("out.bin");
        Files.writeString(target, "old");
        AtomicFiles.write(target, ch -> ch.write(ByteBuffer.wrap("new content".getBytes(StandardCharsets.UTF_8))));
        assertEquals("new content", Files.readString(target));
        assertEquals(List.of("out.bin"), listing());
    }

    @Test
    void createsAMissingTargetThroughARelativePath() throws IOException {
        Path target = dir.resolve("sub").resolve("fresh.bin");
        Files.createDirectories(target.getParent());
        AtomicFiles.writeStream(target, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    }

    @Test
    void aWriterThatThrowsMidwayLeavesTheOldFileIntact() throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafeTensors.save(Map.of("w", Tensor.of(1f, 2f, 3f)), target);
        byte[] before = Files.readAllBytes(target);

        IOException boom = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> {
            ch.write(ByteBuffer.wrap(new byte[4096]));
            throw boom;
        }));
        assertSame(boom, thrown);
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("model.safetensors"), listing());

        assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeStream(target, out -> {
            out.write(new byte[100_000]);
            throw new UncheckedIOException(new IOException("unchecked"));
        }));
        assertThrows(OutOfMemoryError.class, () -> AtomicFiles.write(target, ch -> {
            throw new OutOfMemoryError("simulated");
        }));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertArrayEquals(new float[] {1f, 2f, 3f}, SafeTensors.load(target).tensors().get("w").toFloatArray());
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void aFailingSaveLeavesTheOldFileIntact() throws IOException {
        Path target = dir.resolve("w.safetensors");
        SafeTensors.save(Map.of("w", Tensor.of(1f, 2f)), target);
        byte[] before = Files.readAllBytes(target);
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("w", Tensor.of(5f), "bad\uD800", Tensor.of(1f)), target));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("w.safetensors"), listing());
    }

    @Test
    void aMissingFolderFailsWithoutCreatingAnything() throws IOException {
        Path target = dir.resolve("no-such-dir").resolve("x.bin");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> {}));
        assertEquals(List.of(), listing());
    }

    @Test
    void aSymbolicLinkTargetIsWrittenThroughAndKept() throws IOException {
        Path real = dir.resolve("real.bin");
        Files.writeString(real, "old");
        Path link = dir.resolve("link.bin");
        try {
            Files.createSymbolicLink(link, real.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("symbolic links unsupported here: " + e);
        }
        AtomicFiles.writeStream(link, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals(true, Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("link.bin", "real.bin"), listing());
    }
}
