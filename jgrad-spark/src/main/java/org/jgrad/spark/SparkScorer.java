package org.jgrad.spark;

import java.util.Map;
import java.util.Properties;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jgrad.tensor.Tensor;
import scala.reflect.ClassTag$;

/**
 * Batch inference over a table, the way Spark users score data: each partition builds one copy of
 * the model (from its {@link ModelSpec} and the weights as safetensors bytes) and runs it over its rows
 * in batches, appending two columns: {@code prediction} (the index of the largest output, an int) and
 * {@code scores} (the model's outputs for that row, {@code array<float>}).
 *
 * <pre>{@code
 * Dataset<Row> scored = SparkScorer.builder(ModelSpec.zoo("lenet5", Map.of()), result.weights())
 *         .features("pixels", 1, 28, 28).build().score(images);
 * }</pre>
 */
public final class SparkScorer {
    private final ModelSpec model;
    private final byte[] weights;
    private String featuresCol = "features";
    private int[] inputShape;
    private int batchSize = 64, threads;

    private SparkScorer(ModelSpec model, Map<String, Tensor> weights) {
        this.model = model;
        this.weights = WeightsCodec.encode(weights);
        model.create().loadStateDict(weights, true); // a mismatch fails here, on the driver, not in every task
    }

    /** A scorer of {@code model} with these trained weights. */
    public static SparkScorer builder(ModelSpec model, Map<String, Tensor> weights) {
        return new SparkScorer(model, weights);
    }

    /** The features column ({@code array<float>} or {@code array<double>}) and the shape of one sample. */
    public SparkScorer features(String column, int... shape) {
        featuresCol = column;
        inputShape = shape.clone();
        return this;
    }

    /** Rows per forward pass (64 by default). */
    public SparkScorer batchSize(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkScorer: batchSize must be at least 1, got " + n);
        batchSize = n;
        return this;
    }

    /** jgrad compute threads per task (0, the default, leaves jgrad's setting alone). */
    public SparkScorer threads(int n) {
        threads = n;
        return this;
    }

    /** Ends configuration (for symmetry with the other builders). */
    public SparkScorer build() {
        if (inputShape == null) throw new IllegalArgumentException("SparkScorer: features(column, shape...) is required");
        return this;
    }

    /** {@code table} with {@code prediction} and {@code scores} appended; lazy, like any Spark transformation. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Dataset<Row> score(Dataset<Row> table) {
        build();
        Properties p = new Properties();
        model.write(p);
        p.setProperty("featuresIndex", Integer.toString(SparkTrainer.columnIndex(table, featuresCol)));
        p.setProperty("featuresCol", featuresCol);
        p.setProperty("inputShape", SparkTrainer.shapeText(inputShape));
        p.setProperty("batch", Integer.toString(batchSize));
        p.setProperty("threads", Integer.toString(threads));
        StructType schema = table.schema()
                .add("prediction", DataTypes.IntegerType, false)
                .add("scores", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        SparkTask task = new SparkTask(SparkTask.SCORE, new Envelope(p, weights));
        RDD rows = table.rdd().mapPartitions((scala.Function1) task, false, ClassTag$.MODULE$.apply(Row.class));
        return table.sparkSession().createDataFrame((RDD<Row>) rows, schema);
    }
}
