package org.jgrad.spark;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jgrad.nn.Module;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;

/**
 * How each Spark task builds its copy of the model: a zoo name with named arguments
 * ({@code ModelSpec.zoo("resnet18", Map.of("num_classes", "10"))}), or a {@link Module} class with
 * constructor arguments ({@code ModelSpec.of(MyNet.class, 784, 10)}). It travels as text (class
 * names and argument values); the weights travel separately as safetensors bytes, so nothing about
 * the model is Java-serialized.
 */
public final class ModelSpec {
    private final String zooName;
    private final Map<String, String> zooArgs;
    private final String className;
    private final List<Object> args;

    private ModelSpec(String zooName, Map<String, String> zooArgs, String className, List<Object> args) {
        this.zooName = zooName;
        this.zooArgs = zooArgs;
        this.className = className;
        this.args = args;
    }

    /**
     * A zoo model ({@code jgrad models} lists them) with arguments given as text, as on the command
     * line. The name and arguments are checked here, on the driver.
     */
    public static ModelSpec zoo(String name, Map<String, String> args) {
        ZooModel entry = ModelRegistry.get(name);
        entry.parseArgs(args);
        return new ModelSpec(entry.name(), Map.copyOf(args), null, null);
    }

    /**
     * A model class with a public constructor taking {@code args}, each an Integer, Long, Double,
     * Boolean or String (primitives match their boxes). The class must be on the executors' class
     * path (in the application jar).
     */
    public static ModelSpec of(Class<? extends Module> type, Object... args) {
        List<Object> list = new ArrayList<>();
        for (Object a : args) {
            if (!(a instanceof Integer || a instanceof Long || a instanceof Double || a instanceof Boolean || a instanceof String))
                throw new IllegalArgumentException("ModelSpec.of: argument " + a + " (" + (a == null ? "null" : a.getClass().getName())
                        + ") is not an Integer, Long, Double, Boolean or String");
            list.add(a);
        }
        ModelSpec spec = new ModelSpec(null, null, type.getName(), List.copyOf(list));
        spec.constructor(type); // fail on the driver, not in every task
        return spec;
    }

    /** A new model with fresh (random) weights. */
    public Module create() {
        if (zooName != null) {
            ZooModel entry = ModelRegistry.get(zooName);
            return entry.create(entry.parseArgs(zooArgs));
        }
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!Module.class.isAssignableFrom(c))
                throw new IllegalArgumentException("ModelSpec: " + className + " is not a jgrad Module");
            return (Module) constructor(c).newInstance(args.toArray());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("ModelSpec: model class " + className + " is not on this JVM's class path"
                    + " (add the application jar with --jars or spark.executor.extraClassPath)", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("ModelSpec: " + className + "'s constructor failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("ModelSpec: cannot construct " + className + ": " + e, e);
        }
    }

    private Constructor<?> constructor(Class<?> c) {
        outer:
        for (Constructor<?> k : c.getConstructors()) {
            Class<?>[] p = k.getParameterTypes();
            if (p.length != args.size()) continue;
            for (int i = 0; i < p.length; i++)
                if (!box(p[i]).isInstance(args.get(i))) continue outer;
            return k;
        }
        throw new IllegalArgumentException("ModelSpec: " + c.getName() + " has no public constructor taking " + types());
    }

    private List<String> types() {
        return args.stream().map(a -> a.getClass().getSimpleName()).toList();
    }

    private static Class<?> box(Class<?> p) {
        if (p == int.class) return Integer.class;
        if (p == long.class) return Long.class;
        if (p == double.class) return Double.class;
        if (p == boolean.class) return Boolean.class;
        return p;
    }

    void write(Properties p) {
        if (zooName != null) {
            p.setProperty("model.zoo", zooName);
            zooArgs.forEach((k, v) -> p.setProperty("model.zoo.arg." + k, v));
        } else {
            p.setProperty("model.class", className);
            p.setProperty("model.argc", Integer.toString(args.size()));
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                p.setProperty("model.arg." + i, a.getClass().getSimpleName() + ":" + a);
            }
        }
    }

    static ModelSpec read(Properties p) {
        String zoo = p.getProperty("model.zoo");
        if (zoo != null) {
            Map<String, String> a = new LinkedHashMap<>();
            for (String k : p.stringPropertyNames())
                if (k.startsWith("model.zoo.arg.")) a.put(k.substring("model.zoo.arg.".length()), p.getProperty(k));
            return new ModelSpec(zoo, Map.copyOf(a), null, null);
        }
        String cls = Envelope.required(p, "model.class");
        int n = Envelope.intValue(p, "model.argc");
        List<Object> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String v = Envelope.required(p, "model.arg." + i);
            int colon = v.indexOf(':');
            String type = colon < 0 ? "" : v.substring(0, colon), s = v.substring(colon + 1);
            a.add(switch (type) {
                case "Integer" -> Integer.valueOf(s);
                case "Long" -> Long.valueOf(s);
                case "Double" -> Double.valueOf(s);
                case "Boolean" -> Boolean.valueOf(s);
                case "String" -> s;
                default -> throw new IllegalArgumentException("ModelSpec: argument " + i + " '" + v + "' has no known type");
            });
        }
        return new ModelSpec(null, null, cls, List.copyOf(a));
    }

    @Override
    public String toString() {
        return zooName != null ? zooName + zooArgs : className + args;
    }
}
