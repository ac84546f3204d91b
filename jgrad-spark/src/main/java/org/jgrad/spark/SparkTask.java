package org.jgrad.spark;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jgrad.backend.ThreadPool;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.Sample;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The one class of jgrad that Spark Java-serializes: every function jgrad hands to Spark is an
 * instance of it, holding only a kind number and an {@link Envelope}'s bytes (settings as text,
 * weights as safetensors). Models, optimizers and samples never go through Java serialization; a
 * deserialized instance checks its fields before it is used. Allow-list this class (and Spark's and
 * Scala's own) if your cluster filters serialized classes.
 */
final class SparkTask extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sample (with its index) to (rank, (index, bytes)). */
    static final int KEY_SAMPLES = 1;
    /** Row (with its index) to (rank, (index, bytes)). */
    static final int KEY_ROWS = 2;
    /** A rank's partition to its training result. */
    static final int TRAIN = 3;
    /** A partition of rows to the same rows with the model's outputs appended. */
    static final int SCORE = 4;

    private final int kind;
    private final byte[] payload;
    /** The payload, decoded once per deserialized copy (a KEY function is applied once per sample). */
    private transient volatile Envelope decoded;

    SparkTask(int kind, Envelope payload) {
        this.kind = kind;
        this.payload = payload.encode();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (kind < KEY_SAMPLES || kind > SCORE || payload == null)
            throw new InvalidObjectException("jgrad-spark: a task function with kind " + kind + " and "
                    + (payload == null ? "no" : payload.length + " bytes of") + " payload");
    }

    @Override
    public Object apply(Object input) {
        Envelope env = decoded;
        if (env == null) decoded = env = Envelope.decode(payload);
        return switch (kind) {
            case KEY_SAMPLES, KEY_ROWS -> key(env, (Tuple2<?, ?>) input);
            case TRAIN -> train(env, (scala.collection.Iterator<?>) input);
            case SCORE -> score(env, (scala.collection.Iterator<?>) input);
            default -> throw new IllegalStateException("kind " + kind);
        };
    }

    // ------------------------------------------------------------------ sharding

    private Tuple2<Integer, Tuple2<Long, byte[]>> key(Envelope env, Tuple2<?, ?> indexed) {
        long i = (Long) indexed._2();
        int batch = env.getInt("batch"), workers = env.getInt("workers");
        boolean validation = Boolean.parseBoolean(env.get("validation"));
        Sample s;
        if (kind == KEY_SAMPLES) {
            s = (Sample) indexed._1();
        } else {
            Row row = (Row) indexed._1();
            s = RowCodec.sample(row, env.getInt("featuresIndex"), env.getInt("labelIndex"), shape(env.get("inputShape")),
                    env.get("featuresCol"), env.get("labelCol"));
        }
        int rank = (int) ((i / batch) % workers);
        return new Tuple2<>(rank, new Tuple2<>(validation ? -1 - i : i, SampleCodec.encode(s)));
    }

    static int[] shape(String text) {
        if (text.isBlank()) return new int[0];
        String[] f = text.split("x");
        int[] s = new int[f.length];
        for (int i = 0; i < f.length; i++) s[i] = Integer.parseInt(f[i]);
        return s;
    }

    // ------------------------------------------------------------------ training

    private scala.collection.Iterator<byte[]> train(Envelope env, scala.collection.Iterator<?> input) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId(), workers = env.getInt("workers");
        List<long[]> order = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        Iterator<?> it = CollectionConverters.asJava(input);
        while (it.hasNext()) {
            Tuple2<?, ?> kv = (Tuple2<?, ?>) it.next();
            int key = (Integer) kv._1();
            if (key != rank)
                throw new IllegalStateException(RankTrainer.FATAL + "rank " + rank + " received a sample keyed for rank " + key);
            Tuple2<?, ?> v = (Tuple2<?, ?>) kv._2();
            order.add(new long[] {(Long) v._1(), bytes.size()});
            bytes.add((byte[]) v._2());
        }
        order.sort(Comparator.comparingLong(a -> a[0] < 0 ? -1 - a[0] : a[0]));
        List<Sample> train = new ArrayList<>(), val = new ArrayList<>();
        for (long[] o : order) {
            Sample s = SampleCodec.decode(bytes.get((int) o[1]), (o[0] < 0 ? "validation sample " + (-1 - o[0]) : "sample " + o[0]));
            (o[0] < 0 ? val : train).add(s);
        }
        bytes.clear();
        checkShard(env, rank, workers, train.size(), env.getLong("samples"), "training");
        checkShard(env, rank, workers, val.size(), env.getLong("valSamples"), "validation");
        int threads = env.getInt("threads");
        ThreadPool.setThreads(threads > 0 ? threads : Math.max(1, ctx.cpus()));
        long timeout = env.getLong("timeoutMillis");
        try {
            RingAllReduce.Endpoint endpoint = RingAllReduce.listen(true);
            String host = ctx.getTaskInfos()[rank].address();
            host = host.substring(0, host.lastIndexOf(':'));
            String[] all = ctx.allGather(endpoint.address(host));
            String runId = env.get("runId") + "/" + env.get("attempt");
            try (RingAllReduce ring = RingAllReduce.connect(rank, all, endpoint, runId, timeout)) {
                RankTrainer.Comm comm = Boolean.parseBoolean(env.get("sharedMemory"))
                        ? SharedMemoryAllReduce.attach(ring, rank, all, runId, timeout) : ring;
                try {
                    RankTrainer t = new RankTrainer(rank, env, comm, train, val);
                    t.restore();
                    byte[] result = t.run().encode();
                    return CollectionConverters.asScala(List.of(result).iterator());
                } finally {
                    if (comm instanceof SharedMemoryAllReduce shm) shm.close();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("jgrad-spark rank " + rank + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("jgrad-spark rank " + rank + ": " + e.getMessage(), e);
        }
    }

    /** A shard of another size than the layout says means the input RDD gave other rows than when it was counted. */
    private static void checkShard(Envelope env, int rank, int workers, int have, long total, String what) {
        int batch = env.getInt("batch");
        long expect = 0;
        for (long block = rank; block * batch < total; block += workers) expect += Math.min(batch, total - block * batch);
        if (have != expect)
            throw new IllegalStateException(RankTrainer.FATAL + "rank " + rank + " received " + have + " " + what
                    + " samples but the layout of " + total + " samples gives it " + expect + "; the input RDD is not"
                    + " deterministic (cache or checkpoint it before fit)");
    }

    // ------------------------------------------------------------------ scoring

    private scala.collection.Iterator<Row> score(Envelope env, scala.collection.Iterator<?> input) {
        Module model = ModelSpec.read(env.settings()).create();
        model.loadStateDict(WeightsCodec.decode(env.weights()), true);
        model.eval();
        int col = env.getInt("featuresIndex"), batch = env.getInt("batch");
        int[] shape = shape(env.get("inputShape"));
        String name = env.get("featuresCol");
        int threads = env.getInt("threads");
        if (threads > 0) ThreadPool.setThreads(threads);
        Iterator<?> rows = CollectionConverters.asJava(input);
        Iterator<Row> out = new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) return true;
                ready.clear();
                next = 0;
                List<Row> in = new ArrayList<>();
                while (in.size() < batch && rows.hasNext()) in.add((Row) rows.next());
                if (in.isEmpty()) return false;
                Tensor[] xs = new Tensor[in.size()];
                for (int i = 0; i < xs.length; i++) xs[i] = RowCodec.features(in.get(i), col, shape, name);
                Tensor y;
                try (NoGrad g = NoGrad.enter()) {
                    y = model.call(Tensor.stack(0, xs));
                }
                int per = y.numel() / xs.length;
                float[] v = y.toFloatArray();
                for (int i = 0; i < xs.length; i++) {
                    Row r = in.get(i);
                    Object[] values = new Object[r.length() + 2];
                    for (int j = 0; j < r.length(); j++) values[j] = r.get(j);
                    float[] scores = java.util.Arrays.copyOfRange(v, i * per, (i + 1) * per);
                    int best = 0;
                    for (int j = 1; j < per; j++) if (scores[j] > scores[best]) best = j;
                    values[r.length()] = best;
                    values[r.length() + 1] = CollectionConverters.asScala(boxed(scores)).toSeq();
                    ready.add(RowFactory.create(values));
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.get(next++);
            }
        };
        return CollectionConverters.asScala(out);
    }

    private static List<Float> boxed(float[] v) {
        List<Float> l = new ArrayList<>(v.length);
        for (float f : v) l.add(f);
        return l;
    }
}
