package org.jgrad.io;

import java.nio.file.Path;

/**
 * A safetensors file (or a checkpoint stored in one) is malformed, truncated, or describes data
 * jgrad cannot represent. It is the safetensors flavour of {@link FileFormatException}, the project's
 * one exception type for bad files: an {@link java.io.IOException}, so callers that already handle
 * I/O failures handle corrupt files too, and {@code catch (FileFormatException e)} separates "the
 * bytes are wrong" from "the disk failed".
 *
 * <p>The message always names the file, and where it applies the tensor and the absolute byte offset
 * in the file; the same facts are available from {@link #file()}, {@link #tensorName()} and
 * {@link #byteOffset()}.
 */
public class SafeTensorsException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The tensor concerned, or null. */
    private final String tensorName;
    /** Absolute offset in the file where the problem was found, or -1. */
    private final long byteOffset;

    /**
     * A problem in {@code file}; the message reads {@code <file>: tensor "name" (byte offset n): problem},
     * leaving out the tensor and the offset when they are unknown.
     *
     * @param file the file being read or written
     * @param tensorName the tensor concerned, or {@code null}
     * @param byteOffset absolute offset in the file where the problem was found, or {@code -1}
     * @param problem what is wrong, without the file name (it is prepended)
     */
    public SafeTensorsException(Path file, String tensorName, long byteOffset, String problem) {
        this(file, tensorName, byteOffset, problem, null);
    }

    /** As {@link #SafeTensorsException(Path, String, long, String)}, with an underlying cause. */
    public SafeTensorsException(Path file, String tensorName, long byteOffset, String problem, Throwable cause) {
        super(format(file, tensorName, byteOffset, problem), cause);
        this.file = file;
        this.tensorName = tensorName;
        this.byteOffset = byteOffset;
    }

    private static String format(Path file, String tensorName, long byteOffset, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file);
        if (tensorName != null) sb.append(": tensor ").append(quote(tensorName));
        if (byteOffset >= 0) sb.append(" (byte offset ").append(byteOffset).append(')');
        return sb.append(": ").append(problem).toString();
    }

    /**
     * A name from an untrusted file made safe for a one-line message: quoted, control characters
     * escaped, and cut short when long (a header may legally hold a 100 MB name).
     */
    static String quote(String s) {
        int limit = 200;
        StringBuilder sb = new StringBuilder().append('\'');
        for (int i = 0; i < s.length() && i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        if (s.length() > limit) sb.append("...' (").append(s.length()).append(" chars)");
        else sb.append('\'');
        return sb.toString();
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }

    /** The tensor concerned, or {@code null} when the problem is not about one tensor. */
    public String tensorName() {
        return tensorName;
    }

    /** Absolute byte offset in the file where the problem lies, or {@code -1} when there is none. */
    public long byteOffset() {
        return byteOffset;
    }
}
