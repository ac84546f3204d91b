package org.jgrad.playground;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.Synthetic2D;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Regularization;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * One browser tab's playground: its settings, data, network and training progress. All methods
 * that read or change the model are synchronized, so the training thread and HTTP handlers never
 * see a half-updated network. Published state is an immutable JSON frame that readers take without
 * the lock.
 *
 * <p>Loss, as in the Playground: the mean of ½(output − target)² with a tanh output and ±1 labels
 * for classification, and a linear output for regression.
 */
final class Session {
    /** Points plotted on the input plane span [−6, 6] on both axes, as in the Playground. */
    static final float DOMAIN = 6f;
    static final int OUTPUT_GRID = 50;
    static final int NEURON_GRID = 25;
    private static final int MAX_HISTORY = 400;
    /** Epochs that {@code step} calls may have waiting at once. */
    static final int MAX_PENDING_EPOCHS = 1000;

    final String id;
    private volatile long lastSeen;

    private Config config;
    private Generator gen;
    private float[] trainX, testX; // raw points, [n, 2] row-major
    private float[] trainY, testY; // ±1 for classification, [−1, 1] for regression
    private float[] trainF, testF; // feature matrices, [n, features]
    private Network net;
    private SGD optimizer;
    private int epoch;
    private double trainLoss, testLoss;
    private final List<double[]> history = new ArrayList<>(); // {epoch, train, test}
    private int historyStride = 1;
    private boolean running;
    private int pendingEpochs; // asked for by step, trained by the training pool
    private volatile boolean closed;

    // published frames; guarded by `frames`
    private final Object frames = new Object();
    private long frameVersion;
    private byte[] stateFrame;
    private long pointsVersion;
    private byte[] pointsFrame;

    Session(String id, Config config, long now) {
        this.id = id;
        this.config = config;
        this.lastSeen = now;
        regenerateData();
        resetNetwork();
        publish(true);
    }

    void touch(long now) {
        lastSeen = now;
    }

    long lastSeen() {
        return lastSeen;
    }

    synchronized Config config() {
        return config;
    }

    synchronized int epoch() {
        return epoch;
    }

    synchronized boolean running() {
        return running;
    }

    synchronized double testLoss() {
        return testLoss;
    }

    synchronized double trainLoss() {
        return trainLoss;
    }

    /** Applies new settings: new data and/or a new network only where they changed. */
    synchronized void configure(Config next) {
        Config prev = config;
        config = next;
        boolean newData = prev.dataDiffers(next);
        if (newData) regenerateData();
        if (newData || prev.networkDiffers(next)) resetNetwork();
        else if (prev.learningRate() != next.learningRate()) optimizer = new SGD(net.model.parameters(), next.learningRate());
        publish(newData);
    }

    synchronized void setRunning(boolean on) {
        running = on && !closed;
        publish(false);
    }

    /** True while there is training to do: playing, or epochs waiting. */
    synchronized boolean hasWork() {
        return !closed && (running || pendingEpochs > 0);
    }

    synchronized int pendingEpochs() {
        return pendingEpochs;
    }

    /**
     * Asks for {@code epochs} more epochs, which the training pool trains; publishes at once.
     *
     * @throws ApiException (429) when that would make more than {@value #MAX_PENDING_EPOCHS} waiting
     */
    synchronized void requestEpochs(int epochs) {
        if (pendingEpochs + epochs > MAX_PENDING_EPOCHS)
            throw new ApiException(429, "already " + pendingEpochs + " epochs waiting to be trained (at most "
                    + MAX_PENDING_EPOCHS + "); wait for them");
        pendingEpochs += epochs;
        publish(false);
    }

    /** Stops playing and drops waiting epochs (nobody is watching, or the network diverged). */
    synchronized void stopTraining() {
        if (!running && pendingEpochs == 0) return;
        running = false;
        pendingEpochs = 0;
        publish(false);
    }

    /** New points from a new seed; the network starts over, as in the Playground. */
    synchronized void regenerate() {
        config = new Config(config.dataset(), config.ratio(), config.noise(), config.batchSize(), config.features(),
                config.layers(), config.activation(), config.learningRate(), config.regularization(),
                config.regularizationRate(), gen.nextLong() & 0x7fff_ffffL);
        regenerateData();
        resetNetwork();
        publish(true);
    }

    /** A fresh network on the same data. */
    synchronized void reset() {
        running = false;
        pendingEpochs = 0;
        resetNetwork();
        publish(false);
    }

    /** Trains {@code epochs} full passes over the training data now, on this thread, then publishes one frame. */
    synchronized void step(int epochs) {
        for (int i = 0; i < epochs && !closed; i++) trainEpoch();
        publish(false);
    }

    /**
     * Trains whole epochs, waiting ones first, until {@code budgetNanos} have passed (at least one
     * epoch) or {@code maxEpochs} are done, then publishes.
     *
     * @return whether there is more to do
     */
    synchronized boolean trainSlice(long budgetNanos, int maxEpochs) {
        if (!hasWork()) return false;
        long start = System.nanoTime();
        int n = 0;
        do {
            trainEpoch();
            n++;
            if (pendingEpochs > 0) pendingEpochs--;
        } while (n < maxEpochs && (running || pendingEpochs > 0) && System.nanoTime() - start < budgetNanos);
        if (!Double.isFinite(trainLoss)) { // a diverged network only gets worse; let the user see it
            running = false;
            pendingEpochs = 0;
        }
        publish(false);
        return hasWork();
    }

    synchronized void close() {
        closed = true;
        running = false;
        pendingEpochs = 0;
        synchronized (frames) {
            frames.notifyAll();
        }
    }

    boolean closed() {
        return closed;
    }

    // ---- frames for readers -------------------------------------------------------------------

    /** Waits until a frame newer than {@code seen} exists, the session closes, or the timeout passes. */
    long awaitFrame(long seen, long timeoutMillis) throws InterruptedException {
        synchronized (frames) {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (frameVersion == seen && !closed) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                frames.wait(left);
            }
            return frameVersion;
        }
    }

    byte[] stateFrame() {
        synchronized (frames) {
            return stateFrame;
        }
    }

    long pointsVersion() {
        synchronized (frames) {
            return pointsVersion;
        }
    }

    byte[] pointsFrame() {
        synchronized (frames) {
            return pointsFrame;
        }
    }

    // ---- training ------------------------------------------------------------------------------

    private void regenerateData() {
        gen = new Generator(config.seed());
        TensorDataset ds = Synthetic2D.generate(config.kind(), Config.NUM_POINTS, config.noise() / 100.0, gen);
        float[] x = ds.inputTensor().toFloatArray();
        float[] y = ds.targetTensor().toFloat().toFloatArray();
        if (!config.regression()) for (int i = 0; i < y.length; i++) y[i] = y[i] > 0 ? 1 : -1;
        int n = y.length;
        int[] order = permutation(n);
        int nTrain = config.trainSize();
        trainX = new float[2 * nTrain];
        trainY = new float[nTrain];
        testX = new float[2 * (n - nTrain)];
        testY = new float[n - nTrain];
        for (int i = 0; i < n; i++) {
            int j = order[i];
            if (i < nTrain) {
                trainX[2 * i] = x[2 * j];
                trainX[2 * i + 1] = x[2 * j + 1];
                trainY[i] = y[j];
            } else {
                int k = i - nTrain;
                testX[2 * k] = x[2 * j];
                testX[2 * k + 1] = x[2 * j + 1];
                testY[k] = y[j];
            }
        }
    }

    private int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private void resetNetwork() {
        computeFeatures();
        net = new Network(config.features().size(), config.layers(), config.activation(), config.regression(), gen);
        optimizer = new SGD(net.model.parameters(), config.learningRate());
        epoch = 0;
        history.clear();
        historyStride = 1;
        computeLosses();
        record();
    }

    private void computeFeatures() {
        trainF = features(trainX, config.features());
        testF = features(testX, config.features());
    }

    static float[] features(float[] xy, List<String> names) {
        int n = xy.length / 2, f = names.size();
        float[] out = new float[n * f];
        for (int i = 0; i < n; i++) {
            float a = xy[2 * i], b = xy[2 * i + 1];
            for (int k = 0; k < f; k++) out[i * f + k] = feature(names.get(k), a, b);
        }
        return out;
    }

    static float feature(String name, float x1, float x2) {
        return switch (name) {
            case "x1" -> x1;
            case "x2" -> x2;
            case "x1sq" -> x1 * x1;
            case "x2sq" -> x2 * x2;
            case "x1x2" -> x1 * x2;
            case "sinx1" -> (float) Math.sin(x1);
            case "sinx2" -> (float) Math.sin(x2);
            default -> throw new IllegalArgumentException("feature: unknown '" + name + "'");
        };
    }

    private void trainEpoch() {
        int n = trainY.length, f = config.features().size(), bs = Math.min(config.batchSize(), n);
        int[] order = permutation(n);
        for (int start = 0; start < n; start += bs) {
            int m = Math.min(bs, n - start);
            float[] xb = new float[m * f], yb = new float[m];
            for (int i = 0; i < m; i++) {
                int j = order[start + i];
                System.arraycopy(trainF, j * f, xb, i * f, f);
                yb[i] = trainY[j];
            }
            Tensor out = net.forward(TensorData.wrap(xb, m, f));
            Tensor loss = out.sub(TensorData.wrap(yb, m, 1)).square().mean().mul(0.5f);
            if (!config.regularization().equals("none") && config.regularizationRate() > 0) {
                Tensor penalty = config.regularization().equals("l1")
                        ? Regularization.l1(net.weights())
                        : Regularization.l2(net.weights()).mul(0.5f); // ½Σw², whose gradient is w, as in the Playground
                loss = loss.add(penalty.mul((float) config.regularizationRate()));
            }
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        epoch++;
        computeLosses();
        record();
    }

    private void computeLosses() {
        trainLoss = loss(trainF, trainY);
        testLoss = loss(testF, testY);
    }

    @SuppressWarnings("try") // the scope is the point, not the variable
    private double loss(float[] feats, float[] y) {
        if (y.length == 0) return 0;
        int f = config.features().size();
        try (var g = NoGrad.enter()) {
            float[] out = net.forward(TensorData.wrap(feats, y.length, f)).toFloatArray();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                double d = out[i] - y[i];
                s += 0.5 * d * d;
            }
            return s / y.length;
        }
    }

    /** Keeps the loss curve bounded: past MAX_HISTORY points, every other point is dropped. */
    private void record() {
        if (epoch % historyStride != 0) return;
        history.add(new double[] {epoch, trainLoss, testLoss});
        if (history.size() > MAX_HISTORY) {
            List<double[]> kept = new ArrayList<>();
            historyStride *= 2;
            for (double[] h : history) if ((long) h[0] % historyStride == 0) kept.add(h);
            history.clear();
            history.addAll(kept);
        }
    }

    // ---- frames --------------------------------------------------------------------------------

    private void publish(boolean pointsChanged) {
        byte[] state = PlaygroundJson.bytes(stateJson());
        byte[] points = pointsChanged || pointsFrame == null ? PlaygroundJson.bytes(pointsJson()) : null;
        synchronized (frames) {
            stateFrame = state;
            if (points != null) {
                pointsFrame = points;
                pointsVersion++;
            }
            frameVersion++;
            frames.notifyAll();
        }
    }

    private Map<String, Object> pointsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", points(trainX, trainY));
        m.put("test", points(testX, testY));
        return m;
    }

    private static List<float[]> points(float[] xy, float[] y) {
        List<float[]> out = new ArrayList<>(y.length);
        for (int i = 0; i < y.length; i++) out.add(new float[] {round(xy[2 * i]), round(xy[2 * i + 1]), round(y[i])});
        return out;
    }

    private Map<String, Object> stateJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session", id);
        m.put("epoch", epoch);
        m.put("running", running);
        m.put("pendingEpochs", pendingEpochs);
        m.put("trainLoss", finiteOrNull(trainLoss));
        m.put("testLoss", finiteOrNull(testLoss));
        m.put("config", config.toJson());
        List<double[]> hist = new ArrayList<>(history.size());
        for (double[] h : history) hist.add(new double[] {h[0], roundLoss(h[1]), roundLoss(h[2])});
        m.put("history", hist);

        // the weights and biases for the connection lines and tooltips
        List<float[][]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (var l : net.linears) {
            float[] w = l.weight().toFloatArray();
            int out = l.outFeatures(), in = l.inFeatures();
            float[][] rows = new float[out][in];
            for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) rows[o][i] = round(w[o * in + i]);
            weights.add(rows);
            float[] b = l.bias().toFloatArray();
            for (int i = 0; i < b.length; i++) b[i] = round(b[i]);
            biases.add(b);
        }
        m.put("weights", weights);
        m.put("biases", biases);

        Map<String, Object> heat = new LinkedHashMap<>();
        heat.put("outputSize", OUTPUT_GRID);
        heat.put("neuronSize", NEURON_GRID);
        heat.put("domain", DOMAIN);
        heat.put("encoding", "base64 int8, value/127 in [-1, 1], rows from y=+domain down, columns from x=-domain");
        List<Tensor> big = evaluate(OUTPUT_GRID);
        heat.put("output", encode(big.getLast().toFloatArray(), 1));
        List<Tensor> small = evaluate(NEURON_GRID);
        List<List<String>> layers = new ArrayList<>();
        for (int k = 0; k < small.size() - 1; k++) {
            int width = config.layers().get(k);
            float[] v = small.get(k).toFloatArray();
            List<String> neurons = new ArrayList<>();
            for (int j = 0; j < width; j++) neurons.add(encode(v, width, j));
            layers.add(neurons);
        }
        heat.put("neurons", layers);
        Map<String, String> feats = new LinkedHashMap<>();
        float[] grid = grid(NEURON_GRID);
        for (String name : config.features()) feats.put(name, encode(normalized(features(grid, List.of(name))), 1));
        heat.put("features", feats);
        m.put("heatmaps", heat);
        return m;
    }

    /** Every layer's output on a size×size grid over the input plane. */
    @SuppressWarnings("try")
    private List<Tensor> evaluate(int size) {
        float[] feats = features(grid(size), config.features());
        try (var g = NoGrad.enter()) {
            return net.forwardAll(TensorData.wrap(feats, size * size, config.features().size()));
        }
    }

    static float[] grid(int size) {
        float[] xy = new float[2 * size * size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                int i = r * size + c;
                xy[2 * i] = -DOMAIN + 2 * DOMAIN * (c + 0.5f) / size;
                xy[2 * i + 1] = DOMAIN - 2 * DOMAIN * (r + 0.5f) / size;
            }
        }
        return xy;
    }

    /** Scaled into [−1, 1] by the largest magnitude: raw features span about ±6 (±36 squared). */
    private static float[] normalized(float[] v) {
        float max = 0;
        for (float x : v) max = Math.max(max, Math.abs(x));
        if (max > 0) for (int i = 0; i < v.length; i++) v[i] /= max;
        return v;
    }

    private static String encode(float[] values, int stride) {
        return encode(values, stride, 0);
    }

    /** Column {@code col} of a row-major [n, stride] array as base64 int8 (×127, clipped to [−1, 1]). */
    static String encode(float[] values, int stride, int col) {
        int n = values.length / stride;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            float v = values[i * stride + col];
            if (Float.isNaN(v)) v = 0;
            b[i] = (byte) Math.round(Math.max(-1f, Math.min(1f, v)) * 127);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    private static float round(float v) {
        return Math.round(v * 1000f) / 1000f;
    }

    private static double roundLoss(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e5) / 1e5 : -1;
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
