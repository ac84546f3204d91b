package org.jgrad.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.DataLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;
import org.jgrad.tensor.Tensor;

/**
 * Reads the weights of a Keras HDF5 file through jhdf, believing nothing the file claims: every
 * dataset's size is checked against the bytes the file has (Keras stores weights uncompressed, so a
 * dataset larger than the file is a lie) and the tensors' total against {@link MemoryBudget} before
 * jhdf allocates; links and filtered datasets are refused (a link could name another file).
 * Any failure inside jhdf becomes a {@link KerasFormatException} naming the HDF5 path being read.
 */
final class Hdf5Weights {
    /** Groups nest a few levels (a model inside a model); far deeper is a broken or hostile file. */
    private static final int MAX_DEPTH = 16;
    /** No Keras layer has more than a handful of arrays. */
    private static final int MAX_VARS = 4096;

    private final Path file;
    private final String entry;
    private final long fileBytes;
    private long claimedBytes;
    private long tensorBytes;
    private String where;

    private Hdf5Weights(Path file, String entry, long fileBytes) {
        this.file = file;
        this.entry = entry;
        this.fileBytes = fileBytes;
    }

    /** The two layouts jhdf may find. */
    enum Layout { KERAS3, LEGACY_FULL, LEGACY_WEIGHTS }

    /** What a file holds: its layout, its weights by layer, and Keras 2's model_config attribute if any. */
    record Contents(Layout layout, Map<String, LayerWeights> layers, String modelConfig, String kerasVersion) {}

    /**
     * Reads the weights of an open HDF5 file.
     *
     * @param entry the zip entry the HDF5 bytes came from, or null for a plain .h5 file (messages name it)
     * @param fileBytes the size of the HDF5 data
     */
    static Contents read(HdfFile h5, Path file, String entry, long fileBytes) throws KerasFormatException {
        Hdf5Weights r = new Hdf5Weights(file, entry, fileBytes);
        try {
            return r.readRoot(h5);
        } catch (KerasFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw r.error("unreadable HDF5 data (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private Contents readRoot(HdfFile h5) throws KerasFormatException {
        where = "/";
        Map<String, Node> top = children(h5);
        if (top.containsKey("layers") && !top.containsKey("model_weights")) {
            Map<String, LayerWeights> layers = new LinkedHashMap<>();
            readKeras3Layers(group(top.get("layers"), "layers"), "layers", "", layers, 0);
            return new Contents(Layout.KERAS3, layers, null, null);
        }
        if (top.containsKey("model_weights")) {
            String config = stringAttribute(h5, "model_config");
            String version = stringAttribute(h5, "keras_version");
            Group weights = group(top.get("model_weights"), "model_weights");
            return new Contents(Layout.LEGACY_FULL, readLegacy(weights, "model_weights/"), config, version);
        }
        if (h5.getAttribute("layer_names") != null) {
            String version = stringAttribute(h5, "keras_version");
            return new Contents(Layout.LEGACY_WEIGHTS, readLegacy(h5, ""), null, version);
        }
        where = null;
        throw error("an HDF5 file without Keras weights: no 'layers' group (Keras 3), 'model_weights' group "
                + "or 'layer_names' attribute (Keras 2) at the root; found " + top.keySet(), null);
    }

    private void readKeras3Layers(Group layersGroup, String path, String prefix, Map<String, LayerWeights> out,
            int depth) throws KerasFormatException {
        if (depth > MAX_DEPTH) throw error("models nested more than " + MAX_DEPTH + " deep", null);
        for (Map.Entry<String, Node> e : children(layersGroup).entrySet()) {
            String groupPath = path + "/" + e.getKey();
            where = groupPath;
            Group layer = group(e.getValue(), groupPath);
            Map<String, Node> parts = children(layer);
            String name = e.getKey();
            List<String> names = new ArrayList<>();
            List<Tensor> arrays = new ArrayList<>();
            if (parts.containsKey("vars")) {
                Group vars = group(parts.get("vars"), groupPath + "/vars");
                String attr = stringAttribute(vars, "name");
                if (attr != null && !attr.isEmpty()) name = attr;
                Map<String, Node> vs = children(vars);
                if (vs.size() > MAX_VARS) throw error(vs.size() + " arrays in one layer, more than " + MAX_VARS, null);
                for (int i = 0; i < vs.size(); i++) {
                    String key = Integer.toString(i);
                    where = groupPath + "/vars/" + key;
                    Node v = vs.get(key);
                    if (v == null)
                        throw error("the arrays of a layer are numbered 0.." + (vs.size() - 1) + " but " + key
                                + " is missing (found " + vs.keySet() + ")", null);
                    names.add(key);
                    arrays.add(readArray(v));
                }
            }
            String key = prefix + name;
            if (out.containsKey(key)) {
                where = groupPath;
                throw error("two layers are named '" + key + "'", null);
            }
            out.put(key, new LayerWeights(key, groupPath, names, arrays));
            if (parts.containsKey("layers"))
                readKeras3Layers(group(parts.get("layers"), groupPath + "/layers"), groupPath + "/layers", key + "/",
                        out, depth + 1);
        }
    }

    private Map<String, LayerWeights> readLegacy(Group root, String path) throws KerasFormatException {
        where = path.isEmpty() ? "/" : path;
        String[] layerNames = stringsAttribute(root, "layer_names");
        if (layerNames == null) throw error("no 'layer_names' attribute", null);
        Map<String, LayerWeights> out = new LinkedHashMap<>();
        Map<String, Node> groups = children(root);
        for (String layerName : layerNames) {
            String groupPath = path + layerName;
            where = groupPath;
            Node n = groups.get(layerName);
            if (n == null) throw error("'layer_names' lists '" + layerName + "' but there is no such group", null);
            Group g = group(n, groupPath);
            String[] weightNames = stringsAttribute(g, "weight_names");
            if (weightNames == null) throw error("no 'weight_names' attribute", null);
            if (weightNames.length > MAX_VARS) throw error(weightNames.length + " weights, more than " + MAX_VARS, null);
            List<String> names = new ArrayList<>();
            List<Tensor> arrays = new ArrayList<>();
            for (String w : weightNames) {
                where = groupPath + "/" + w;
                names.add(shortName(w));
                arrays.add(readArray(find(g, w)));
            }
            if (out.containsKey(layerName)) throw error("'layer_names' lists '" + layerName + "' twice", null);
            out.put(layerName, new LayerWeights(layerName, groupPath, names, arrays));
        }
        return out;
    }

    /** "sequential/conv2d/kernel:0" → "kernel". */
    static String shortName(String weightName) {
        String s = weightName.substring(weightName.lastIndexOf('/') + 1);
        int colon = s.lastIndexOf(':');
        return colon > 0 ? s.substring(0, colon) : s;
    }

    /** Walks a relative path one component at a time, refusing links. */
    private Node find(Group g, String relative) throws KerasFormatException {
        String[] parts = relative.split("/");
        if (parts.length > MAX_DEPTH) throw error("a weight path more than " + MAX_DEPTH + " deep", null);
        Node n = g;
        for (String p : parts) {
            if (p.isEmpty()) continue;
            Node next = children(group(n, where)).get(p);
            if (next == null) throw error("the weight listed in 'weight_names' is not in the file", null);
            n = next;
        }
        return n;
    }

    private Map<String, Node> children(Group g) throws KerasFormatException {
        if (g.isLink()) throw error("links are not followed (a link may name another file)", null);
        Map<String, Node> c = g.getChildren();
        for (Node n : c.values())
            if (n.isLink()) throw error("'" + n.getName() + "' is a link; links are not followed (a link may name "
                    + "another file)", null);
        return c;
    }

    private Group group(Node n, String path) throws KerasFormatException {
        if (!(n instanceof Group g)) {
            where = path;
            throw error("expected a group, found a " + n.getType(), null);
        }
        return g;
    }

    private Tensor readArray(Node n) throws KerasFormatException {
        if (!(n instanceof Dataset d)) throw error("expected a dataset, found a " + n.getType(), null);
        DataType type = d.getDataType();
        boolean isFloat = type instanceof FloatingPoint && (type.getSize() == 2 || type.getSize() == 4 || type.getSize() == 8);
        boolean isInt = type instanceof FixedPoint && type.getSize() >= 1 && type.getSize() <= 8;
        if (!isFloat && !isInt)
            throw error("data type " + type.getClass().getSimpleName() + " of " + type.getSize()
                    + " bytes is not supported (jgrad reads float16/32/64 and integer arrays)", null);
        DataLayout layout = d.getDataLayout();
        if (layout != DataLayout.CONTIGUOUS && layout != DataLayout.COMPACT && layout != DataLayout.CHUNKED)
            throw error("dataset layout " + layout + " is not read", null);
        if (!d.getFilters().isEmpty())
            throw error("a filtered (compressed) dataset: Keras writes weights uncompressed, and jgrad reads only "
                    + "those", null);
        long[] dims = d.getDimensionsAsLong();
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE)
                throw error("dimension " + i + " is " + dims[i], null);
            shape[i] = (int) dims[i];
            numel *= dims[i];
            if (numel > Integer.MAX_VALUE)
                throw error("shape " + java.util.Arrays.toString(dims) + " has more elements than a jgrad tensor holds "
                        + "(2^31-1)", null);
        }
        long bytes = numel * type.getSize();
        claimedBytes += bytes;
        if (claimedBytes > fileBytes)
            throw error("shape " + java.util.Arrays.toString(dims) + " (" + bytes + " bytes) brings the weights read so "
                    + "far to " + claimedBytes + " bytes, more than the " + fileBytes + " bytes of HDF5 data", null);
        tensorBytes += numel * (isFloat ? 4 : 8);
        if (!MemoryBudget.allows(tensorBytes))
            throw error("the weights " + MemoryBudget.refusal(tensorBytes, "their tensors"), null);
        if (numel == 0) return isFloat ? Tensor.zeros(shape) : Tensor.zerosLong(shape);
        Object flat = d.getDataFlat();
        long count = numel;
        return switch (flat) {
            case float[] f when f.length == count -> TensorData.wrap(f, shape);
            case double[] a when a.length == count -> {
                float[] f = new float[a.length];
                for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
                yield TensorData.wrap(f, shape);
            }
            case long[] a when a.length == count -> TensorData.wrapLongs(a, shape);
            case int[] a when a.length == count -> TensorData.wrapLongs(widen(a), shape);
            case short[] a when a.length == count -> {
                long[] l = new long[a.length];
                for (int i = 0; i < a.length; i++) l[i] = a[i];
                yield TensorData.wrapLongs(l, shape);
            }
            case byte[] a when a.length == count -> {
                long[] l = new long[a.length];
                for (int i = 0; i < a.length; i++) l[i] = a[i];
                yield TensorData.wrapLongs(l, shape);
            }
            default -> throw error("jhdf returned " + (flat == null ? "nothing" : flat.getClass().getSimpleName())
                    + " for a dataset of " + numel + " elements", null);
        };
    }

    private static long[] widen(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }

    /** A scalar string attribute, or null when absent. */
    private String stringAttribute(Node n, String name) throws KerasFormatException {
        String[] s = stringsAttribute(n, name);
        if (s == null) return null;
        if (s.length != 1) throw error("attribute '" + name + "' holds " + s.length + " strings, expected one", null);
        return s[0];
    }

    /** A string or string-array attribute (an empty numeric array reads as no strings), or null when absent. */
    private String[] stringsAttribute(Node n, String name) throws KerasFormatException {
        Attribute a = n.getAttributes().get(name);
        if (a == null) return null;
        long size = a.getSize();
        if (size == 0 || a.isEmpty()) return new String[0];
        // Strings take at least one byte each (variable-length ones a 16-byte heap reference).
        if (size < 0 || size > fileBytes || a.getSizeInBytes() < 0 || a.getSizeInBytes() > fileBytes)
            throw error("attribute '" + name + "' claims " + size + " elements (" + a.getSizeInBytes() + " bytes) in "
                    + fileBytes + " bytes", null);
        if (a.getJavaType() != String.class)
            throw error("attribute '" + name + "' is " + a.getJavaType().getSimpleName() + ", not a string", null);
        Object data = a.getData();
        if (data instanceof String s) return new String[] {s};
        if (data instanceof String[] arr) {
            for (String s : arr) if (s == null) throw error("attribute '" + name + "' holds a null string", null);
            return arr;
        }
        throw error("attribute '" + name + "' is not a string or a one-dimensional array of strings", null);
    }

    private KerasFormatException error(String problem, Throwable cause) {
        String place = entry == null ? where : entry + (where == null ? "" : ":" + where);
        return new KerasFormatException(file, place, problem, cause);
    }
}
