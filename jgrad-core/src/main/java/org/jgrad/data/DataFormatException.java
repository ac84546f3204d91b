package org.jgrad.data;

import java.io.IOException;

/**
 * A data file that cannot be read as the format it claims to be: truncated, a wrong magic number,
 * counts that disagree, a non-numeric cell. The message names the file and the byte offset or
 * line where reading stopped. Readers throw it before handing out any partial result.
 */
public class DataFormatException extends IOException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
