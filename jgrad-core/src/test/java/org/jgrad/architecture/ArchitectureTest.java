package org.jgrad.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/design.md, checked over the sources of every module (plain text, no
 * bytecode library): the one-way flow data → nn → ops → backend → kernels, that only the backend
 * calls the compute kernels, that public signatures trade in tensors (raw arrays only in the named
 * copy methods), and that ops/ holds no raw-array code.
 *
 * <p>The allow-lists below are the debt still to move behind the backend seam (docs/design.md,
 * "The compute-backend seam"). They may only shrink: new code meets the rules, and a change that
 * moves code out of a listed file removes or lowers its entry. A failure says which file broke which
 * rule and what to do instead.
 */
class ArchitectureTest {

    // ------------------------------------------------------------------ allow-lists (shrink only)

    /**
     * Files outside ops/ and tensor/ that still call org.jgrad.kernels directly (path below org/jgrad/;
     * an entry ending in "/" stands for every file of that package).
     */
    private static final Set<String> KERNEL_USERS = Set.of();

    /** The KERNEL_USERS entry that covers {@code relative}, or null. */
    private static String kernelUserEntry(String relative) {
        if (KERNEL_USERS.contains(relative)) return relative;
        String dir = relative.substring(0, relative.lastIndexOf('/') + 1);
        return KERNEL_USERS.contains(dir) ? dir : null;
    }

    /**
     * Public or protected members of the exported packages of every module (methods, constructors,
     * fields, record components) whose declaration names {@code float[]}/{@code long[]} (or their
     * varargs): "path below org/jgrad#member", with why each may stay. Only the API as designed
     * qualifies: explicit copies in and out of a tensor, and generator state.
     */
    private static final Map<String, String> ARRAY_SIGNATURES = Map.ofEntries(
            Map.entry("tensor/Tensor#fromArray", "copy in: a new tensor from a caller's array"),
            Map.entry("tensor/Tensor#of", "copy in: a tensor from literal values"),
            Map.entry("tensor/Tensor#ofLongs", "copy in: an int64 tensor from literal values"),
            Map.entry("tensor/Tensor#toFloatArray", "copy out: a new array of the elements"),
            Map.entry("tensor/Tensor#toLongArray", "copy out: a new array of the int64 elements"),
            Map.entry("tensor/Tensor#copyTo", "copy out into a caller's array"),
            Map.entry("tensor/Generator#getState", "RNG state, as torch.Generator.get_state"),
            Map.entry("tensor/Generator#setState", "RNG state, as torch.Generator.set_state"),
            Map.entry("data/DataLoader#generatorState", "RNG state of the shuffling generator"),
            Map.entry("data/DataLoader#setGeneratorState", "RNG state of the shuffling generator"),
            Map.entry("io/Checkpoint#Checkpoint", "RNG states saved with a checkpoint"),
            Map.entry("io/Checkpoint#rngStates", "RNG states saved with a checkpoint"),
            Map.entry("io/Checkpoint#rng", "RNG states saved with a checkpoint"));

    /**
     * Raw float data still handled in ops/, per file: the number of {@code new float[]}/{@code new double[]}
     * allocations and {@code float[]}/{@code double[]} declarations (a ratchet: exactly today's count, lowered
     * as loops move into the kernels). A file not listed may have none: an op checks shapes, calls a
     * kernel and records its node.
     */
    private static final Map<String, Integer> OPS_RAW_ARRAYS = Map.of();

    // ------------------------------------------------------------------ rules

    /** Packages (below org.jgrad) and the org.jgrad packages each may use; a prefix matches sub-packages. */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "kernels", Set.of("kernels"),
            "backend", Set.of("backend", "kernels"),
            "internal", Set.of("internal", "tensor", "backend"),
            "tensor", Set.of("tensor", "autograd", "ops", "internal", "backend"),
            "autograd", Set.of("tensor", "autograd", "ops", "internal"),
            "ops", Set.of("tensor", "autograd", "ops", "internal", "backend"),
            "nn", Set.of("tensor", "autograd", "ops", "nn"),
            "optim", Set.of("tensor", "autograd", "optim", "internal", "backend"));

    @Test
    void dependenciesFlowOneWay() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Source s : sources()) {
            String top = s.pkg().split("\\.")[0];
            Set<String> allowed = MAY_USE.get(top);
            if (allowed == null || !s.module().equals("jgrad-core")) continue;
            for (String used : s.usedPackages())
                if (!allowed.contains(used.split("\\.")[0]))
                    broken.add(s.path() + " uses org.jgrad." + used + " (" + top + " may use only " + new TreeSet<>(allowed) + ")");
        }
        assertEquals(List.of(), broken, "a lower layer reaches up; see docs/design.md, \"Where things go\"");
    }

    @Test
    void onlyTheBackendCallsTheKernels() throws IOException {
        List<String> broken = new ArrayList<>();
        Set<String> stillThere = new TreeSet<>();
        for (Source s : sources()) {
            if (!s.usedPackages().contains("kernels") || s.module().equals("jgrad-bench")) continue;
            String top = s.pkg().split("\\.")[0];
            if (top.equals("kernels") || top.equals("backend")) continue;
            String entry = kernelUserEntry(s.relative());
            if (entry != null) stillThere.add(entry);
            else broken.add(s.path() + " calls org.jgrad.kernels: call an op (or Backends.current()) instead");
        }
        assertEquals(List.of(), broken);
        assertEquals(KERNEL_USERS, stillThere, "a listed file no longer calls the kernels: remove it from KERNEL_USERS");
    }

    @Test
    void publicApiTradesInTensorsNotRawArrays() throws IOException {
        List<String> broken = new ArrayList<>();
        Set<String> stillThere = new TreeSet<>();
        for (Source s : sources()) {
            if (!exported(s)) continue;
            for (ApiMember m : apiMembers(s.code())) {
                if (!RAW_ARRAY.matcher(m.declaration()).find()) continue;
                String key = s.relative().replace(".java", "") + "#" + m.name();
                if (ARRAY_SIGNATURES.containsKey(key)) stillThere.add(key);
                else broken.add(s.module() + ": " + key + " (" + m.declaration() + ")");
            }
        }
        assertEquals(List.of(), broken, "public signatures with float[]/long[]: take and return Tensors (copies in and "
                + "out go through Tensor.fromArray / toFloatArray; internals reach the elements through "
                + "org.jgrad.internal.TensorData)");
        assertEquals(new TreeSet<>(ARRAY_SIGNATURES.keySet()), stillThere,
                "a listed signature is gone: remove it from ARRAY_SIGNATURES");
    }

    @Test
    void theSignatureReaderFindsEveryKindOfMember() {
        String code = strip("""
                public final class A {
                    public static final float[] TABLE = {1f};
                    private float[] hidden;
                    protected long[] ids(int n) { return null; }
                    public A(float... values) { Runnable r = () -> { float[] local = null; }; }
                    void packagePrivate(float[] x) {}
                    public record R(long[] ids, int k) { public R { } }
                    public interface I { float[] f(); }
                    static class Hidden { public float[] g() { return null; } }
                    public enum E { X { public float[] h() { return null; } }, Y; public int k() { return 0; } }
                }
                class B { public float[] f() { return null; } }
                """);
        List<String> found = new ArrayList<>();
        for (ApiMember m : apiMembers(code)) if (RAW_ARRAY.matcher(m.declaration()).find()) found.add(m.name());
        assertEquals(List.of("TABLE", "ids", "A", "R", "f"), found);
    }

    // ------------------------------------------------------------------ reading public signatures

    private static final Pattern RAW_ARRAY = Pattern.compile("\\b(float|long)\\s*(\\[\\s*]|\\.\\.\\.)");
    private static final Pattern ANNOTATION =
            Pattern.compile("@(?!interface\\b)[A-Za-z_][\\w.]*\\s*(\\((?:[^()]|\\([^()]*\\))*\\))?");
    private static final Pattern TYPE_DECLARATION = Pattern.compile("\\b(class|interface|enum|record)\\s+(\\w+)");
    private static final Pattern MODULE_EXPORT = Pattern.compile("\\bexports\\s+([\\w.]+)\\s*;");

    /** A member a user of the module can see: its simple name and its declaration (up to its body or initializer). */
    record ApiMember(String name, String declaration) {}

    /** A brace level: a type body (whose members are read), or any other block (skipped). */
    private record Level(boolean typeBody, boolean api, boolean isInterface) {}

    /**
     * The members of a (comment- and string-free) source file that users of its package see: public or
     * protected (or implicitly public, in an interface) members of public types nested only in public
     * types, with record components as members named after their record.
     */
    static List<ApiMember> apiMembers(String code) {
        code = ANNOTATION.matcher(code).replaceAll(" ");
        List<ApiMember> out = new ArrayList<>();
        java.util.ArrayDeque<Level> levels = new java.util.ArrayDeque<>();
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            Level top = levels.peek();
            if (top != null && !top.typeBody()) {
                if (c == '{') levels.push(top);
                else if (c == '}') levels.pop();
                continue;
            }
            if (c == '{' || c == ';') {
                Level inner = declare(header.toString().replaceAll("\\s+", " ").trim(), top, out);
                header.setLength(0);
                if (c == '{') levels.push(inner);
            } else if (c == '}') {
                header.setLength(0);
                levels.pop();
            } else {
                header.append(c);
            }
        }
        return out;
    }

    /** Records the declaration {@code h} if users see it; returns the level its body (if any) opens. */
    private static Level declare(String h, Level enclosing, List<ApiMember> out) {
        boolean enclosingApi = enclosing == null || enclosing.api();
        boolean visible = h.matches("(.*\\s)?(public|protected)\\s.*")
                || (enclosing != null && enclosing.isInterface() && !h.matches("(.*\\s)?private\\s.*"));
        int eq = h.indexOf('='), paren = h.indexOf('(');
        String beforeValue = eq < 0 ? h : h.substring(0, eq);
        Matcher type = TYPE_DECLARATION.matcher(beforeValue);
        if (type.find() && (paren < 0 || type.start() < paren)) {
            boolean api = enclosingApi && visible;
            if (api && type.group(1).equals("record") && paren > 0)
                out.add(new ApiMember(type.group(2), h.substring(paren)));
            return new Level(true, api, type.group(1).equals("interface"));
        }
        if (enclosingApi && visible && !h.isEmpty()) {
            if (paren >= 0 && (eq < 0 || paren < eq)) {
                Matcher name = Pattern.compile("(\\w+)\\s*$").matcher(h.substring(0, paren));
                if (name.find()) out.add(new ApiMember(name.group(1), h));
            } else {
                Matcher name = Pattern.compile("(\\w+)\\s*(\\[\\s*])*\\s*$").matcher(beforeValue);
                if (name.find()) out.add(new ApiMember(name.group(1), beforeValue.trim()));
            }
        }
        return new Level(false, false, false);
    }

    /** Whether the file's package is exported to everyone: by its module-info, or by an automatic module (all). */
    private static boolean exported(Source s) throws IOException {
        // jgrad-bench is JMH benchmark code, not a published library (not in jgrad-bom): its benchmarks
        // time the raw-array kernels themselves, as onlyTheBackendCallsTheKernels also allows.
        if (s.module().equals("jgrad-bench")) return false;
        Exports e = exports(s.module());
        return e.automatic() || e.packages().contains("org.jgrad." + s.pkg());
    }

    /** What a module exports to everyone: every package (an automatic module, no module-info), or the listed ones. */
    private record Exports(boolean automatic, Set<String> packages) {}

    private static final Map<String, Exports> EXPORTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The unqualified {@code exports} of a module's module-info ("exports x to y" is not to everyone). */
    private static Exports exports(String module) throws IOException {
        Exports known = EXPORTS.get(module);
        if (known != null) return known;
        Path info = repositoryRoot().resolve(module).resolve("src/main/java/module-info.java");
        Exports e;
        if (!Files.isRegularFile(info)) {
            e = new Exports(true, Set.of());
        } else {
            Set<String> r = new TreeSet<>();
            Matcher m = MODULE_EXPORT.matcher(strip(Files.readString(info)));
            while (m.find()) r.add(m.group(1));
            if (r.isEmpty()) throw new IllegalStateException(info + " exports nothing to everyone: is the rule reading it?");
            e = new Exports(false, r);
        }
        EXPORTS.put(module, e);
        return e;
    }

    @Test
    void rawArrayCodeInOpsOnlyShrinks() throws IOException {
        List<String> broken = new ArrayList<>();
        Pattern raw = Pattern.compile("new (float|double)\\[|\\b(float|double)\\[\\]");
        for (Source s : sources()) {
            if (!s.module().equals("jgrad-core") || !s.pkg().equals("ops")) continue;
            String file = Path.of(s.path()).getFileName().toString();
            Matcher m = raw.matcher(s.code());
            int n = 0;
            while (m.find()) n++;
            int allowed = OPS_RAW_ARRAYS.getOrDefault(file, 0);
            if (n > allowed)
                broken.add("ops/" + file + " handles raw float arrays in " + n + " places (allowed " + allowed
                        + "): put the loop in org.jgrad.kernels behind one named function and call it");
            else if (n < allowed)
                broken.add("ops/" + file + " is down to " + n + " raw-array places: lower its entry in OPS_RAW_ARRAYS "
                        + "from " + allowed + " to " + n + " so that the debt cannot grow back");
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theSourceReaderSeesWhatItChecks() throws IOException {
        List<Source> all = sources();
        assertTrue(all.stream().anyMatch(s -> s.relative().equals("ops/ConvOps.java")), "core sources not found");
        assertTrue(all.stream().anyMatch(s -> s.module().equals("jgrad-vision")), "other modules not found");
        Source t = all.stream().filter(s -> s.relative().equals("tensor/Tensor.java")).findFirst().orElseThrow();
        assertTrue(exported(t), "org.jgrad.tensor is exported");
        assertFalse(exported(all.stream().filter(s -> s.pkg().equals("kernels")).findFirst().orElseThrow()),
                "org.jgrad.kernels is exported only to jgrad's modules");
        assertTrue(exported(all.stream().filter(s -> s.pkg().equals("vision.audio")).findFirst().orElseThrow()));
        assertTrue(exported(all.stream().filter(s -> s.module().equals("jgrad-cli")).findFirst().orElseThrow()),
                "the CLI is an automatic module: every package is exported");
        assertTrue(t.usedPackages().contains("ops"));
        assertFalse(t.code().contains("/**"), "comments are stripped before matching");
    }

    // ------------------------------------------------------------------ reading the sources

    /** One source file: module folder, package below org.jgrad, comment- and string-free text. */
    private record Source(String module, String pkg, String path, String relative, String code) {
        /** Packages below org.jgrad that the file names (imports and qualified names), other than its own. */
        Set<String> usedPackages() {
            Set<String> r = new TreeSet<>();
            Matcher m = Pattern.compile("\\borg\\.jgrad\\.([a-z]\\w*(?:\\.[a-z]\\w*)*)").matcher(code);
            while (m.find()) {
                String p = m.group(1);
                if (!p.equals(pkg) && !p.startsWith(pkg + ".")) r.add(p);
            }
            return r;
        }
    }

    private static List<Source> cache;

    private static synchronized List<Source> sources() throws IOException {
        if (cache != null) return cache;
        Path root = repositoryRoot();
        List<Source> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(d -> Files.isDirectory(d.resolve("src/main/java/org/jgrad"))).sorted().toList()) {
                Path base = module.resolve("src/main/java/org/jgrad");
                try (Stream<Path> files = Files.walk(base)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                        String rel = base.relativize(f).toString().replace('\\', '/');
                        int slash = rel.lastIndexOf('/');
                        String pkg = slash < 0 ? "" : rel.substring(0, slash).replace('/', '.');
                        out.add(new Source(module.getFileName().toString(), pkg, root.relativize(f).toString(), rel,
                                strip(Files.readString(f))));
                    }
                }
            }
        }
        return cache = List.copyOf(out);
    }

    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("mvnw"))) root = root.getParent();
        if (root == null) throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        return root;
    }

    /** The code without comments, string/char literals and text blocks (their contents are not code). */
    static String strip(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (int k = i; k < end; k++) if (s.charAt(k) == '\n') b.append('\n');
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                b.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int k = i + 1;
                while (k < n && s.charAt(k) != c) k += s.charAt(k) == '\\' ? 2 : 1;
                i = k + 1;
                b.append(c).append(c);
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
