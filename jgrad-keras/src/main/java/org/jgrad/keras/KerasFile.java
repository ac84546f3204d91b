package org.jgrad.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.jgrad.io.MemoryBudget;

/**
 * A Keras model file read into memory, with no Python and no native HDF5: a Keras 3 {@code .keras}
 * archive (a zip of {@code config.json}, {@code model.weights.h5} and {@code metadata.json}), a Keras 2
 * full-model {@code .h5} (the model's config in the root attribute {@code model_config}, the weights
 * under {@code model_weights}) or a weights-only {@code .h5} (Keras 2's {@code save_weights} layout, or
 * Keras 3's {@code .weights.h5}). The format is recognised by the file's first bytes, whatever its name.
 *
 * <p>Nothing is believed: zip entry sizes, HDF5 dataset shapes and JSON lengths are checked against the
 * file's length and {@link MemoryBudget} before anything is allocated, and no code runs (a Keras config
 * names layer classes; jgrad maps the names it knows onto its own layers and instantiates nothing the
 * file names). Every problem is a {@link KerasFormatException} naming the file and the place in it, and
 * nothing is returned half-read.
 */
public final class KerasFile {
    /** How the file stores the model. */
    public enum Format {
        /** Keras 3 {@code .keras} zip archive: config.json, model.weights.h5, metadata.json. */
        KERAS_ARCHIVE,
        /** Keras 2 full-model HDF5 ({@code model.save("m.h5")}): config and weights. */
        H5_FULL_MODEL,
        /** Keras 2 weights-only HDF5 ({@code save_weights("w.h5")}): weights by layer name, no config. */
        H5_WEIGHTS,
        /** Keras 3 weights-only HDF5 ({@code save_weights("m.weights.h5")}): weights by layer, no config. */
        KERAS3_WEIGHTS
    }

    static final String CONFIG = "config.json", WEIGHTS = "model.weights.h5", METADATA = "metadata.json";
    /** config.json and metadata.json are text; even a very large model's config stays far below this. */
    static final long MAX_JSON_BYTES = 64L << 20;
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final Path file;
    private final Format format;
    private final JsonNode config;
    private final String kerasVersion;
    private final Map<String, LayerWeights> layers;

    private KerasFile(Path file, Format format, JsonNode config, String kerasVersion, Map<String, LayerWeights> layers) {
        this.file = file;
        this.format = format;
        this.config = config;
        this.kerasVersion = kerasVersion;
        this.layers = Collections.unmodifiableMap(layers);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** How the file stores the model. */
    public Format format() {
        return format;
    }

    /** The model's config (config.json, or Keras 2's {@code model_config}), or null for a weights-only file. */
    public JsonNode config() {
        return config;
    }

    /** Where the config sits in the file, for messages. */
    String configOrigin() {
        return format == Format.KERAS_ARCHIVE ? CONFIG : "attribute model_config";
    }

    /** The Keras version that wrote the file, when it says so, else null. */
    public String kerasVersion() {
        return kerasVersion;
    }

    /**
     * The weights by layer name, in Keras' layouts and the file's order (layers nested inside a model
     * that is itself a layer are named {@code outer/inner}).
     */
    public Map<String, LayerWeights> layers() {
        return layers;
    }

    /**
     * Whether the file looks like a Keras file: an HDF5 file, or a zip archive holding {@code config.json}
     * and {@code model.weights.h5} (a PyTorch {@code torch.save} file is a zip archive too, without them).
     */
    public static boolean looksLikeKeras(Path file) throws IOException {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 8);
        }
        if (isHdf5(head, n)) return true;
        if (!isZip(head, n)) return false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(CONFIG) != null && zip.getEntry(WEIGHTS) != null;
        } catch (ZipException | java.io.EOFException | RuntimeException e) {
            return false; // not readable as a zip: let the reader that claims it say why
        }
    }

    private static boolean isZip(byte[] head, int n) {
        return n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    private static boolean isHdf5(byte[] head, int n) {
        if (n < 8) return false;
        for (int i = 0; i < 8; i++) if (head[i] != HDF5_MAGIC[i]) return false;
        return true;
    }

    /**
     * Reads a {@code .keras} archive or a Keras {@code .h5} file completely.
     *
     * @throws KerasFormatException for anything malformed, truncated, over-claiming or unsupported
     * @throws IOException when the file cannot be read at all (missing, permissions)
     */
    public static KerasFile read(Path file) throws IOException {
        long length = Files.size(file);
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 8);
        }
        if (isZip(head, n)) return readArchive(file);
        if (isHdf5(head, n)) return readH5(file, length);
        throw new KerasFormatException(file, null, "neither a .keras archive (zip) nor an HDF5 file (.h5): the file "
                + "starts with neither 'PK\\3\\4' nor the HDF5 signature" + (length < 8 ? " (it has only " + length
                + " bytes)" : ""));
    }

    private static KerasFile readH5(Path file, long length) throws IOException {
        if (!MemoryBudget.allows(length))
            throw new KerasFormatException(file, null, "the file " + MemoryBudget.refusal(length, "its weights"));
        Hdf5Weights.Contents c;
        // Mapped, not opened as a file: jhdf then slices the buffer for each structure the file claims,
        // and a claimed size past the end fails, where reading from a file would allocate it first.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, length);
            try (HdfFile h5 = openHdf5(file, null, () -> HdfFile.fromByteBuffer(mapped))) {
                c = Hdf5Weights.read(h5, file, null, length);
            }
        }
        JsonNode config = null;
        if (c.modelConfig() != null) config = KerasJson.parse(c.modelConfig().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                file, "attribute model_config");
        Format f = switch (c.layout()) {
            case KERAS3 -> Format.KERAS3_WEIGHTS;
            case LEGACY_FULL -> Format.H5_FULL_MODEL;
            case LEGACY_WEIGHTS -> Format.H5_WEIGHTS;
        };
        return new KerasFile(file, f, config, c.kerasVersion(), c.layers());
    }

    private interface Opener {
        HdfFile open();
    }

    /** Opens an HDF5 file through jhdf, turning its failure to parse the superblock into a format error. */
    private static HdfFile openHdf5(Path file, String entry, Opener opener) throws KerasFormatException {
        try {
            return opener.open();
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasFormatException(file, entry, "not a readable HDF5 file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private static KerasFile readArchive(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long total = 0;
            Map<String, ZipEntry> wanted = new LinkedHashMap<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                if (name.equals(CONFIG) || name.equals(WEIGHTS) || name.equals(METADATA)) {
                    if (wanted.put(name, e) != null)
                        throw new KerasFormatException(file, name, "the archive holds two entries of this name");
                }
            }
            for (String need : new String[] {CONFIG, WEIGHTS})
                if (!wanted.containsKey(need))
                    throw new KerasFormatException(file, null, "a zip archive without '" + need + "': not a .keras "
                            + "model (Keras 3 archives hold config.json, model.weights.h5 and metadata.json)");
            for (ZipEntry e : wanted.values()) {
                long limit = e.getName().equals(WEIGHTS) ? Long.MAX_VALUE : MAX_JSON_BYTES;
                byte[] bytes = readEntry(zip, e, file, limit, MemoryBudget.bytes() - total);
                total += bytes.length;
                entries.put(e.getName(), bytes);
            }
        } catch (ZipException e) {
            throw new KerasFormatException(file, null, "not a readable zip archive: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            // ZipFile follows the end record's offsets (zip64 locator, central directory) with plain reads,
            // so an offset past the file's end surfaces as EOFException rather than ZipException.
            throw new KerasFormatException(file, null, "not a readable zip archive: its end record points past "
                    + "the file's " + Files.size(file) + " bytes", e);
        } catch (RuntimeException e) {
            throw new KerasFormatException(file, null, "not a readable zip archive (" + e + ")", e);
        }
        JsonNode config = KerasJson.parse(entries.get(CONFIG), file, CONFIG);
        String version = null;
        if (entries.containsKey(METADATA)) {
            JsonNode meta = KerasJson.parse(entries.get(METADATA), file, METADATA);
            JsonNode v = meta.get("keras_version");
            if (v != null && v.isTextual()) version = v.asText();
        }
        byte[] h5bytes = entries.get(WEIGHTS);
        if (h5bytes.length < 8 || !isHdf5(h5bytes, h5bytes.length))
            throw new KerasFormatException(file, WEIGHTS, "not an HDF5 file (no HDF5 signature at offset 0)");
        Hdf5Weights.Contents c;
        try (HdfFile h5 = openHdf5(file, WEIGHTS, () -> HdfFile.fromByteBuffer(ByteBuffer.wrap(h5bytes)))) {
            c = Hdf5Weights.read(h5, file, WEIGHTS, h5bytes.length);
        }
        if (c.layout() != Hdf5Weights.Layout.KERAS3)
            throw new KerasFormatException(file, WEIGHTS, "holds Keras 2's layout (layer_names), not Keras 3's "
                    + "(layers/<name>/vars)");
        return new KerasFile(file, Format.KERAS_ARCHIVE, config, version, c.layers());
    }

    /**
     * Reads one entry, trusting neither its declared size nor its compressed data: the declared size
     * is checked against the limits first, and inflating stops with an error at the first byte past it.
     */
    private static byte[] readEntry(ZipFile zip, ZipEntry e, Path file, long limit, long budgetLeft) throws IOException {
        long size = e.getSize();
        String name = e.getName();
        if (size < 0) throw new KerasFormatException(file, name, "the entry's size is not recorded in the archive");
        if (size > limit)
            throw new KerasFormatException(file, name, "the entry claims " + size + " bytes, more than the "
                    + limit + " bytes allowed for it");
        if (size > Integer.MAX_VALUE - 8 || size > budgetLeft)
            throw new KerasFormatException(file, name, "the entry " + MemoryBudget.refusal(size, "its bytes"));
        if (e.getMethod() == ZipEntry.STORED && size > Files.size(file))
            throw new KerasFormatException(file, name, "the stored entry claims " + size + " bytes, more than the whole "
                    + "file (" + Files.size(file) + " bytes)");
        try (InputStream in = zip.getInputStream(e)) {
            // Grown as data arrives rather than allocated at the claimed size: a lying size costs nothing.
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(size, 1 << 16));
            byte[] buf = new byte[1 << 16];
            long got = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                got += r;
                if (got > size)
                    throw new KerasFormatException(file, name, "the entry holds more than the " + size
                            + " bytes its header claims");
                out.write(buf, 0, r);
            }
            if (got != size)
                throw new KerasFormatException(file, name, "the entry holds " + got + " bytes, not the " + size
                        + " its header claims (truncated?)");
            return out.toByteArray();
        } catch (ZipException ex) {
            throw new KerasFormatException(file, name, "corrupt entry: " + ex.getMessage(), ex);
        } catch (java.io.EOFException ex) {
            throw new KerasFormatException(file, name, "the entry is cut off (" + ex.getMessage() + ")", ex);
        }
    }
}
