package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every zoo model by name: the built-in ones ({@link BuiltInModels}) and any a program registers
 * (a model registered here can be saved and loaded whole, by name, like a built-in one). Names are
 * case-insensitive.
 *
 * <pre>{@code
 * ZooModel e = ModelRegistry.get("resnet18");
 * Module net = e.create(e.argsFor(new int[] {3, 32, 32}, 10));
 * long n = e.parameterCount(e.defaultArgs());   // 11,689,512
 * }</pre>
 */
public final class ModelRegistry {
    private ModelRegistry() {}

    private static final Map<String, ZooModel> BY_NAME = new ConcurrentHashMap<>();
    private static final List<ZooModel> ALL = new CopyOnWriteArrayList<>();

    static {
        for (ZooModel m : BuiltInModels.all()) add(m);
    }

    /** Every entry, built-in ones first, in registration order. */
    public static List<ZooModel> all() {
        return List.copyOf(ALL);
    }

    /** Every name, in registration order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (ZooModel m : ALL) out.add(m.name());
        return List.copyOf(out);
    }

    /** True when {@code name} (any case) is registered. */
    public static boolean contains(String name) {
        return name != null && BY_NAME.containsKey(name.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * The entry named {@code name} (any case).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ZooModel get(String name) {
        ZooModel m = name == null ? null : BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
        if (m == null)
            throw new IllegalArgumentException("unknown model " + (name == null ? "null" : "'" + name + "'")
                    + " (known models: " + String.join(", ", names()) + ")");
        return m;
    }

    /**
     * Adds a model of one's own, so that {@code SavedModel.load} and {@code jgrad eval/predict} can
     * rebuild it by name.
     *
     * @throws IllegalArgumentException when the name is taken
     */
    public static void register(ZooModel model) {
        add(model);
    }

    private static synchronized void add(ZooModel m) {
        if (BY_NAME.putIfAbsent(m.name().toLowerCase(Locale.ROOT), m) != null)
            throw new IllegalArgumentException("ModelRegistry: a model named '" + m.name() + "' is already registered");
        ALL.add(m);
    }
}
