package org.jgrad.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Typed access to one layer's config with messages that name the field: a value of the wrong type or
 * out of range is a {@link KerasFormatException} such as
 * {@code model.keras: config.json config.layers[2].config.strides: expected 1 or 2 positive integers, found [0, 1]}.
 */
final class LayerArgs {
    /** Kernels, strides and paddings beyond this are no real model's and would only overflow sizes. */
    static final int MAX_SIZE = 1 << 16;

    final Path file;
    final String field;
    final JsonNode config;
    final String layer;
    final String className;

    LayerArgs(Path file, ModelConfig.Layer l) {
        this.file = file;
        this.field = l.field() + ".config";
        this.config = l.config();
        this.layer = l.name();
        this.className = l.className();
    }

    KerasFormatException error(String key, String problem) {
        return new KerasFormatException(file, field + (key == null ? "" : "." + key), problem);
    }

    boolean has(String key) {
        JsonNode v = config.get(key);
        return v != null && !v.isNull();
    }

    String string(String key, String dflt) throws KerasFormatException {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) throw error(key, "expected a string, found " + excerpt(v));
        return v.asText();
    }

    boolean bool(String key, boolean dflt) throws KerasFormatException {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw error(key, "expected true or false, found " + excerpt(v));
        return v.asBoolean();
    }

    double number(String key, double dflt) throws KerasFormatException {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) throw error(key, "expected a finite number, found " + excerpt(v));
        return v.asDouble();
    }

    int integer(String key, int dflt, int min, int max) throws KerasFormatException {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return dflt;
        return checkedInt(v, key, min, max);
    }

    private int checkedInt(JsonNode v, String key, int min, int max) throws KerasFormatException {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max)
            throw error(key, "expected an integer in [" + min + ", " + max + "], found " + excerpt(v));
        return v.asInt();
    }

    /** An int or a list of two ints (Keras accepts both for kernel_size, strides, pool_size...), as {h, w}. */
    int[] pair(String key, int[] dflt, int min) throws KerasFormatException {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) throw error(key, "missing");
            return dflt;
        }
        if (v.isIntegralNumber()) {
            int x = checkedInt(v, key, min, MAX_SIZE);
            return new int[] {x, x};
        }
        if (v.isArray() && (v.size() == 2 || v.size() == 1)) {
            int a = checkedInt(v.get(0), key, min, MAX_SIZE);
            int b = v.size() == 2 ? checkedInt(v.get(1), key, min, MAX_SIZE) : a;
            return new int[] {a, b};
        }
        throw error(key, "expected an integer or a list of 2 integers, found " + excerpt(v));
    }

    /** A shape list with nulls for unknown sizes (returned as -1). */
    int[] shape(String key) throws KerasFormatException {
        JsonNode v = config.get(key);
        if (v == null || !v.isArray() || v.size() > 8) throw error(key, "expected a shape list, found " + excerpt(v));
        int[] s = new int[v.size()];
        for (int i = 0; i < s.length; i++) s[i] = v.get(i).isNull() ? -1 : checkedInt(v.get(i), key, 0, Integer.MAX_VALUE);
        return s;
    }

    /** Keras layers that jgrad builds all work on channels_last data; channels_first would need other transposes. */
    void requireChannelsLast() throws KerasFormatException {
        String f = string("data_format", "channels_last");
        if (!f.equals("channels_last"))
            throw error("data_format", "'" + f + "' is not supported; jgrad builds channels_last models (Keras' default)");
    }

    static String excerpt(JsonNode n) {
        if (n == null) return "nothing";
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
