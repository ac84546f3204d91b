package org.jgrad.vision.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named arguments a zoo model was built with, e.g. {@code {num_classes=10, in_channels=1}}:
 * with the model's name they rebuild it ({@link ZooModel#create(ModelArgs)}), and they are stored in
 * a saved model's metadata ({@link SavedModel}). Immutable; {@link #with} returns a copy.
 */
public final class ModelArgs {
    private final Map<String, Object> values;

    ModelArgs(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The arguments by name, in the model's declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** True when the argument is present. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** An integer argument ({@code num_classes}). */
    public int getInt(String name) {
        return (Integer) get(name);
    }

    /** A number argument ({@code dropout}). */
    public double getDouble(String name) {
        return (Double) get(name);
    }

    /** A true/false argument. */
    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    /** A text argument. */
    public String getString(String name) {
        return (String) get(name);
    }

    /** A list-of-integers argument ({@code hidden}). */
    public int[] getInts(String name) {
        @SuppressWarnings("unchecked")
        List<Integer> l = (List<Integer>) get(name);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The value of {@code name}. */
    public Object get(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no model argument '" + name + "' in " + this);
        return v;
    }

    /** A copy with {@code name} set to {@code value} (unchecked: {@link ZooModel#args} checks names and types). */
    public ModelArgs with(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(name, value instanceof int[] a ? java.util.Arrays.stream(a).boxed().toList() : value);
        return new ModelArgs(m);
    }

    /** Each argument's text form ({@code hidden → "500,250,125"}), for file metadata. */
    public Map<String, String> toStrings() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, ModelParam.format(v)));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelArgs a && a.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@code num_classes=10, in_channels=1}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        toStrings().forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }
}
