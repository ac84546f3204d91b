package org.jgrad.vision.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One named argument of a zoo model's factory, with its default value and what it means: for
 * example {@code num_classes} (default 1000) or {@code hidden} (default {@code [500, 250, 125]}).
 * The default's type is the argument's type: {@link Integer}, {@link Double}, {@link Boolean},
 * {@link String}, or a list of integers ({@code List<Integer>}).
 *
 * @param name the argument's name, PyTorch style ({@code num_classes}, {@code in_channels})
 * @param defaultValue the value used when none is given
 * @param description what the argument means, for {@code --help} texts and docs
 */
public record ModelParam(String name, Object defaultValue, String description) {

    /** Checks the name and the default's type; copies a list default. */
    public ModelParam {
        if (name == null || !name.matches("[a-z][a-z0-9_]*"))
            throw new IllegalArgumentException("ModelParam: the name must be lower_snake_case, got " + name);
        defaultValue = normalize(name, defaultValue);
    }

    /**
     * {@code value} as this argument's type (an {@code int[]} becomes a list), or an exception naming
     * the argument, the expected type and the value.
     */
    public Object check(Object value) {
        Object v = normalize(name, value);
        if (defaultValue instanceof Double && v instanceof Integer i) return i.doubleValue();
        if (v.getClass() != defaultValue.getClass() && !(v instanceof List && defaultValue instanceof List))
            throw new IllegalArgumentException("model argument " + name + ": expected " + typeName() + ", got "
                    + v.getClass().getSimpleName() + " " + format(v));
        return v;
    }

    /**
     * Parses the text form written by {@link #format(Object)}: {@code 10}, {@code 0.5}, {@code true},
     * {@code 500,250,125}.
     *
     * @throws IllegalArgumentException naming the argument and the text when it does not parse
     */
    public Object parse(String text) {
        try {
            return switch (defaultValue) {
                case Integer i -> Integer.parseInt(text.strip());
                case Double d -> Double.parseDouble(text.strip());
                case Boolean b -> {
                    String t = text.strip().toLowerCase(Locale.ROOT);
                    if (!t.equals("true") && !t.equals("false")) throw new NumberFormatException("not true or false");
                    yield Boolean.parseBoolean(t);
                }
                case List<?> l -> text.isBlank() ? List.<Integer>of()
                        : Arrays.stream(text.split(",")).map(s -> Integer.parseInt(s.strip())).toList();
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model argument " + name + ": expected " + typeName() + ", got '" + text + "'", e);
        }
    }

    /** The text form of a value of this argument (lists as {@code 500,250,125}). */
    public static String format(Object value) {
        if (value instanceof List<?> l) return String.join(",", l.stream().map(String::valueOf).toList());
        return String.valueOf(value);
    }

    /** {@code integer}, {@code number}, {@code true/false}, {@code text} or {@code list of integers}. */
    public String typeName() {
        return switch (defaultValue) {
            case Integer i -> "an integer";
            case Double d -> "a number";
            case Boolean b -> "true or false";
            case List<?> l -> "a comma-separated list of integers";
            default -> "text";
        };
    }

    private static Object normalize(String name, Object v) {
        if (v == null) throw new IllegalArgumentException("model argument " + name + ": no value");
        if (v instanceof int[] a) return Arrays.stream(a).boxed().toList();
        if (v instanceof List<?> l) {
            for (Object o : l)
                if (!(o instanceof Integer))
                    throw new IllegalArgumentException("model argument " + name + ": expected a list of integers, got " + l);
            return List.copyOf(l);
        }
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof Integer || v instanceof Double || v instanceof Boolean || v instanceof String) return v;
        throw new IllegalArgumentException("model argument " + name + ": unsupported type " + v.getClass().getSimpleName());
    }
}
