package org.jgrad.playground;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrad.data.Synthetic2D;

/**
 * One session's settings: the Playground's controls, validated. Immutable; {@link #apply} makes a
 * changed copy from a JSON patch and refuses unknown names and absurd values.
 */
record Config(
        String dataset,
        int ratio,
        int noise,
        int batchSize,
        List<String> features,
        List<Integer> layers,
        String activation,
        double learningRate,
        String regularization,
        double regularizationRate,
        long seed) {

    /** Points generated per data set (training plus test), as in the Playground's classification sets. */
    static final int NUM_POINTS = 500;
    static final int MAX_LAYERS = 6;
    static final int MAX_NEURONS = 8;

    static final Map<String, Synthetic2D.Kind> DATASETS = orderedMap(
            "circle", Synthetic2D.Kind.CIRCLE,
            "xor", Synthetic2D.Kind.XOR,
            "gaussian", Synthetic2D.Kind.GAUSSIAN,
            "spiral", Synthetic2D.Kind.SPIRAL,
            "plane", Synthetic2D.Kind.REGRESS_PLANE,
            "multigaussian", Synthetic2D.Kind.REGRESS_GAUSSIAN);
    /** Feature names in the Playground's order: X1, X2, X1², X2², X1·X2, sin(X1), sin(X2). */
    static final List<String> FEATURES = List.of("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2");
    static final Set<String> ACTIVATIONS = Set.of("relu", "tanh", "sigmoid", "linear");
    static final Set<String> REGULARIZATIONS = Set.of("none", "l1", "l2");
    static final Set<String> PROBLEMS = Set.of("classification", "regression");
    static final Set<String> KEYS = Set.of("dataset", "problem", "ratio", "noise", "batchSize", "features",
            "layers", "activation", "learningRate", "regularization", "regularizationRate", "seed");

    /** The Playground's opening settings. */
    static Config defaults() {
        return new Config("circle", 50, 0, 10, List.of("x1", "x2"), List.of(4, 2), "tanh", 0.03, "none", 0, 1);
    }

    Synthetic2D.Kind kind() {
        return DATASETS.get(dataset);
    }

    boolean regression() {
        return kind().isRegression();
    }

    String problem() {
        return regression() ? "regression" : "classification";
    }

    int trainSize() {
        return trainSize(ratio);
    }

    static int trainSize(int ratio) {
        return Math.round(NUM_POINTS * ratio / 100f);
    }

    /** True when {@code other} needs new data points. */
    boolean dataDiffers(Config other) {
        return !dataset.equals(other.dataset) || ratio != other.ratio || noise != other.noise || seed != other.seed;
    }

    /** True when {@code other} needs a freshly initialised network. */
    boolean networkDiffers(Config other) {
        return !features.equals(other.features) || !layers.equals(other.layers) || !activation.equals(other.activation)
                || regression() != other.regression();
    }

    /**
     * This config with the fields named in {@code patch} replaced.
     *
     * @throws ApiException (400) naming the first unknown key or bad value
     */
    Config apply(JsonNode patch) {
        if (patch == null || patch.isNull()) return this;
        if (!patch.isObject()) throw ApiException.badRequest("settings must be a JSON object");
        for (var it = patch.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) throw ApiException.badRequest("unknown parameter '" + clip(key) + "'; known: " + sortedKeys());
        }
        String ds = patch.has("dataset") ? oneOf(patch, "dataset", DATASETS.keySet()) : dataset;
        if (patch.has("problem")) {
            boolean wantRegression = oneOf(patch, "problem", PROBLEMS).equals("regression");
            if (DATASETS.get(ds).isRegression() != wantRegression) {
                if (patch.has("dataset"))
                    throw ApiException.badRequest("dataset '" + ds + "' is not a " + (wantRegression ? "regression" : "classification") + " data set");
                ds = wantRegression ? "plane" : "circle"; // switching the problem picks that group's first data set, as the Playground does
            }
        }
        int r = patch.has("ratio") ? intIn(patch, "ratio", 10, 90) : ratio;
        int n = patch.has("noise") ? intIn(patch, "noise", 0, 50) : noise;
        int bs = patch.has("batchSize") ? intIn(patch, "batchSize", 1, trainSize(r)) : batchSize;
        if (bs > trainSize(r))
            throw ApiException.badRequest("batchSize " + bs + " exceeds the " + trainSize(r) + " training points of ratio " + r + "%");
        List<String> fs = patch.has("features") ? features(patch.get("features")) : features;
        List<Integer> ls = patch.has("layers") ? layers(patch.get("layers")) : layers;
        String act = patch.has("activation") ? oneOf(patch, "activation", ACTIVATIONS) : activation;
        double lr = patch.has("learningRate") ? number(patch, "learningRate") : learningRate;
        if (!(lr > 0 && lr <= 10)) throw ApiException.badRequest("learningRate must be in (0, 10], got " + lr);
        String reg = patch.has("regularization") ? oneOf(patch, "regularization", REGULARIZATIONS) : regularization;
        double rr = patch.has("regularizationRate") ? number(patch, "regularizationRate") : regularizationRate;
        if (!(rr >= 0 && rr <= 10)) throw ApiException.badRequest("regularizationRate must be in [0, 10], got " + rr);
        long sd = seed;
        if (patch.has("seed")) {
            JsonNode s = patch.get("seed");
            if (!s.canConvertToLong() || !s.isIntegralNumber()) throw ApiException.badRequest("seed must be an integer");
            sd = s.asLong();
        }
        return new Config(ds, r, n, bs, fs, ls, act, lr, reg, rr, sd);
    }

    /** The settings as the page and the API see them. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("problem", problem());
        m.put("ratio", ratio);
        m.put("noise", noise);
        m.put("batchSize", batchSize);
        m.put("features", features);
        m.put("layers", layers);
        m.put("activation", activation);
        m.put("learningRate", learningRate);
        m.put("regularization", regularization);
        m.put("regularizationRate", regularizationRate);
        m.put("seed", seed);
        m.put("trainSize", trainSize());
        return m;
    }

    private static List<String> features(JsonNode node) {
        if (!node.isArray()) throw ApiException.badRequest("features must be an array of names from " + FEATURES);
        if (node.size() > FEATURES.size()) throw ApiException.badRequest("features: at most " + FEATURES.size() + " names");
        List<String> wanted = new ArrayList<>();
        for (JsonNode f : node) {
            if (!f.isTextual() || !FEATURES.contains(f.asText()))
                throw ApiException.badRequest("features: unknown feature " + clip(f.toString()) + "; known: " + FEATURES);
            wanted.add(f.asText());
        }
        if (wanted.isEmpty()) throw ApiException.badRequest("features: at least one feature is needed");
        // canonical order, so that the same set always means the same network input
        return FEATURES.stream().filter(wanted::contains).toList();
    }

    private static List<Integer> layers(JsonNode node) {
        if (!node.isArray()) throw ApiException.badRequest("layers must be an array of neuron counts");
        if (node.size() > MAX_LAYERS) throw ApiException.badRequest("layers: at most " + MAX_LAYERS + " hidden layers, got " + node.size());
        List<Integer> out = new ArrayList<>();
        for (JsonNode l : node) {
            if (!l.isIntegralNumber() || l.asLong() < 1 || l.asLong() > MAX_NEURONS)
                throw ApiException.badRequest("layers: each layer needs 1.." + MAX_NEURONS + " neurons, got " + clip(l.toString()));
            out.add(l.asInt());
        }
        return List.copyOf(out);
    }

    private static String oneOf(JsonNode patch, String key, Set<String> allowed) {
        JsonNode v = patch.get(key);
        if (!v.isTextual() || !allowed.contains(v.asText()))
            throw ApiException.badRequest(key + " must be one of " + allowed.stream().sorted().toList() + ", got " + clip(v.toString()));
        return v.asText();
    }

    private static int intIn(JsonNode patch, String key, int lo, int hi) {
        JsonNode v = patch.get(key);
        if (!v.isIntegralNumber() || v.asLong() < lo || v.asLong() > hi)
            throw ApiException.badRequest(key + " must be an integer in " + lo + ".." + hi + ", got " + clip(v.toString()));
        return v.asInt();
    }

    private static double number(JsonNode patch, String key) {
        JsonNode v = patch.get(key);
        if (!v.isNumber()) throw ApiException.badRequest(key + " must be a number, got " + clip(v.toString()));
        return v.asDouble();
    }

    /** Error messages echo what the client sent; keep that short. */
    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static List<String> sortedKeys() {
        return KEYS.stream().sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> orderedMap(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (V) kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
