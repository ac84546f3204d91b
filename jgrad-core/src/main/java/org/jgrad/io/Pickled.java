package org.jgrad.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values {@link RestrictedUnpickler} builds from a pickle: Python's {@code int} is a {@link Long}
 * or {@link java.math.BigInteger}, {@code float} a {@link Double}, {@code str} a {@link String},
 * {@code bytes} a {@code byte[]}, {@code bool} a {@link Boolean}, {@code list} a
 * {@link java.util.ArrayList}, and the types below for the rest. None of them refers to a Java class
 * chosen by the file.
 */
final class Pickled {
    private Pickled() {}

    /** Python's {@code None}. */
    enum None { NONE }

    /** A tuple (immutable once built). */
    record Tuple(List<Object> items) {
        Tuple {
            items = List.copyOf(items);
        }
    }

    /** A {@code dict} or {@code collections.OrderedDict}; {@code attrs} holds what BUILD set on it (a state dict's {@code _metadata}). */
    static final class Dict {
        final LinkedHashMap<Object, Object> items = new LinkedHashMap<>();
        final Map<String, Object> attrs = new LinkedHashMap<>();
    }

    /** A global named by the pickle, already checked against the allow-list; a name, never a loaded class. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A tensor storage named by a persistent id: {@code numel} elements of {@code type}, found in the file by {@code key}. */
    record Storage(String key, TorchStorageType type, long numel) {}

    /**
     * A tensor as {@code torch._utils._rebuild_tensor_v2} would build it: a view with the given geometry
     * over a storage, checked to lie inside it. Its data is read only once the whole file has been checked.
     */
    record TensorView(Storage storage, long storageOffset, int[] shape, long[] strides, long numel, long pickleOffset) {}

    /** {@link #typeName} with its article, for messages: "an int", "a dict", "None". */
    static String aTypeName(Object v) {
        String t = typeName(v);
        if (t.equals("None")) return t;
        return ("aeiou".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
    }

    /** A short description of a value's Python type, for messages. */
    static String typeName(Object v) {
        if (v == null || v == None.NONE) return "None";
        if (v instanceof Long || v instanceof java.math.BigInteger) return "int";
        if (v instanceof Double) return "float";
        if (v instanceof String) return "str";
        if (v instanceof byte[]) return "bytes";
        if (v instanceof Boolean) return "bool";
        if (v instanceof List<?>) return "list";
        if (v instanceof Tuple) return "tuple";
        if (v instanceof Dict) return "dict";
        if (v instanceof Global g) return "global " + g.qualified();
        if (v instanceof Storage) return "storage";
        if (v instanceof TensorView) return "tensor";
        return v.getClass().getSimpleName();
    }
}
