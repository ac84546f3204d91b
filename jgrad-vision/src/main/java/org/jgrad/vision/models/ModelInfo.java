package org.jgrad.vision.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jgrad.nn.Module;
import org.jgrad.vision.transforms.Normalization;

/**
 * What it takes to rebuild a trained zoo model and feed it: the registry name and the named
 * arguments it was built with, one sample's input shape, the class names and the input
 * normalisation. Stored in the metadata of every file {@link SavedModel#save} (and {@code jgrad
 * train}) writes, so that {@link SavedModel#load}, {@code jgrad eval} and {@code jgrad predict}
 * need nothing but the file.
 *
 * <pre>{@code
 * ModelInfo info = ModelInfo.of("lenet5", new int[] {1, 28, 28}, 10)
 *         .withClassNames(MnistDatasets.FASHION_CLASSES)
 *         .withNormalization(Normalization.of(Tensor.of(0.286f), Tensor.of(0.353f)));
 * Module net = info.create();
 * }</pre>
 *
 * @param model the registry name ({@link ModelRegistry}), e.g. {@code lenet5}
 * @param args the arguments of the model's factory
 * @param inputShape one sample's shape: {@code [C, H, W]} for images, {@code [F]} for feature vectors
 * @param classNames the class names by label
 * @param normalization what is applied to inputs in [0, 1] before the model sees them
 * @param dataset the dataset it was trained on ({@code ""} when unknown)
 */
public record ModelInfo(String model, ModelArgs args, int[] inputShape, List<String> classNames, Normalization normalization,
        String dataset) {

    /** Metadata keys. {@code jgrad.num_classes} and {@code jgrad.in_channels} are kept for older readers. */
    public static final String MODEL = "jgrad.model", ARG_PREFIX = "jgrad.model_args.", NUM_CLASSES = "jgrad.num_classes",
            IN_CHANNELS = "jgrad.in_channels", INPUT_SHAPE = "jgrad.input_shape", DATASET = "jgrad.dataset",
            CLASS_NAMES = "jgrad.class_names", NORMALIZE_MEAN = "jgrad.normalize.mean", NORMALIZE_STD = "jgrad.normalize.std";

    /** Checks and copies. */
    public ModelInfo {
        Objects.requireNonNull(model, "ModelInfo: model");
        Objects.requireNonNull(args, "ModelInfo: args");
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d <= 0))
            throw new IllegalArgumentException("ModelInfo: bad input shape " + Arrays.toString(inputShape));
        inputShape = inputShape.clone();
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(normalization, "ModelInfo: normalization (use Normalization.NONE)");
        dataset = dataset == null ? "" : dataset;
    }

    /**
     * The info for zoo model {@code model} over samples of {@code inputShape} and {@code numClasses}
     * classes: arguments from the entry ({@link ZooModel#argsFor}), class names "0", "1", ..., no
     * normalisation.
     *
     * @throws IllegalArgumentException for an unknown model
     */
    public static ModelInfo of(String model, int[] inputShape, int numClasses) {
        ZooModel e = ModelRegistry.get(model);
        return new ModelInfo(e.name(), e.argsFor(inputShape, numClasses), inputShape, defaultClassNames(numClasses),
                Normalization.NONE, "");
    }

    /** A copy with these class names. */
    public ModelInfo withClassNames(List<String> names) {
        return new ModelInfo(model, args, inputShape, names, normalization, dataset);
    }

    /** A copy with this normalisation. */
    public ModelInfo withNormalization(Normalization n) {
        return new ModelInfo(model, args, inputShape, classNames, n, dataset);
    }

    /** A copy naming the dataset. */
    public ModelInfo withDataset(String name) {
        return new ModelInfo(model, args, inputShape, classNames, normalization, name);
    }

    /** A copy with other factory arguments (checked by the entry). */
    public ModelInfo withArgs(ModelArgs a) {
        return new ModelInfo(model, entry().args(a.asMap()), inputShape, classNames, normalization, dataset);
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The registry entry. */
    public ZooModel entry() {
        return ModelRegistry.get(model);
    }

    /** A freshly initialized model as the info describes it. */
    public Module create() {
        return entry().create(args);
    }

    /** The number of classes: the {@code num_classes} argument, else the number of class names. */
    public int numClasses() {
        return args.has(ZooModel.NUM_CLASSES) ? args.getInt(ZooModel.NUM_CLASSES) : classNames.size();
    }

    /** Input channels: C of an image shape, 1 for feature vectors. */
    public int inChannels() {
        return isImage() ? inputShape[0] : 1;
    }

    /** True for images ({@code [C, H, W]}), false for feature vectors. */
    public boolean isImage() {
        return inputShape.length == 3;
    }

    /** The input shape as {@code 1x28x28}. */
    public String shapeString() {
        return Arrays.stream(inputShape).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    /** The metadata entries describing this info (all strings, as safetensors metadata must be). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MODEL, model);
        args.toStrings().forEach((k, v) -> m.put(ARG_PREFIX + k, v));
        m.put(NUM_CLASSES, Integer.toString(numClasses()));
        m.put(IN_CHANNELS, Integer.toString(inChannels()));
        m.put(INPUT_SHAPE, shapeString());
        m.put(DATASET, dataset);
        m.put(CLASS_NAMES, StringLists.encode(classNames));
        if (!normalization.isNone()) {
            m.put(NORMALIZE_MEAN, normalization.meanString());
            m.put(NORMALIZE_STD, normalization.stdString());
        }
        return m;
    }

    /** True when {@code metadata} names a model ({@code jgrad.model}). */
    public static boolean isPresent(Map<String, String> metadata) {
        return metadata.containsKey(MODEL);
    }

    /**
     * Reads the info back from file metadata. Files written by earlier versions of {@code jgrad
     * train} have no {@code jgrad.model_args.*}: their arguments are derived from the input shape
     * and class count, as those versions built the model.
     *
     * @throws MissingModelInfoException naming {@code source} when there is no {@code jgrad.model} entry
     * @throws IllegalArgumentException naming {@code source} and the entry when one is malformed, or
     *     the model is not in the registry
     */
    public static ModelInfo fromMetadata(Map<String, String> m, String source) {
        if (!isPresent(m)) throw new MissingModelInfoException(source);
        String name = m.get(MODEL);
        ZooModel e;
        try {
            e = ModelRegistry.get(name);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(source + ": " + ex.getMessage() + "; a model of one's own must be registered"
                    + " (ModelRegistry.register) before it is loaded", ex);
        }
        try {
            int[] shape = m.containsKey(INPUT_SHAPE)
                    ? Arrays.stream(m.get(INPUT_SHAPE).split("x")).mapToInt(s -> Integer.parseInt(s.strip())).toArray()
                    : e.defaultInputShape();
            List<String> names = m.containsKey(CLASS_NAMES) ? StringLists.decode(m.get(CLASS_NAMES)) : null;
            Map<String, String> stored = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (k.startsWith(ARG_PREFIX)) stored.put(k.substring(ARG_PREFIX.length()), v);
            });
            ModelArgs args;
            if (!stored.isEmpty()) {
                args = e.parseArgs(stored);
            } else {
                int classes = m.containsKey(NUM_CLASSES) ? Integer.parseInt(m.get(NUM_CLASSES).strip())
                        : names != null ? names.size() : e.defaultArgs().getInt(ZooModel.NUM_CLASSES);
                args = e.argsFor(shape, classes);
            }
            int classes = args.has(ZooModel.NUM_CLASSES) ? args.getInt(ZooModel.NUM_CLASSES) : names == null ? 0 : names.size();
            int channels = m.containsKey(IN_CHANNELS) ? Integer.parseInt(m.get(IN_CHANNELS).strip()) : 1;
            if (classes < 1 || channels < 1 || Arrays.stream(shape).anyMatch(d -> d < 1))
                throw new IllegalArgumentException(NUM_CLASSES + "=" + classes + ", " + IN_CHANNELS + "=" + channels + ", "
                        + INPUT_SHAPE + "=" + m.get(INPUT_SHAPE) + " must all be positive");
            if (m.containsKey(NUM_CLASSES) && Integer.parseInt(m.get(NUM_CLASSES).strip()) != classes)
                throw new Inconsistent(source + ": its metadata disagree: " + NUM_CLASSES + "=" + m.get(NUM_CLASSES) + " but "
                        + ARG_PREFIX + ZooModel.NUM_CLASSES + "=" + classes + "; the file is inconsistent");
            if (names != null && names.size() != classes)
                throw new Inconsistent(source + ": its metadata names " + names.size() + " classes (" + CLASS_NAMES
                        + ") for a model of " + classes + " classes (" + NUM_CLASSES + "); the file is inconsistent");
            if (names == null) names = defaultClassNames(classes);
            Normalization norm = Normalization.parse(m.get(NORMALIZE_MEAN), m.get(NORMALIZE_STD));
            return new ModelInfo(e.name(), args, shape, names, norm, m.getOrDefault(DATASET, ""));
        } catch (Inconsistent ex) {
            throw ex;
        } catch (IllegalArgumentException ex) { // NumberFormatException too
            throw new IllegalArgumentException(source + ": malformed jgrad model metadata (" + ex.getMessage() + ")", ex);
        }
    }

    /** Entries that parse but contradict each other: reported as they are, not as malformed. */
    private static final class Inconsistent extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Inconsistent(String message) {
            super(message);
        }
    }

    /** "0", "1", ... for datasets without class names. */
    public static List<String> defaultClassNames(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelInfo i && i.model.equals(model) && i.args.equals(args) && Arrays.equals(i.inputShape, inputShape)
                && i.classNames.equals(classNames) && i.normalization.equals(normalization) && i.dataset.equals(dataset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, args, Arrays.hashCode(inputShape), classNames, normalization, dataset);
    }

    /** {@code lenet5(num_classes=10, in_channels=1) on 1x28x28}. */
    @Override
    public String toString() {
        return model + "(" + args + ") on " + shapeString() + (normalization.isNone() ? "" : ", normalised " + normalization);
    }
}
