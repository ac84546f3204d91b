package org.jgrad.data;

import org.jgrad.io.FileFormatException;

/**
 * A data file that cannot be read as the format it claims to be: truncated, a wrong magic number,
 * counts that disagree, a non-numeric cell. The message names the file and the byte offset or
 * line where reading stopped. Readers throw it before handing out any partial result.
 *
 * <p>It is the dataset flavour of {@link FileFormatException}, so one catch covers every bad file.
 */
public class DataFormatException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    /** @param message names the file and the byte offset or line, then the problem */
    public DataFormatException(String message) {
        super(message);
    }

    /** As {@link #DataFormatException(String)}, with the lower-level failure that revealed the problem. */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
