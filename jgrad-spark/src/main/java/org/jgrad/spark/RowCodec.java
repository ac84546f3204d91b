package org.jgrad.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.jgrad.data.Sample;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Reads jgrad tensors out of Spark SQL rows: a features column of {@code array<float>} or
 * {@code array<double>} (a flattened image or feature vector, reshaped to the given input shape) and
 * a label column that is an integer (a class index, int64), a float or double (a float32 scalar), or
 * an array of floats or doubles (a float32 vector).
 */
final class RowCodec {
    private RowCodec() {}

    /** The features of {@code row}'s column {@code col} as a float tensor of {@code shape}. */
    static Tensor features(Row row, int col, int[] shape, String name) {
        if (row.isNullAt(col)) throw new IllegalArgumentException("jgrad-spark: column '" + name + "' is null in row " + row);
        float[] v = floats(row.getList(col), name);
        long n = 1;
        for (int d : shape) n *= d;
        if (v.length != n)
            throw new IllegalArgumentException("jgrad-spark: column '" + name + "' holds " + v.length
                    + " values but the input shape " + java.util.Arrays.toString(shape) + " needs " + n);
        return TensorData.wrap(v, shape);
    }

    /** The label of {@code row}'s column {@code col}. */
    static Tensor label(Row row, int col, String name) {
        if (row.isNullAt(col)) throw new IllegalArgumentException("jgrad-spark: label column '" + name + "' is null in row " + row);
        Object v = row.get(col);
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long c = ((Number) v).longValue();
            if (c < 0) throw new IllegalArgumentException("jgrad-spark: label column '" + name + "' holds class " + c + " (must be >= 0)");
            return TensorData.wrapLongs(new long[] {c});
        }
        if (v instanceof Float || v instanceof Double) return Tensor.scalar(((Number) v).floatValue());
        if (v instanceof scala.collection.Seq<?>) {
            float[] f = floats(row.getList(col), name);
            return TensorData.wrap(f, f.length);
        }
        throw new IllegalArgumentException("jgrad-spark: label column '" + name + "' has values of type "
                + v.getClass().getSimpleName() + " (expected an integer, a float, a double or an array of them)");
    }

    /** A sample from a row; integer labels become 0-d int64 class indices, as jgrad's datasets give them. */
    static Sample sample(Row row, int featureCol, int labelCol, int[] shape, String featureName, String labelName) {
        return new Sample(features(row, featureCol, shape, featureName), label(row, labelCol, labelName));
    }

    private static float[] floats(List<Object> list, String name) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            Object o = list.get(i);
            if (!(o instanceof Number x))
                throw new IllegalArgumentException("jgrad-spark: column '" + name + "' element " + i + " is "
                        + (o == null ? "null" : o.getClass().getSimpleName()) + ", not a number");
            v[i] = x.floatValue();
        }
        return v;
    }
}
