package org.jgrad.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.tensor.Tensor;

/**
 * Turns an ONNX {@code TensorProto} (an initializer, a Constant's value) into a jgrad tensor after
 * checking its claims: the dims are non-negative and their product fits a Java array and the memory
 * budget, the data are in this file (not an external one), and the data hold exactly as many values
 * as the dims say. Floating-point types become float32, integer and boolean types int64 (jgrad's two
 * dtypes).
 */
final class TensorDecoder {
    /** Largest element count of one jgrad tensor (a Java array). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Path file;
    private long allocated;

    TensorDecoder(Path file) {
        this.file = file;
    }

    Tensor decode(TensorProto t, String field) throws OnnxFormatException {
        if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0)
            throw new OnnxFormatException(file, -1, field, "the tensor keeps its data in an external file ("
                    + externalName(t) + "); jgrad reads self-contained .onnx files only (in Python, onnx.load the model with"
                    + " its data and onnx.save it without save_as_external_data)");
        if (t.hasSegment())
            throw new OnnxFormatException(file, -1, field, "segmented tensors are not supported");
        int[] shape = new int[t.getDimsCount()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > MAX_ELEMENTS)
                throw new OnnxFormatException(file, -1, field, "dimension " + i + " is " + d + " (dims " + t.getDimsList() + ")");
            numel *= d;
            if (numel > MAX_ELEMENTS)
                throw new OnnxFormatException(file, -1, field, "dims " + t.getDimsList() + " hold more than 2^31-9 elements");
            shape[i] = (int) d;
        }
        int n = (int) numel;
        int type = t.getDataType();
        int width = switch (type) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
            case TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.INT16_VALUE -> 2;
            case TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE, TensorProto.DataType.BOOL_VALUE -> 1;
            default -> throw new OnnxFormatException(file, -1, field, "data type " + typeName(type)
                    + " is not supported (jgrad reads float, double, float16 and integer/boolean tensors)");
        };
        boolean isFloat = type == TensorProto.DataType.FLOAT_VALUE || type == TensorProto.DataType.DOUBLE_VALUE
                || type == TensorProto.DataType.FLOAT16_VALUE;
        long bytes = (long) n * (isFloat ? 4 : 8);
        allocated += bytes;
        if (!MemoryBudget.allows(allocated))
            throw new OnnxFormatException(file, -1, field, "the tensors up to this one " + MemoryBudget.refusal(allocated,
                    "their values"));
        if (t.hasRawData()) {
            ByteString raw = t.getRawData();
            if (raw.size() != (long) n * width)
                throw new OnnxFormatException(file, -1, field, "raw_data holds " + raw.size() + " bytes but dims "
                        + t.getDimsList() + " of " + typeName(type) + " need " + (long) n * width);
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (type == TensorProto.DataType.FLOAT_VALUE) {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                return TensorData.wrap(v, shape);
            }
            if (type == TensorProto.DataType.INT64_VALUE) {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                return TensorData.wrapLongs(v, shape);
            }
            if (isFloat) {
                float[] v = new float[n];
                for (int i = 0; i < n; i++)
                    v[i] = switch (type) {
                        case TensorProto.DataType.FLOAT_VALUE -> b.getFloat();
                        case TensorProto.DataType.DOUBLE_VALUE -> (float) b.getDouble();
                        default -> Float.float16ToFloat(b.getShort());
                    };
                return TensorData.wrap(v, shape);
            }
            long[] v = new long[n];
            for (int i = 0; i < n; i++)
                v[i] = switch (width) {
                    case 8 -> b.getLong();
                    case 4 -> b.getInt();
                    case 2 -> b.getShort();
                    default -> type == TensorProto.DataType.INT8_VALUE ? b.get() : b.get() & 0xff;
                };
            return TensorData.wrapLongs(v, shape);
        }
        int count = switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
            case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
            case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
            default -> t.getInt32DataCount();
        };
        if (count != n)
            throw new OnnxFormatException(file, -1, field, "holds " + count + " values but dims " + t.getDimsList() + " need " + n);
        if (isFloat) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++)
                v[i] = switch (type) {
                    case TensorProto.DataType.FLOAT_VALUE -> t.getFloatData(i);
                    case TensorProto.DataType.DOUBLE_VALUE -> (float) t.getDoubleData(i);
                    default -> Float.float16ToFloat((short) t.getInt32Data(i));
                };
            return TensorData.wrap(v, shape);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = type == TensorProto.DataType.INT64_VALUE ? t.getInt64Data(i) : t.getInt32Data(i);
        return TensorData.wrapLongs(v, shape);
    }

    private static String externalName(TensorProto t) {
        for (var e : t.getExternalDataList()) if (e.getKey().equals("location")) return "'" + e.getValue() + "'";
        return "location not given";
    }

    static String typeName(int type) {
        TensorProto.DataType d = TensorProto.DataType.forNumber(type);
        return d == null ? "number " + type : d.name();
    }
}
