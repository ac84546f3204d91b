package org.jgrad.onnx;

import java.nio.file.Path;
import org.jgrad.io.FileFormatException;

/**
 * An ONNX file is malformed, truncated, claims more than its bytes hold, keeps its weights in
 * external files, or uses ops jgrad does not run. It is the ONNX flavour of
 * {@link FileFormatException}, the project's one exception type for bad files.
 *
 * <p>The message starts with the file, then the byte offset where the protobuf decoding failed (for
 * errors in the wire format) or the field of the model that is wrong (for example
 * {@code graph.initializer[3] 'conv1.weight'}), then the problem; {@link #file()},
 * {@link #byteOffset()} and {@link #field()} give the same facts.
 */
public class OnnxFormatException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long byteOffset;
    private final String field;

    /**
     * @param file the file being read
     * @param byteOffset the offset in the file where decoding failed, or -1 when the problem is in a field
     * @param field the field concerned (e.g. {@code graph.node[4] 'Conv_7'}), or null
     * @param problem what is wrong, without the file and field (they are prepended)
     */
    public OnnxFormatException(Path file, long byteOffset, String field, String problem) {
        this(file, byteOffset, field, problem, null);
    }

    /** As {@link #OnnxFormatException(Path, long, String, String)}, with the lower-level failure. */
    public OnnxFormatException(Path file, long byteOffset, String field, String problem, Throwable cause) {
        super(file + (byteOffset >= 0 ? " (byte offset " + byteOffset + ")" : "") + ": "
                + (field == null ? "" : field + ": ") + problem, cause);
        this.file = file;
        this.byteOffset = byteOffset;
        this.field = field;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }

    /** Offset in the file where protobuf decoding failed, or -1 when the problem is in a decoded field. */
    public long byteOffset() {
        return byteOffset;
    }

    /** The model field concerned (e.g. {@code graph.node[4] 'Conv_7'}), or null. */
    public String field() {
        return field;
    }
}
