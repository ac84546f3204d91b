package org.jgrad.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks on a safetensors header for {@link SafeTensors#load}: each tensor entry's keys, dtype,
 * shape and byte range, the {@code __metadata__} strings, and that the tensors tile the data section
 * exactly. Every failure is a {@link SafeTensorsException} naming the file, the tensor and the offset.
 */
final class SafeTensorsHeader {
    private SafeTensorsHeader() {}

    /** A validated header entry: everything needed to allocate and fill one tensor. */
    record Spec(String name, SafeTensorsDType dtype, int[] shape, long begin, long end) {}

    private static final Set<String> KNOWN_UNSUPPORTED =
            Set.of("U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64");

    /** Data order: by begin offset, then end. */
    static final Comparator<Spec> BY_OFFSET =
            Comparator.comparingLong(Spec::begin).thenComparingLong(Spec::end);

    /** Copies the {@code __metadata__} object of strings into {@code out}. */
    static void readMetadata(Path file, Json.Value v, Map<String, String> out) throws SafeTensorsException {
        if (!(v instanceof Json.Obj obj))
            throw new SafeTensorsException(file, null, v.offset(), "'" + SafeTensors.METADATA_KEY + "' must be an object of strings");
        for (Map.Entry<String, Json.Value> m : obj.members().entrySet()) {
            if (!(m.getValue() instanceof Json.Str s))
                throw new SafeTensorsException(file, null, m.getValue().offset(),
                        "'" + SafeTensors.METADATA_KEY + "' value for key " + SafeTensorsException.quote(m.getKey())
                                + " must be a string");
            out.put(m.getKey(), s.value());
        }
    }

    /** One tensor entry, checked: keys, dtype, shape, offsets against the data section's length. */
    static Spec spec(Path file, String name, Json.Value v, long dataLen) throws SafeTensorsException {
        if (!(v instanceof Json.Obj obj))
            throw new SafeTensorsException(file, name, v.offset(), "entry must be an object with dtype, shape, data_offsets");
        for (Map.Entry<String, Json.Value> m : obj.members().entrySet()) {
            String k = m.getKey();
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets"))
                throw new SafeTensorsException(file, name, m.getValue().offset(),
                        "unexpected key " + SafeTensorsException.quote(k));
        }
        Json.Value dtv = required(file, name, obj, "dtype");
        if (!(dtv instanceof Json.Str dts))
            throw new SafeTensorsException(file, name, dtv.offset(), "dtype must be a string");
        SafeTensorsDType dtype = dtype(file, name, dts);

        Json.Value shv = required(file, name, obj, "shape");
        if (!(shv instanceof Json.Arr sha))
            throw new SafeTensorsException(file, name, shv.offset(), "shape must be an array of integers");
        int[] shape = new int[sha.items().size()];
        long numel = 1;
        long maxDim = 0;
        for (int i = 0; i < shape.length; i++) {
            Json.Value d = sha.items().get(i);
            if (!(d instanceof Json.Int di))
                throw new SafeTensorsException(file, name, d.offset(), "shape must be an array of integers");
            if (di.value() < 0)
                throw new SafeTensorsException(file, name, d.offset(), "negative dimension " + di.value() + " in shape");
            try {
                numel = Math.multiplyExact(numel, di.value());
            } catch (ArithmeticException e) {
                throw new SafeTensorsException(file, name, d.offset(), "element count of the shape overflows 64 bits");
            }
            maxDim = Math.max(maxDim, di.value());
            shape[i] = (int) di.value(); // only kept if maxDim passes the check below

        }
        long nbytes;
        try {
            nbytes = Math.multiplyExact(numel, dtype.size);
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(file, name, shv.offset(), "byte size of the shape overflows 64 bits");
        }

        Json.Value ofv = required(file, name, obj, "data_offsets");
        if (!(ofv instanceof Json.Arr ofa) || ofa.items().size() != 2
                || !(ofa.items().get(0) instanceof Json.Int b) || !(ofa.items().get(1) instanceof Json.Int e))
            throw new SafeTensorsException(file, name, ofv.offset(), "data_offsets must be [begin, end] integers");
        long begin = b.value(), end = e.value();
        if (begin < 0 || end < begin)
            throw new SafeTensorsException(file, name, ofv.offset(),
                    "data_offsets [" + begin + ", " + end + "] must satisfy 0 <= begin <= end");
        if (end > dataLen)
            throw new SafeTensorsException(file, name, ofv.offset(), "data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataLen + " bytes)");
        if (end - begin != nbytes)
            throw new SafeTensorsException(file, name, ofv.offset(), "data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + Arrays.toString(longs(sha)) + " of " + dtype + " needs "
                    + nbytes);
        // After the offsets, so that a header merely disagreeing with its data is reported as such.
        if (maxDim > Integer.MAX_VALUE)
            throw new SafeTensorsException(file, name, shv.offset(), "shape " + Arrays.toString(longs(sha))
                    + " has a dimension over 2^31-1, more than a jgrad tensor holds");
        if (numel > Integer.MAX_VALUE)
            throw new SafeTensorsException(file, name, shv.offset(), "shape " + Arrays.toString(longs(sha))
                    + " has " + numel + " elements, more than a jgrad tensor holds (2^31-1)");
        return new Spec(name, dtype, shape, begin, end);
    }

    private static long[] longs(Json.Arr a) {
        return a.items().stream().mapToLong(x -> ((Json.Int) x).value()).toArray();
    }

    private static Json.Value required(Path file, String name, Json.Obj obj, String key) throws SafeTensorsException {
        Json.Value v = obj.members().get(key);
        if (v == null) throw new SafeTensorsException(file, name, obj.offset(), "missing '" + key + "'");
        return v;
    }

    private static SafeTensorsDType dtype(Path file, String name, Json.Str s) throws SafeTensorsException {
        try {
            return SafeTensorsDType.valueOf(s.value());
        } catch (IllegalArgumentException e) {
            String why = KNOWN_UNSUPPORTED.contains(s.value()) ? "unsupported dtype " : "unknown dtype ";
            throw new SafeTensorsException(file, name, s.offset(), why + SafeTensorsException.quote(s.value()));
        }
    }

    // The reference requires the tensors to tile [0, dataLen) exactly; so do we, naming the culprit.
    static void checkCoverage(Path file, List<Spec> specs, long dataStart, long dataLen)
            throws SafeTensorsException {
        Spec[] sorted = specs.toArray(Spec[]::new);
        Arrays.sort(sorted, BY_OFFSET);
        long covered = 0;
        Spec prev = null;
        for (Spec s : sorted) {
            if (s.begin < covered)
                throw new SafeTensorsException(file, s.name, dataStart + s.begin, "data [" + s.begin + ", " + s.end
                        + ") overlaps tensor " + SafeTensorsException.quote(prev.name) + " [" + prev.begin + ", " + prev.end + ")");
            if (s.begin > covered)
                throw new SafeTensorsException(file, s.name, dataStart + covered, "data section bytes [" + covered
                        + ", " + s.begin + ") before this tensor belong to no tensor");
            covered = s.end;
            prev = s;
        }
        if (covered != dataLen)
            throw new SafeTensorsException(file, null, dataStart + covered, (dataLen - covered)
                    + " trailing bytes after the last tensor's data");
    }
}
