package org.jgrad.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.io.Checkpoint;

/**
 * Where rank 0 keeps the run's latest checkpoint, {@code checkpoint.safetensors} in a folder: a local
 * path or {@code file:} URI (which must be shared by all executors on a real cluster), or any
 * Hadoop-compatible URI ({@code hdfs://}, {@code s3a://}, {@code abfs://}) through the cluster's Hadoop
 * client. Writes are atomic: a file is written under a temporary name and renamed, so a crash while
 * saving leaves the previous checkpoint.
 */
final class CheckpointStore {
    static final String FILE = "checkpoint.safetensors";

    private final String location;
    private final URI uri;

    CheckpointStore(String location) {
        this(location, false);
    }

    /** {@code viaHadoop}: a {@code file:} URI goes through Hadoop's local file system too (for tests of that path). */
    CheckpointStore(String location, boolean viaHadoop) {
        this.location = location;
        URI u;
        try {
            u = URI.create(location);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        // A Windows drive letter or a plain path parses as a scheme-less or one-letter-scheme URI.
        this.uri = u != null && u.getScheme() != null && u.getScheme().length() > 1
                && (viaHadoop || !u.getScheme().equals("file")) ? u : null;
    }

    private Path localDir() {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    /** The latest checkpoint, or null when there is none yet. */
    Checkpoint load() throws IOException {
        if (uri == null) {
            Path f = localDir().resolve(FILE);
            return Files.exists(f) ? Checkpoint.load(f) : null;
        }
        var conf = new org.apache.hadoop.conf.Configuration();
        var fs = org.apache.hadoop.fs.FileSystem.get(uri, conf);
        var remote = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(uri), FILE);
        if (!fs.exists(remote)) return null;
        Path tmp = Files.createTempFile("jgrad-spark-ckpt", ".safetensors");
        try {
            fs.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
            return Checkpoint.load(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces the latest checkpoint by {@code ck}. */
    void save(Checkpoint ck) throws IOException {
        if (uri == null) {
            Path dir = localDir();
            Files.createDirectories(dir);
            ck.save(dir.resolve(FILE)); // atomic by itself
            return;
        }
        Path tmp = Files.createTempFile("jgrad-spark-ckpt", ".safetensors");
        try {
            ck.save(tmp);
            var conf = new org.apache.hadoop.conf.Configuration();
            var fs = org.apache.hadoop.fs.FileSystem.get(uri, conf);
            var dir = new org.apache.hadoop.fs.Path(uri);
            fs.mkdirs(dir);
            var part = new org.apache.hadoop.fs.Path(dir, FILE + ".writing");
            var dest = new org.apache.hadoop.fs.Path(dir, FILE);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(tmp.toUri()), part);
            // Object stores have no atomic rename over an existing key; delete-then-rename keeps the
            // window small, and a crash inside it leaves the .writing file to recover by hand.
            if (fs.exists(dest) && !fs.delete(dest, false))
                throw new IOException("could not replace " + dest);
            if (!fs.rename(part, dest)) throw new IOException("could not rename " + part + " to " + dest);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return location;
    }
}
