package org.jgrad.onnx;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jgrad.onnx.proto.OnnxProto.AttributeProto;
import org.jgrad.onnx.proto.OnnxProto.NodeProto;
import org.jgrad.tensor.Tensor;

/** A node's attributes by name, read with their declared types checked and defaults applied. */
final class NodeAttributes {
    private final Map<String, AttributeProto> byName = new HashMap<>();
    private final Path file;
    private final String field;
    private final TensorDecoder tensors;
    private final NodeProto node;

    NodeAttributes(NodeProto node, Path file, String field, TensorDecoder tensors) throws OnnxFormatException {
        this.node = node;
        this.file = file;
        this.field = field;
        this.tensors = tensors;
        for (AttributeProto a : node.getAttributeList()) {
            if (!a.getRefAttrName().isEmpty())
                throw error("attribute '" + a.getName() + "' refers to a function's attribute, which only functions may do");
            if (byName.put(a.getName(), a) != null) throw error("attribute '" + a.getName() + "' is given twice");
        }
    }

    OnnxFormatException error(String problem) {
        return new OnnxFormatException(file, -1, field, problem);
    }

    /** Whether the node names a value for input {@code i} (optional inputs may be absent or empty). */
    boolean hasInput(int i) {
        return i < node.getInputCount() && !node.getInput(i).isEmpty();
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    private AttributeProto get(String name, AttributeProto.AttributeType type) throws OnnxFormatException {
        AttributeProto a = byName.get(name);
        if (a == null) return null;
        // Files written before IR version 2 have no type; the value field then tells.
        if (a.hasType() && a.getType() != type)
            throw error("attribute '" + name + "' is of type " + a.getType() + ", expected " + type);
        return a;
    }

    long getInt(String name, long dflt) throws OnnxFormatException {
        AttributeProto a = get(name, AttributeProto.AttributeType.INT);
        return a == null ? dflt : a.getI();
    }

    /** An int attribute that must fit an int (sizes, axes, flags). */
    int getSmallInt(String name, int dflt) throws OnnxFormatException {
        long v = getInt(name, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error("attribute '" + name + "' is out of range: " + v);
        return (int) v;
    }

    float getFloat(String name, float dflt) throws OnnxFormatException {
        AttributeProto a = get(name, AttributeProto.AttributeType.FLOAT);
        return a == null ? dflt : a.getF();
    }

    String getString(String name, String dflt) throws OnnxFormatException {
        AttributeProto a = get(name, AttributeProto.AttributeType.STRING);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** An ints attribute as ints (each must fit), or null when absent. */
    int[] getInts(String name) throws OnnxFormatException {
        AttributeProto a = get(name, AttributeProto.AttributeType.INTS);
        if (a == null) return null;
        int[] r = new int[a.getIntsCount()];
        for (int i = 0; i < r.length; i++) {
            long v = a.getInts(i);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error("attribute '" + name + "' value " + v + " is out of range");
            r[i] = (int) v;
        }
        return r;
    }

    float[] getFloats(String name) throws OnnxFormatException {
        AttributeProto a = get(name, AttributeProto.AttributeType.FLOATS);
        if (a == null) return null;
        float[] r = new float[a.getFloatsCount()];
        for (int i = 0; i < r.length; i++) r[i] = a.getFloats(i);
        return r;
    }

    /** A strings attribute, or null when absent. */
    String[] getStrings(String name) throws OnnxFormatException {
        AttributeProto a = get(name, AttributeProto.AttributeType.STRINGS);
        if (a == null) return null;
        String[] r = new String[a.getStringsCount()];
        for (int i = 0; i < r.length; i++) r[i] = a.getStrings(i).toStringUtf8();
        return r;
    }

    Tensor getTensor(String name) throws OnnxFormatException {
        AttributeProto a = get(name, AttributeProto.AttributeType.TENSOR);
        return a == null ? null : tensors.decode(a.getT(), field + " attribute '" + name + "'");
    }

    java.util.Set<String> names() {
        return byName.keySet();
    }
}
