package org.jgrad.io;

import java.nio.file.Path;

/**
 * A PyTorch checkpoint ({@code torch.save} output: {@code .pth}, {@code .pt}, {@code .bin}) is
 * malformed, truncated, claims more than its bytes hold, or asks for something a state dict never needs
 * (a Python global outside the allow-list, code to run). It is the PyTorch flavour of
 * {@link FileFormatException}, the project's one exception type for bad files.
 *
 * <p>The message starts with the file and, where one applies, the absolute byte offset in the file
 * where the problem was found (for a pickle opcode, the offset of that opcode); the same facts are
 * available from {@link #file()} and {@link #byteOffset()}.
 */
public class PyTorchFormatException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** Absolute offset in the file where the problem was found, or -1. */
    private final long byteOffset;

    /**
     * @param file the file being read
     * @param byteOffset absolute offset in the file where the problem lies, or {@code -1}
     * @param problem what is wrong, without the file name (it is prepended)
     */
    public PyTorchFormatException(Path file, long byteOffset, String problem) {
        this(file, byteOffset, problem, null);
    }

    /** As {@link #PyTorchFormatException(Path, long, String)}, with the lower-level failure. */
    public PyTorchFormatException(Path file, long byteOffset, String problem, Throwable cause) {
        super(file + (byteOffset >= 0 ? " (byte offset " + byteOffset + ")" : "") + ": " + problem, cause);
        this.file = file;
        this.byteOffset = byteOffset;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }

    /** Absolute byte offset in the file where the problem lies, or {@code -1} when there is none. */
    public long byteOffset() {
        return byteOffset;
    }
}
