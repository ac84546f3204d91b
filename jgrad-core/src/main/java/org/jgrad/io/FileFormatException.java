package org.jgrad.io;

import java.io.IOException;

/**
 * A file's bytes are not a valid instance of the format its reader expects: truncated, a wrong magic
 * number, a header that contradicts the file's length, values a tensor cannot hold. Every jgrad reader
 * reports bad content with this type or a subclass ({@link SafeTensorsException} for weights and
 * checkpoints, {@link PyTorchFormatException} for PyTorch's {@code torch.save} files,
 * {@link org.jgrad.data.DataFormatException} for datasets), so one
 * {@code catch (FileFormatException e)} separates "this file is bad" from "the disk or the path
 * failed", which stays a plain {@link IOException}.
 *
 * <p>The message is never empty: it starts with the file (or the stream's name) and says where the
 * problem lies, as a byte offset for binary formats or a line for text formats, then what is wrong.
 * Readers throw it before handing out any partial result.
 *
 * <p>See {@code docs/bad-inputs.md} for what each kind of bad input produces.
 */
public class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message names the file and the offset or line, then the problem */
    public FileFormatException(String message) {
        super(message);
    }

    /** As {@link #FileFormatException(String)}, with the lower-level failure that revealed the problem. */
    public FileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
