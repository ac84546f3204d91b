package org.jgrad.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader (protocols 0 to 5; {@code torch.save} writes 2) that understands only what a PyTorch
 * state dict needs, the {@code torch.load(weights_only=True)} contract: dicts and
 * {@code collections.OrderedDict}, lists, tuples, ints, floats, strings, bytes, bools, None, and tensors
 * rebuilt by {@code torch._utils._rebuild_tensor_v2} / {@code _rebuild_parameter} from persistent-id
 * storages. No class named in the file is ever loaded or instantiated and nothing it names is run: a
 * global is a name checked against a fixed allow-list the moment the pickle mentions it, and the few
 * allowed callables are interpreted here by name.
 *
 * <p>Refused, with the opcode's byte offset: any other global ({@code os.system}, {@code builtins.eval},
 * {@code posix.system}, ...), REDUCE on anything but the allowed callables, BUILD on anything but a
 * dict, NEWOBJ/INST/OBJ/EXT (instance creation), sets, out-of-band buffers, dict keys that are not
 * plain scalars. Every claimed length is checked against the bytes left before it is allocated.
 */
final class RestrictedUnpickler {
    /** Resolves a persistent id (the {@code ('storage', type, key, location, numel)} tuple) to a value. */
    interface PersistentLoader {
        Object load(Object pid, long offset) throws IOException;
    }

    /** Callables REDUCE may apply; everything here is interpreted by name below. */
    private static final Set<String> CALLABLES = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "torch._tensor._rebuild_from_type_v2", "_codecs.encode");
    /** Globals that may only be named (a storage's type, a rebuilt tensor's class). */
    private static final Set<String> NAMES = Set.of("torch.Tensor", "torch.nn.parameter.Parameter");

    private static final int MAX_LINE = 1 << 16;

    private final PickleInput in;
    private final Path file;
    private final PersistentLoader persistent;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long op; // offset of the opcode being executed, for messages

    RestrictedUnpickler(PickleInput in, PersistentLoader persistent) {
        this.in = in;
        this.file = in.file();
        this.persistent = persistent;
    }

    private PyTorchFormatException fail(String problem) {
        return new PyTorchFormatException(file, op, problem);
    }

    /** Reads one pickle up to and including its STOP opcode and returns its value. */
    Object load() throws IOException {
        while (true) {
            op = in.position();
            int code = in.u8("an opcode");
            switch (code) {
                case 0x80 -> { // PROTO
                    int v = in.u8("PROTO");
                    if (v > 5) throw fail("pickle protocol " + v + " is newer than the 5 this reader knows");
                }
                case 0x95 -> in.le(8, "FRAME"); // framing is advisory: the opcodes follow in sequence
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty())
                        throw fail("STOP with " + stack.size() + " values on the stack (expected 1)");
                    return stack.remove(0);
                }
                case '(' -> marks.add(stack.size());
                case '0' -> pop("POP");
                case '1' -> popMark("POP_MARK");
                case '2' -> push(peek("DUP"));
                case 'N' -> push(Pickled.None.NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) (int) in.le(4, "BININT"));
                case 'K' -> push(in.le(1, "BININT1"));
                case 'M' -> push(in.le(2, "BININT2"));
                case 0x8a -> push(longFrom(in.bytes(in.le(1, "LONG1"), "LONG1")));
                case 0x8b -> push(longFrom(in.bytes((int) in.le(4, "LONG4"), "LONG4")));
                case 'I' -> push(textInt(in.line("INT", MAX_LINE)));
                case 'L' -> push(textLong(in.line("LONG", MAX_LINE)));
                case 'G' -> push(in.bigEndianDouble("BINFLOAT"));
                case 'F' -> push(textFloat(in.line("FLOAT", MAX_LINE)));
                case 'X' -> push(utf8(in.bytes(in.le(4, "BINUNICODE"), "BINUNICODE")));
                case 0x8c -> push(utf8(in.bytes(in.le(1, "SHORT_BINUNICODE"), "SHORT_BINUNICODE")));
                case 0x8d -> push(utf8(in.bytes(in.le(8, "BINUNICODE8"), "BINUNICODE8")));
                // Python 2 str: torch.load decodes them as UTF-8, and so does this.
                case 'T' -> push(utf8(in.bytes((int) in.le(4, "BINSTRING"), "BINSTRING")));
                case 'U' -> push(utf8(in.bytes(in.le(1, "SHORT_BINSTRING"), "SHORT_BINSTRING")));
                case 'B' -> push(in.bytes(in.le(4, "BINBYTES"), "BINBYTES"));
                case 'C' -> push(in.bytes(in.le(1, "SHORT_BINBYTES"), "SHORT_BINBYTES"));
                case 0x8e -> push(in.bytes(in.le(8, "BINBYTES8"), "BINBYTES8"));
                case ')' -> push(new Pickled.Tuple(List.of()));
                case 0x85 -> push(tupleOfTop(1, "TUPLE1"));
                case 0x86 -> push(tupleOfTop(2, "TUPLE2"));
                case 0x87 -> push(tupleOfTop(3, "TUPLE3"));
                case 't' -> push(new Pickled.Tuple(popMark("TUPLE")));
                case ']' -> push(new ArrayList<>());
                case 'l' -> push(new ArrayList<>(popMark("LIST")));
                case '}' -> push(new Pickled.Dict());
                case 'd' -> {
                    List<Object> kv = popMark("DICT");
                    Pickled.Dict d = new Pickled.Dict();
                    setItems(d, kv, "DICT");
                    push(d);
                }
                case 'a' -> {
                    Object v = pop("APPEND");
                    list(peek("APPEND"), "APPEND").add(v);
                }
                case 'e' -> {
                    List<Object> vs = popMark("APPENDS");
                    list(peek("APPENDS"), "APPENDS").addAll(vs);
                }
                case 's' -> {
                    Object v = pop("SETITEM"), k = pop("SETITEM");
                    setItems(dict(peek("SETITEM"), "SETITEM"), List.of(k, v), "SETITEM");
                }
                case 'u' -> {
                    List<Object> kv = popMark("SETITEMS");
                    setItems(dict(peek("SETITEMS"), "SETITEMS"), kv, "SETITEMS");
                }
                case 'q' -> memo.put(in.le(1, "BINPUT"), peek("BINPUT"));
                case 'r' -> memo.put(in.le(4, "LONG_BINPUT"), peek("LONG_BINPUT"));
                case 'p' -> memo.put(textMemoIndex(in.line("PUT", MAX_LINE)), peek("PUT"));
                case 0x94 -> memo.put((long) memo.size(), peek("MEMOIZE"));
                case 'h' -> push(memoGet(in.le(1, "BINGET")));
                case 'j' -> push(memoGet(in.le(4, "LONG_BINGET")));
                case 'g' -> push(memoGet(textMemoIndex(in.line("GET", MAX_LINE))));
                case 'c' -> {
                    String module = in.line("GLOBAL module", MAX_LINE);
                    String name = in.line("GLOBAL name", MAX_LINE);
                    push(global(module, name));
                }
                case 0x93 -> {
                    Object name = pop("STACK_GLOBAL"), module = pop("STACK_GLOBAL");
                    if (!(module instanceof String m) || !(name instanceof String n))
                        throw fail("STACK_GLOBAL needs two strings, got " + Pickled.typeName(module) + " and "
                                + Pickled.typeName(name));
                    push(global(m, n));
                }
                case 'Q' -> {
                    Object pid = pop("BINPERSID");
                    push(persistent.load(pid, op));
                }
                case 'R' -> {
                    Object args = pop("REDUCE"), callable = pop("REDUCE");
                    push(reduce(callable, args));
                }
                case 'b' -> {
                    Object state = pop("BUILD");
                    build(peek("BUILD"), state);
                }
                case 'P' -> throw fail("opcode PERSID (a protocol-0 persistent id) is not supported; torch.save writes BINPERSID");
                case 'S', 'V' -> throw fail("protocol-0 string opcode " + (char) code
                        + " is not supported; re-save the file with torch.save (protocol 2)");
                case 0x81, 0x92, 'i', 'o' -> throw fail("opcode " + opName(code) + " creates an instance of a class "
                        + "named in the file; refused (only state dicts load: no class named in a file is instantiated)");
                case 0x82, 0x83, 0x84 -> throw fail("opcode " + opName(code) + " (copyreg extension registry) is not allowed");
                case 0x8f, 0x90, 0x91 -> throw fail("opcode " + opName(code) + " (sets) is not supported in a state dict");
                case 0x96, 0x97, 0x98 -> throw fail("opcode " + opName(code) + " (out-of-band buffers) is not supported");
                default -> throw fail(String.format("unknown pickle opcode 0x%02x", code));
            }
        }
    }

    private static String opName(int code) {
        return switch (code) {
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x82 -> "EXT1";
            case 0x83 -> "EXT2";
            case 0x84 -> "EXT4";
            case 0x8f -> "EMPTY_SET";
            case 0x90 -> "ADDITEMS";
            case 0x91 -> "FROZENSET";
            case 0x96 -> "BYTEARRAY8";
            case 0x97 -> "NEXT_BUFFER";
            default -> "READONLY_BUFFER";
        };
    }

    // ------------------------------------------------------------------ the stack

    private void push(Object v) {
        stack.add(v);
    }

    private Object pop(String opName) throws PyTorchFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) throw fail(opName + " on an empty stack");
        return stack.remove(stack.size() - 1);
    }

    private Object peek(String opName) throws PyTorchFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) throw fail(opName + " on an empty stack");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(String opName) throws PyTorchFormatException {
        if (marks.isEmpty()) throw fail(opName + " without a MARK");
        int m = marks.remove(marks.size() - 1);
        List<Object> top = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return top;
    }

    private Pickled.Tuple tupleOfTop(int n, String opName) throws PyTorchFormatException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop(opName);
        return new Pickled.Tuple(List.of(items));
    }

    private Object memoGet(long index) throws PyTorchFormatException {
        Object v = memo.get(index);
        if (v == null) throw fail("memo index " + index + " was never stored");
        return v;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object v, String opName) throws PyTorchFormatException {
        if (v instanceof ArrayList<?> l) return (List<Object>) l;
        throw fail(opName + " on " + Pickled.aTypeName(v) + ", not a list");
    }

    private Pickled.Dict dict(Object v, String opName) throws PyTorchFormatException {
        if (v instanceof Pickled.Dict d) return d;
        throw fail(opName + " on " + Pickled.aTypeName(v) + ", not a dict");
    }

    // Keys are kept to plain scalars: hashing anything else could recurse through a cyclic structure.
    private void setItems(Pickled.Dict d, List<Object> kv, String opName) throws PyTorchFormatException {
        if (kv.size() % 2 != 0) throw fail(opName + " with an odd number (" + kv.size() + ") of keys and values");
        for (int i = 0; i < kv.size(); i += 2) {
            Object k = kv.get(i);
            if (!(k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double
                    || k instanceof Boolean || k == Pickled.None.NONE))
                throw fail(opName + ": a dict key of type " + Pickled.typeName(k)
                        + " is not supported (only str, int, float, bool, None)");
            d.items.put(k, kv.get(i + 1));
        }
    }

    // ------------------------------------------------------------------ scalars

    private static Object longFrom(byte[] le) {
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private Object textInt(String s) throws PyTorchFormatException {
        if (s.equals("00")) return Boolean.FALSE; // protocol 0 spells bools as INT 00 / 01
        if (s.equals("01")) return Boolean.TRUE;
        return textLong(s);
    }

    private Object textLong(String s) throws PyTorchFormatException {
        String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
        try {
            BigInteger v = new BigInteger(t);
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw fail("not an integer: '" + quote(s) + "'");
        }
    }

    private Object textFloat(String s) throws PyTorchFormatException {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw fail("not a float: '" + quote(s) + "'");
        }
    }

    private long textMemoIndex(String s) throws PyTorchFormatException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw fail("not a memo index: '" + quote(s) + "'");
        }
    }

    private static String quote(String s) {
        String q = SafeTensorsException.quote(s);
        return q.substring(1, q.length() - 1);
    }

    // ------------------------------------------------------------------ globals, REDUCE, BUILD

    private Pickled.Global global(String module, String name) throws PyTorchFormatException {
        String q = module + "." + name;
        if (CALLABLES.contains(q) || NAMES.contains(q)) return new Pickled.Global(module, name);
        if (module.equals("torch") && name.endsWith("Storage")) {
            if (TorchStorageType.byName(name) != null) return new Pickled.Global(module, name);
            throw fail("storage type torch." + quote(name) + " is not supported (jgrad reads float32, float64, "
                    + "float16, bfloat16, int64, int32, int16, int8, uint8 and bool storages)");
        }
        throw fail("pickle global " + quote(q) + " is not allowed: only state dicts load (tensors, dicts, lists, "
                + "numbers, strings), and no class or function named in a file is ever loaded or run");
    }

    private Object reduce(Object callable, Object args) throws PyTorchFormatException {
        if (!(callable instanceof Pickled.Global g) || !CALLABLES.contains(g.qualified()))
            throw fail("REDUCE on " + Pickled.typeName(callable) + " is not allowed (only OrderedDict and "
                    + "torch's tensor-rebuilding functions may be applied)");
        if (!(args instanceof Pickled.Tuple t))
            throw fail("REDUCE: the arguments of " + g.qualified() + " are " + Pickled.aTypeName(args) + ", not a tuple");
        return apply(g, t.items());
    }

    private Object apply(Pickled.Global g, List<Object> a) throws PyTorchFormatException {
        String f = g.qualified();
        switch (f) {
            case "collections.OrderedDict" -> {
                Pickled.Dict d = new Pickled.Dict();
                if (a.isEmpty()) return d;
                if (a.size() == 1 && a.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        List<Object> kv = p instanceof Pickled.Tuple t ? t.items() : p instanceof List<?> l ? List.copyOf(l) : null;
                        if (kv == null || kv.size() != 2) throw fail("OrderedDict: an item is not a (key, value) pair");
                        setItems(d, kv, "OrderedDict");
                    }
                    return d;
                }
                throw fail("OrderedDict: expected no arguments or a list of pairs, got " + a.size() + " arguments");
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                int min = f.endsWith("v2") ? 6 : 4, max = f.endsWith("v2") ? 7 : 4;
                if (a.size() < min || a.size() > max)
                    throw fail(f + " takes " + (min == max ? min : min + " or " + max) + " arguments, got " + a.size());
                return tensor(a.get(0), a.get(1), a.get(2), a.get(3));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                int n = f.endsWith("state") ? 4 : 3;
                if (a.size() != n) throw fail(f + " takes " + n + " arguments, got " + a.size());
                if (!(a.get(0) instanceof Pickled.TensorView t))
                    throw fail(f + ": the data is " + Pickled.aTypeName(a.get(0)) + ", not a tensor");
                return t;
            }
            case "torch._tensor._rebuild_from_type_v2" -> {
                if (a.size() != 4) throw fail(f + " takes 4 arguments, got " + a.size());
                if (!(a.get(1) instanceof Pickled.Global type) || !NAMES.contains(type.qualified()))
                    throw fail(f + ": tensor subclass " + Pickled.typeName(a.get(1)) + " is not supported");
                if (!(a.get(3) == Pickled.None.NONE || a.get(3) instanceof Pickled.Dict))
                    throw fail(f + ": the state is " + Pickled.aTypeName(a.get(3)) + ", not a dict");
                return reduce(a.get(0), a.get(2));
            }
            case "_codecs.encode" -> {
                // How protocol 2 spells a bytes object: _codecs.encode(text, 'latin1').
                if (a.size() != 2 || !(a.get(0) instanceof String s) || !(a.get(1) instanceof String enc)
                        || !(enc.equals("latin1") || enc.equals("latin-1")))
                    throw fail("_codecs.encode is allowed only as encode(str, 'latin1'), the pickling of bytes");
                return s.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> throw fail("REDUCE on " + f + " is not allowed");
        }
    }

    private Pickled.TensorView tensor(Object storage, Object offset, Object size, Object stride) throws PyTorchFormatException {
        if (!(storage instanceof Pickled.Storage s))
            throw fail("tensor storage is " + Pickled.aTypeName(storage) + ", not a persistent-id storage");
        if (!(offset instanceof Long off) || off < 0)
            throw fail("tensor storage offset " + offset + " is not a non-negative integer");
        long[] shape = longs(size, "size");
        long[] strides = longs(stride, "stride");
        if (shape.length != strides.length)
            throw fail("tensor size " + java.util.Arrays.toString(shape) + " and stride "
                    + java.util.Arrays.toString(strides) + " differ in length");
        long numel = 1, last = off;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE)
                throw fail("tensor size " + java.util.Arrays.toString(shape) + " has a dimension over 2^31-1");
            numel = Math.min(numel * shape[i], 1L << 31); // both factors below 2^31: no overflow
        }
        if (numel > Integer.MAX_VALUE)
            throw fail("tensor size " + java.util.Arrays.toString(shape) + " has more elements than a jgrad tensor holds (2^31-1)");
        if (numel > 0) {
            for (int i = 0; i < shape.length; i++) {
                long span = saturatingMultiply(shape[i] - 1, strides[i]);
                last = last > Long.MAX_VALUE - span ? Long.MAX_VALUE : last + span;
            }
            if (last >= s.numel())
                throw fail("tensor of size " + java.util.Arrays.toString(shape) + ", stride " + java.util.Arrays.toString(strides)
                        + " and offset " + off + " reaches element " + (last == Long.MAX_VALUE ? "2^63 or beyond" : String.valueOf(last))
                        + " of storage '" + quote(s.key()) + "', which holds " + s.numel() + " elements");
        }
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) dims[i] = (int) shape[i];
        return new Pickled.TensorView(s, off, dims, strides, numel, op);
    }

    private static long saturatingMultiply(long a, long b) {
        if (a == 0 || b == 0) return 0;
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private long[] longs(Object v, String what) throws PyTorchFormatException {
        if (!(v instanceof Pickled.Tuple t))
            throw fail("tensor " + what + " is " + Pickled.aTypeName(v) + ", not a tuple");
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long x) || x < 0)
                throw fail("tensor " + what + " " + describe(t) + " holds " + t.items().get(i)
                        + ", not a non-negative integer");
            out[i] = x;
        }
        return out;
    }

    private static String describe(Pickled.Tuple t) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < t.items().size() && i < 16; i++) {
            Object x = t.items().get(i);
            sb.append(i == 0 ? "" : ", ").append(x instanceof Long || x instanceof BigInteger ? x : Pickled.typeName(x));
        }
        return sb.append(t.items().size() > 16 ? ", ...)" : ")").toString();
    }

    private void build(Object target, Object state) throws PyTorchFormatException {
        if (target instanceof Pickled.Dict d && state instanceof Pickled.Dict s) {
            for (Map.Entry<Object, Object> e : s.items.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw fail("BUILD: an attribute name is not a string");
                d.attrs.put(k, e.getValue());
            }
            return;
        }
        throw fail("BUILD on " + Pickled.aTypeName(target) + " with " + Pickled.aTypeName(state)
                + " state is not allowed (only a dict's attributes, like a state dict's _metadata, may be set)");
    }
}
