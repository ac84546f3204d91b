package org.jgrad.keras;

import java.nio.file.Path;
import org.jgrad.io.FileFormatException;

/**
 * A Keras file ({@code .keras} archive, Keras 2 {@code .h5}, or the {@code config.json} and
 * {@code model.weights.h5} inside an archive) is malformed, truncated, claims more than its bytes hold
 * or the memory budget allows, or describes a model jgrad cannot build. It is the Keras flavour of
 * {@link FileFormatException}, the project's one exception type for bad files.
 *
 * <p>The message starts with the file, then the place inside it (a zip entry, an HDF5 path such as
 * {@code layers/conv2d/vars/0}, a config field such as {@code config.layers[3].config.strides}), then
 * what is wrong; {@link #file()} and {@link #where()} give the first two.
 */
public class KerasFormatException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String where;

    /**
     * @param file the file being read
     * @param where the entry, HDF5 path or config field concerned, or null for the file as a whole
     * @param problem what is wrong, without the file name (it is prepended)
     */
    public KerasFormatException(Path file, String where, String problem) {
        this(file, where, problem, null);
    }

    /** As {@link #KerasFormatException(Path, String, String)}, with the lower-level failure. */
    public KerasFormatException(Path file, String where, String problem, Throwable cause) {
        super(file + (where == null ? "" : ": " + where) + ": " + problem, cause);
        this.file = file;
        this.where = where;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }

    /** The zip entry, HDF5 path or config field concerned, or null when the problem is the file as a whole. */
    public String where() {
        return where;
    }
}
