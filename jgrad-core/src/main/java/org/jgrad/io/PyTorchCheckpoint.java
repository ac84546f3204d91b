package org.jgrad.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jgrad.tensor.Tensor;

/**
 * The tensors of a PyTorch checkpoint written by {@code torch.save} ({@code .pth}, {@code .pt},
 * {@code .bin}), read without Python and without running anything the file names.
 *
 * <pre>{@code
 * PyTorchCheckpoint ckpt = PyTorchCheckpoint.read(Path.of("resnet18-f37072fd.pth"));
 * model.loadStateDict(ckpt.tensors(), true);       // or simply Weights.load(model, path)
 * }</pre>
 *
 * <h2>What is read</h2>
 * Both formats of {@code torch.save}: the zip archive of PyTorch 1.6 and later ({@code <name>/data.pkl},
 * the storages {@code <name>/data/<key>}, {@code <name>/byteorder}) and the older "legacy" stream
 * ({@code _use_new_zipfile_serialization=False}: magic number, protocol, system info, the pickle, then
 * the storages one after the other). The pickle may hold a state dict (a {@code dict} or
 * {@code OrderedDict} of tensors and parameters) or a checkpoint that wraps one under
 * {@code "state_dict"}, {@code "model"} or {@code "model_state_dict"}, whose other entries (epoch,
 * optimizer state, ...) are parsed but not loaded; {@link #wrapperKey()} says which key was used.
 * Tensors may be views of any stride (transposed, sliced, sharing a storage); every tensor comes back
 * as a new contiguous tensor sharing nothing with the others. float32, float64, float16 and bfloat16
 * load as float32 (float64 rounded to nearest, the 16-bit types exactly); int64, int32, int16, int8,
 * uint8 and bool load as int64.
 *
 * <h2>What is refused</h2>
 * The pickle is read by a restricted unpickler with PyTorch's {@code weights_only=True} contract: it
 * knows dicts, lists, tuples, numbers, strings, bytes, None and tensor storages, and nothing else. A
 * file that names any other global ({@code os.system}, {@code builtins.eval}, a model class, numpy),
 * applies anything but the tensor-rebuilding functions, or creates instances is refused with the global
 * and the byte offset; nothing it names is ever loaded or run. Every size in the file is a claim
 * checked before memory is allocated: zip entries against the file, storages against their entries,
 * each tensor's size, stride and offset against its storage, and the memory all tensors take against a
 * budget ({@link #defaultBudget}) and the JVM's heap. Any problem is a {@link PyTorchFormatException}
 * naming the file and the byte offset, thrown before anything is returned. Zip entries must be stored
 * uncompressed, as {@code torch.save} writes them. TorchScript archives ({@code torch.jit.save}) are
 * not state dicts and are refused.
 */
public record PyTorchCheckpoint(LinkedHashMap<String, Tensor> tensors, String wrapperKey, String format) {
    /** The keys under which a checkpoint may wrap its state dict, tried in this order. */
    public static final List<String> WRAPPER_KEYS = List.of("state_dict", "model", "model_state_dict");

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;

    /**
     * @param tensors name to tensor, in the state dict's order; new, mutable, owned by the caller
     * @param wrapperKey the key of the wrapping dict the state dict was found under, or {@code null}
     *     when the file holds a bare state dict
     * @param format {@code "zip"} or {@code "legacy"}
     */
    public PyTorchCheckpoint {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(format, "format");
    }

    /**
     * The default memory budget for a file of {@code fileBytes} bytes: 16 MiB plus 16 bytes per file
     * byte, enough for every storage widened to 64 bits and a copy of each strided view, and not enough
     * for a small file to claim gigabytes.
     */
    public static long defaultBudget(long fileBytes) {
        return (16L << 20) + 16L * fileBytes;
    }

    /**
     * True if the file starts like a {@code torch.save} file, whatever its name: a zip archive, or a
     * pickle's PROTO opcode (0x80, protocol 2 to 5) that is not a safetensors header length (whose
     * JSON would start with '{' at byte 8).
     */
    public static boolean looksLikePyTorch(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] head = head(ch);
            if (StoredZip.hasZipMagic(head, head.length)) return true;
            return head.length >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5
                    && !(head.length > 8 && head[8] == '{');
        }
    }

    /** Reads a checkpoint with the {@linkplain #defaultBudget default memory budget}. */
    public static PyTorchCheckpoint read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file, defaultBudget(ch.size()));
        }
    }

    /**
     * Reads a checkpoint whose tensors may take at most {@code maxBytes} bytes of memory (storages as
     * loaded, plus copies of strided views).
     *
     * @throws PyTorchFormatException if the file is not a readable {@code torch.save} file, names anything
     *     outside the allow-list, or claims more than its bytes or the budget hold
     * @throws IOException if the file cannot be read
     */
    public static PyTorchCheckpoint read(Path file, long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file, maxBytes);
        }
    }

    private static byte[] head(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(16, ch.size()));
        while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {}
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static PyTorchCheckpoint read(FileChannel ch, Path file, long maxBytes) throws IOException {
        byte[] head = head(ch);
        Loaded loaded;
        if (StoredZip.hasZipMagic(head, head.length)) loaded = readZip(ch, file);
        else if (head.length >= 2 && (head[0] & 0xFF) == 0x80) loaded = readLegacy(ch, file);
        else {
            StringBuilder hex = new StringBuilder();
            for (byte x : head) hex.append(String.format(" %02x", x));
            throw new PyTorchFormatException(file, 0, "not a PyTorch checkpoint: it starts with" + hex
                    + ", neither a zip archive ('PK') nor a pickle (0x80)"
                    + (head.length == 0 ? " (the file is empty)" : ""));
        }
        String[] wrapper = new String[1];
        Pickled.Dict dict = stateDict(file, loaded.root, wrapper);
        return new PyTorchCheckpoint(materialize(ch, file, dict, loaded, maxBytes), wrapper[0], loaded.format);
    }

    /** What parsing produced: the pickle's value, where each storage's data starts, and its byte order. */
    private record Loaded(Object root, Map<String, Long> offsets, ByteOrder order, String format) {}

    // ------------------------------------------------------------------ the zip format

    private static Loaded readZip(FileChannel ch, Path file) throws IOException {
        Map<String, StoredZip.Entry> entries = StoredZip.read(ch, file);
        StoredZip.Entry pkl = null;
        for (StoredZip.Entry e : entries.values()) {
            String n = e.name();
            int slash = n.indexOf('/');
            if (slash > 0 && n.indexOf('/', slash + 1) < 0 && n.endsWith("/data.pkl")) {
                if (pkl != null)
                    throw new PyTorchFormatException(file, -1, "two pickles, '" + pkl.name() + "' and '" + n
                            + "': not a single torch.save archive");
                pkl = e;
            }
        }
        if (pkl == null) {
            boolean script = entries.keySet().stream().anyMatch(n -> n.endsWith("constants.pkl") || n.contains("/code/"));
            throw new PyTorchFormatException(file, -1, script
                    ? "a TorchScript archive (torch.jit.save), not a torch.save checkpoint; save the model's "
                            + "state_dict() with torch.save instead"
                    : "a zip archive without '<name>/data.pkl': not a torch.save checkpoint");
        }
        if (entries.containsKey(pkl.name().replace("data.pkl", "constants.pkl")))
            throw new PyTorchFormatException(file, -1, "a TorchScript archive (torch.jit.save), not a torch.save "
                    + "checkpoint; save the model's state_dict() with torch.save instead");
        StoredZip.requireStored(pkl, file);
        String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        StoredZip.Entry bo = entries.get(prefix + "byteorder");
        if (bo != null) {
            StoredZip.requireStored(bo, file);
            String s = bo.size() <= 16 ? new String(StoredZip.readAt(ch, file, bo.dataOffset(), (int) bo.size()).array(),
                    StandardCharsets.US_ASCII).strip() : "";
            if (s.equals("big")) order = ByteOrder.BIG_ENDIAN;
            else if (!s.equals("little"))
                throw new PyTorchFormatException(file, bo.dataOffset(), "byteorder is neither 'little' nor 'big'");
        }
        Map<String, Long> offsets = new HashMap<>();
        Map<String, Pickled.Storage> storages = new HashMap<>();
        RestrictedUnpickler.PersistentLoader loader = (pid, at) -> {
            Pickled.Storage s = storageId(file, pid, at, 5, storages);
            StoredZip.Entry data = entries.get(prefix + "data/" + s.key());
            if (data == null)
                throw new PyTorchFormatException(file, at, "storage '" + s.key() + "' has no entry '" + prefix + "data/"
                        + s.key() + "' in the archive");
            StoredZip.requireStored(data, file);
            if (data.size() != s.numel() * s.type().size)
                throw new PyTorchFormatException(file, at, "storage '" + s.key() + "' claims " + s.numel() + " elements of "
                        + s.type() + " (" + s.numel() * s.type().size + " bytes) but its entry holds " + data.size() + " bytes");
            offsets.put(s.key(), data.dataOffset());
            return s;
        };
        PickleInput in = new PickleInput(ch, file, pkl.dataOffset(), pkl.dataOffset() + pkl.size());
        Object root = new RestrictedUnpickler(in, loader).load();
        return new Loaded(root, offsets, order, "zip");
    }

    /**
     * Checks a persistent id {@code ('storage', torch.XStorage, key, location, numel[, view])} and
     * returns its storage; the same key must name the same storage every time.
     */
    private static Pickled.Storage storageId(Path file, Object pid, long at, int minItems, Map<String, Pickled.Storage> seen)
            throws PyTorchFormatException {
        if (!(pid instanceof Pickled.Tuple t) || t.items().size() < minItems || t.items().size() > 6
                || !"storage".equals(t.items().get(0)))
            throw new PyTorchFormatException(file, at, "persistent id is not a ('storage', type, key, location, numel) tuple");
        List<Object> a = t.items();
        if (!(a.get(1) instanceof Pickled.Global g) || TorchStorageType.byName(g.name()) == null || !g.module().equals("torch"))
            throw new PyTorchFormatException(file, at, "persistent id names " + Pickled.typeName(a.get(1))
                    + " where a torch storage type belongs");
        if (!(a.get(2) instanceof String key) || !(a.get(3) instanceof String))
            throw new PyTorchFormatException(file, at, "persistent id's key and location must be strings");
        long elementSize = TorchStorageType.byName(g.name()).size;
        if (!(a.get(4) instanceof Long numel) || numel < 0 || numel > Long.MAX_VALUE / elementSize)
            throw new PyTorchFormatException(file, at, "storage '" + key + "' claims " + a.get(4)
                    + " elements, not a valid element count for a storage in a file");
        Pickled.Storage s = new Pickled.Storage(key, TorchStorageType.byName(g.name()), numel);
        Pickled.Storage before = seen.putIfAbsent(key, s);
        if (before != null && !before.equals(s))
            throw new PyTorchFormatException(file, at, "storage '" + key + "' is named twice with different types or sizes");
        return s;
    }

    // ------------------------------------------------------------------ the legacy format

    private static Loaded readLegacy(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        PickleInput in = new PickleInput(ch, file, 0, size);
        RestrictedUnpickler.PersistentLoader none = (pid, at) -> {
            throw new PyTorchFormatException(file, at, "persistent id outside the main pickle");
        };
        Object magic = new RestrictedUnpickler(in, none).load();
        if (!LEGACY_MAGIC.equals(magic))
            throw new PyTorchFormatException(file, 0, "a pickle, but not a torch.save file (no PyTorch magic number)");
        long at = in.position();
        Object protocol = new RestrictedUnpickler(in, none).load();
        if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol))
            throw new PyTorchFormatException(file, at, "legacy torch.save protocol " + protocol + " is not the " + LEGACY_PROTOCOL
                    + " this reader knows");
        at = in.position();
        Object sysInfo = new RestrictedUnpickler(in, none).load();
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (sysInfo instanceof Pickled.Dict d && d.items.get("little_endian") instanceof Boolean little) {
            if (!little) order = ByteOrder.BIG_ENDIAN;
        } else throw new PyTorchFormatException(file, at, "the system-info pickle has no little_endian flag");

        Map<String, Pickled.Storage> storages = new LinkedHashMap<>();
        // A view (old files): key -> (root key, element offset into the root).
        Map<String, Object[]> views = new HashMap<>();
        RestrictedUnpickler.PersistentLoader loader = (pid, pidAt) -> {
            Pickled.Storage s = storageId(file, pid, pidAt, 5, storages);
            List<Object> a = ((Pickled.Tuple) pid).items();
            if (a.size() == 6 && a.get(5) != Pickled.None.NONE) {
                if (!(a.get(5) instanceof Pickled.Tuple v) || v.items().size() != 3 || !(v.items().get(0) instanceof String viewKey)
                        || !(v.items().get(1) instanceof Long off) || !(v.items().get(2) instanceof Long viewSize)
                        || off < 0 || viewSize < 0 || off > s.numel() - viewSize)
                    throw new PyTorchFormatException(file, pidAt, "storage '" + s.key() + "': invalid view metadata");
                Pickled.Storage view = new Pickled.Storage(viewKey, s.type(), viewSize);
                Pickled.Storage before = storages.putIfAbsent(viewKey, view);
                if (before != null && !before.equals(view))
                    throw new PyTorchFormatException(file, pidAt, "storage view '" + viewKey + "' is named twice differently");
                views.put(viewKey, new Object[] {s.key(), off});
                return view;
            }
            return s;
        };
        Object root = new RestrictedUnpickler(in, loader).load();
        at = in.position();
        Object keys = new RestrictedUnpickler(in, none).load();
        if (!(keys instanceof List<?> keyList))
            throw new PyTorchFormatException(file, at, "the storage-key pickle is " + Pickled.aTypeName(keys) + ", not a list");

        // The storages follow, each as an 8-byte element count and the raw elements.
        Map<String, Long> offsets = new HashMap<>();
        long pos = in.position();
        for (Object k : keyList) {
            Pickled.Storage s = k instanceof String key ? storages.get(key) : null;
            if (s == null)
                throw new PyTorchFormatException(file, pos, "storage key " + (k instanceof String ? "'" + k + "'" : Pickled.typeName(k))
                        + " in the key list is not used by the pickle");
            if (offsets.containsKey(s.key()))
                throw new PyTorchFormatException(file, pos, "storage '" + s.key() + "' is listed twice");
            if (pos > size - 8)
                throw new PyTorchFormatException(file, pos, "file ends before storage '" + s.key() + "'");
            long n = StoredZip.readAt(ch, file, pos, 8).order(order).getLong(0);
            if (n != s.numel())
                throw new PyTorchFormatException(file, pos, "storage '" + s.key() + "' holds " + n
                        + " elements but the pickle claims " + s.numel());
            long bytes = n * s.type().size;
            if (bytes > size - pos - 8)
                throw new PyTorchFormatException(file, pos, "storage '" + s.key() + "' claims " + bytes
                        + " bytes but only " + (size - pos - 8) + " are left in the file");
            offsets.put(s.key(), pos + 8);
            pos += 8 + bytes;
        }
        for (Map.Entry<String, Object[]> v : views.entrySet()) {
            String rootKey = (String) v.getValue()[0];
            Long rootAt = offsets.get(rootKey);
            if (rootAt == null) throw new PyTorchFormatException(file, pos, "storage '" + rootKey + "' is not in the file");
            offsets.put(v.getKey(), rootAt + (Long) v.getValue()[1] * storages.get(rootKey).type().size);
        }
        for (Pickled.Storage s : storages.values())
            if (!offsets.containsKey(s.key()))
                throw new PyTorchFormatException(file, pos, "storage '" + s.key() + "' is used by the pickle but not in the file");
        return new Loaded(root, offsets, order, "legacy");
    }

    // ------------------------------------------------------------------ the state dict

    private static Pickled.Dict stateDict(Path file, Object root, String[] wrapperKey) throws PyTorchFormatException {
        if (!(root instanceof Pickled.Dict d))
            throw new PyTorchFormatException(file, -1, "the checkpoint holds " + Pickled.aTypeName(root)
                    + ", not a state dict (a dict of tensors)");
        if (isStateDict(d)) return d;
        for (String k : WRAPPER_KEYS) {
            if (d.items.get(k) instanceof Pickled.Dict inner) {
                String bad = notStateDict(inner);
                if (bad != null)
                    throw new PyTorchFormatException(file, -1, "the state dict under '" + k + "' is not a dict of tensors: "
                            + bad);
                wrapperKey[0] = k;
                return inner;
            }
        }
        throw new PyTorchFormatException(file, -1, "not a state dict: " + notStateDict(d) + "; and no "
                + String.join(", ", WRAPPER_KEYS) + " entry holds one");
    }

    private static boolean isStateDict(Pickled.Dict d) {
        return notStateDict(d) == null;
    }

    /** Why {@code d} is not a dict of str to tensor, or null if it is one. */
    private static String notStateDict(Pickled.Dict d) {
        for (Map.Entry<Object, Object> e : d.items.entrySet()) {
            if (!(e.getKey() instanceof String k)) return "key " + e.getKey() + " is " + Pickled.aTypeName(e.getKey()) + ", not a str";
            if (!(e.getValue() instanceof Pickled.TensorView))
                return "entry " + SafeTensorsException.quote(k) + " is " + Pickled.aTypeName(e.getValue()) + ", not a tensor";
        }
        return null;
    }

    // ------------------------------------------------------------------ reading the data

    private static LinkedHashMap<String, Tensor> materialize(FileChannel ch, Path file, Pickled.Dict dict, Loaded loaded,
            long maxBytes) throws IOException {
        Map<String, Pickled.Storage> needed = new LinkedHashMap<>();
        Map<String, Integer> users = new HashMap<>();
        for (Object v : dict.items.values()) {
            Pickled.Storage s = ((Pickled.TensorView) v).storage();
            needed.putIfAbsent(s.key(), s);
            users.merge(s.key(), 1, Integer::sum);
        }
        long bytes = 0;
        for (Pickled.Storage s : needed.values()) {
            if (s.numel() > Integer.MAX_VALUE - 8)
                throw new PyTorchFormatException(file, loaded.offsets.getOrDefault(s.key(), -1L), "storage '" + s.key()
                        + "' has " + s.numel() + " elements, more than a jgrad array holds (2^31-9)");
            bytes += s.numel() * (s.type().isFloat ? 4 : 8);
        }
        for (Object o : dict.items.values()) {
            Pickled.TensorView v = (Pickled.TensorView) o;
            if (!(users.get(v.storage().key()) == 1 && TorchStorages.coversWholeStorage(v)))
                bytes += v.numel() * (v.storage().type().isFloat ? 4 : 8);
        }
        if (bytes > maxBytes)
            throw new PyTorchFormatException(file, -1, "the tensors need " + bytes + " bytes in memory, more than the budget of "
                    + maxBytes + " bytes (a file of " + ch.size() + " bytes cannot hold that much; pass a larger "
                    + "maxBytes to PyTorchCheckpoint.read if the file is genuine)");
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap)
            throw new PyTorchFormatException(file, -1, "the tensors need " + (bytes >> 20) + " MiB, more than the JVM heap ("
                    + (heap >> 20) + " MiB); raise -Xmx (JGRAD_JAVA_OPTS for the jgrad command)");

        Map<String, Object> data = new HashMap<>();
        for (Pickled.Storage s : needed.values())
            data.put(s.key(), TorchStorages.read(ch, file, s, loaded.offsets.get(s.key()), loaded.order));
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : dict.items.entrySet()) {
            Pickled.TensorView v = (Pickled.TensorView) e.getValue();
            Object storage = data.get(v.storage().key());
            boolean whole = users.get(v.storage().key()) == 1 && TorchStorages.coversWholeStorage(v);
            out.put((String) e.getKey(), whole ? TorchStorages.wrapWhole(v, storage) : TorchStorages.copyView(v, storage));
        }
        return out;
    }
}
