package org.jgrad.vision.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jgrad.nn.Module;
import org.jgrad.nn.Summary;
import org.jgrad.tensor.Generator;

/**
 * One model of the zoo, in one place: its name, what it is, its factory with the named arguments
 * it takes (and their defaults), the input it expects and the layout family of its weights. The
 * model registry ({@link ModelRegistry}), {@link Models}, {@code jgrad train}, {@code jgrad summary},
 * {@code eval} and {@code predict} all read this entry; nothing about a model is written twice.
 *
 * <pre>{@code
 * ZooModel.builder("lenet5")
 *         .description("LeNet-5 for 28x28 images: ReLU, max pooling, padding 2")
 *         .param("num_classes", 10, "output classes")
 *         .param("in_channels", 1, "input image channels")
 *         .input(1, 28, 28).inputSize(InputSize.exact(28))
 *         .factory(a -> LeNet5.mnist(a.getInt("num_classes"), a.getInt("in_channels")))
 *         .build();
 * }</pre>
 */
public final class ZooModel {

    /** Whose layer names and weight layouts a model follows, i.e. whose exported weights load unchanged. */
    public enum Layout {
        /** torchvision's names ({@code features.0.weight}, {@code fc.bias}) and NCHW layouts. */
        TORCHVISION,
        /** Keras' layer names and layouts. */
        KERAS
    }

    /** Names of the arguments every image classifier should use, so the CLI can fill them from the data. */
    public static final String NUM_CLASSES = "num_classes", IN_CHANNELS = "in_channels";

    private final String name, description;
    private final Layout layout;
    private final List<ModelParam> params;
    private final int[] defaultInput;
    private final InputSize inputSize;
    private final Function<ModelArgs, ? extends Module> factory;
    private final BiFunction<int[], ModelArgs, ModelArgs> argsForInput;
    private final Map<ModelArgs, Counted> parameterCounts = new ConcurrentHashMap<>();

    // what counting a built model found: its parameters, and the counts in its layout's convention
    private record Counted(long parameters, Summary.Counts counts) {}

    private ZooModel(Builder b) {
        name = b.name;
        description = Objects.requireNonNull(b.description, () -> "ZooModel " + b.name + ": no description");
        layout = b.layout;
        params = List.copyOf(b.params.values());
        defaultInput = Objects.requireNonNull(b.defaultInput, () -> "ZooModel " + b.name + ": no default input shape").clone();
        inputSize = b.inputSize;
        factory = Objects.requireNonNull(b.factory, () -> "ZooModel " + b.name + ": no factory");
        argsForInput = b.argsForInput;
    }

    /**
     * Starts an entry named {@code name}: torchvision's names are lower case ({@code resnet50}), Keras'
     * keep their capitals ({@code keras.ResNet50}); the registry and the CLI's {@code --model} take any case.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name, e.g. {@code resnet18}. */
    public String name() {
        return name;
    }

    /** One line saying what the model is. */
    public String description() {
        return description;
    }

    /** Whose names and layouts the weights follow. */
    public Layout layout() {
        return layout;
    }

    /** The factory's named arguments, in order, with their defaults. */
    public List<ModelParam> params() {
        return params;
    }

    /** One sample's default shape, without the batch dimension (e.g. {@code [3, 224, 224]}). */
    public int[] defaultInputShape() {
        return defaultInput.clone();
    }

    /** Which image sizes the model takes. */
    public InputSize inputSize() {
        return inputSize;
    }

    /** Every argument at its default. */
    public ModelArgs defaultArgs() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ModelParam p : params) m.put(p.name(), p.defaultValue());
        return new ModelArgs(m);
    }

    /**
     * The defaults with {@code given} applied, each checked against the declared arguments.
     *
     * @throws IllegalArgumentException naming an unknown argument (with the known ones) or a value of the wrong type
     */
    public ModelArgs args(Map<String, ?> given) {
        Map<String, Object> m = new LinkedHashMap<>(defaultArgs().asMap());
        for (Map.Entry<String, ?> e : given.entrySet()) m.put(e.getKey(), param(e.getKey()).check(e.getValue()));
        return new ModelArgs(m);
    }

    /** {@link #args(Map)} from text values, as stored in a file's metadata or given on a command line. */
    public ModelArgs parseArgs(Map<String, String> given) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) m.put(e.getKey(), param(e.getKey()).parse(e.getValue()));
        return args(m);
    }

    /**
     * The arguments for samples of shape {@code inputShape} ({@code [C, H, W]} or {@code [F]}) and
     * {@code numClasses} classes: {@code num_classes} and {@code in_channels} set from them, plus
     * whatever else the entry derives from the input (the MLP's {@code in_features}).
     */
    public ModelArgs argsFor(int[] inputShape, int numClasses) {
        ModelArgs a = defaultArgs();
        if (a.has(NUM_CLASSES)) a = a.with(NUM_CLASSES, numClasses);
        if (a.has(IN_CHANNELS) && inputShape.length == 3) a = a.with(IN_CHANNELS, inputShape[0]);
        if (argsForInput != null) a = argsForInput.apply(inputShape.clone(), a);
        return args(a.asMap());
    }

    /** A freshly initialized model (weights drawn from the default generator, {@code org.jgrad.nn.DefaultGenerator}). */
    public Module create(ModelArgs args) {
        return factory.apply(args(args.asMap()));
    }

    /** {@link #create(ModelArgs)} with every argument at its default. */
    public Module create() {
        return create(defaultArgs());
    }

    /**
     * The number of parameters of the model built with {@code args}, counted on a built model and
     * remembered per arguments. Building it leaves the default generator's state as it was, so
     * asking for a count does not change the weights of the next model built.
     */
    public long parameterCount(ModelArgs args) {
        return counted(args).parameters();
    }

    /**
     * The model's counts as its layout's own framework reports them ({@link #counting()}): for a Keras
     * layout the total includes the batch norms' moving means and variances, as non-trainable
     * ({@code keras.ResNet50}: 25,636,712 in all, 25,583,592 trainable), which
     * {@link #parameterCount} leaves out. Counted once per arguments, like it.
     */
    public Summary.Counts counts(ModelArgs args) {
        return counted(args).counts();
    }

    private Counted counted(ModelArgs args) {
        ModelArgs checked = args(args.asMap());
        return parameterCounts.computeIfAbsent(checked, a -> {
            Generator g = org.jgrad.nn.DefaultGenerator.get();
            long[] state = g.getState();
            try {
                Module m = factory.apply(a);
                return new Counted(Summary.count(m, Summary.Counting.PYTORCH).total(), Summary.count(m, counting()));
            } finally {
                g.setState(state);
            }
        });
    }

    /** How {@code jgrad summary} and {@link #counts} count: Keras' way for the Keras layout, PyTorch's otherwise. */
    public Summary.Counting counting() {
        return layout == Layout.KERAS ? Summary.Counting.KERAS : Summary.Counting.PYTORCH;
    }

    /**
     * The sample shape the model takes for data of shape {@code dataShape}: see {@link InputSize#fit}.
     *
     * @throws IllegalArgumentException when the model takes images and the data are feature vectors
     */
    public int[] fitInput(int[] dataShape) {
        return inputSize.fit(name, dataShape);
    }

    private ModelParam param(String n) {
        for (ModelParam p : params) if (p.name().equals(n)) return p;
        throw new IllegalArgumentException(name + " has no argument '" + n + "' (its arguments: "
                + String.join(", ", params.stream().map(ModelParam::name).toList()) + ")");
    }

    @Override
    public String toString() {
        return name + " (" + description + ")";
    }

    /** Collects an entry's parts; {@link #build} checks that none is missing. */
    public static final class Builder {
        private final String name;
        private String description;
        private Layout layout = Layout.TORCHVISION;
        private final Map<String, ModelParam> params = new LinkedHashMap<>();
        private int[] defaultInput;
        private InputSize inputSize = InputSize.any();
        private Function<ModelArgs, ? extends Module> factory;
        private BiFunction<int[], ModelArgs, ModelArgs> argsForInput;

        private Builder(String name) {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*"))
                throw new IllegalArgumentException("ZooModel: a name is letters, digits, '_', '.', '-', got " + name);
            this.name = name;
        }

        /** One line saying what the model is (shown by {@code jgrad train --help}). */
        public Builder description(String d) {
            description = d;
            return this;
        }

        /** Whose names and layouts the weights follow (default torchvision). */
        public Builder layout(Layout l) {
            layout = Objects.requireNonNull(l);
            return this;
        }

        /** Declares a named argument of the factory with its default ({@code int[]} for lists). */
        public Builder param(String n, Object defaultValue, String description) {
            if (params.containsKey(n)) throw new IllegalArgumentException("ZooModel " + name + ": argument " + n + " declared twice");
            params.put(n, new ModelParam(n, defaultValue, description));
            return this;
        }

        /** One sample's default shape ({@code 3, 224, 224}), used by {@code jgrad summary}. */
        public Builder input(int... shape) {
            if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0))
                throw new IllegalArgumentException("ZooModel " + name + ": bad default input shape " + Arrays.toString(shape));
            defaultInput = shape.clone();
            return this;
        }

        /** Which image sizes the model takes (default: any shape, images or vectors). */
        public Builder inputSize(InputSize s) {
            inputSize = Objects.requireNonNull(s);
            return this;
        }

        /** The factory: builds a fresh model from checked arguments. */
        public Builder factory(Function<ModelArgs, ? extends Module> f) {
            factory = f;
            return this;
        }

        /**
         * Derives further arguments from a sample shape, after {@code num_classes} and
         * {@code in_channels} are set (the MLP's {@code in_features}).
         */
        public Builder argsForInput(BiFunction<int[], ModelArgs, ModelArgs> f) {
            argsForInput = f;
            return this;
        }

        /** The entry. */
        public ZooModel build() {
            return new ZooModel(this);
        }
    }
}
