package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.io.Checkpoint;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rank 0's checkpoint folder: a plain path, and the Hadoop FileSystem path (through Hadoop's local file system). */
class CheckpointStoreTest {

    private static Checkpoint checkpoint(long epoch) {
        return Checkpoint.builder().model(Map.of("w", Tensor.of(1f, 2f, (float) epoch))).epoch(epoch).step(10 * epoch)
                .metadata("jgrad.spark.fingerprint", "abc").build();
    }

    @Test
    void aLocalFolderKeepsTheLatestCheckpoint(@TempDir Path dir) throws Exception {
        CheckpointStore s = new CheckpointStore(dir.resolve("run").toString());
        assertNull(s.load());
        s.save(checkpoint(1));
        s.save(checkpoint(2));
        Checkpoint back = s.load();
        assertEquals(2, back.epoch());
        assertArrayEquals(new float[] {1, 2, 2}, back.model().get("w").toFloatArray());
        assertEquals("abc", back.metadata().get("jgrad.spark.fingerprint"));
    }

    @Test
    void aHadoopUriWritesUnderATemporaryNameAndRenames(@TempDir Path dir) throws Exception {
        CheckpointStore s = new CheckpointStore(dir.resolve("hdfs-like").toUri().toString(), true);
        assertNull(s.load());
        s.save(checkpoint(1));
        s.save(checkpoint(3));
        assertEquals(3, s.load().epoch());
        assertTrue(Files.exists(dir.resolve("hdfs-like").resolve(CheckpointStore.FILE)));
        assertFalse(Files.exists(dir.resolve("hdfs-like").resolve(CheckpointStore.FILE + ".writing")));
    }
}
