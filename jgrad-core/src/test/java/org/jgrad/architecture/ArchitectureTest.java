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
     * Public methods of jgrad-core's API packages (all but kernels) whose signature holds a
     * {@code float[]} or {@code long[]}: "Class#method". Only the API as designed is left: explicit
     * copies in and out, and generator state.
     */
    private static final Set<String> ARRAY_SIGNATURES = Set.of(
            // explicit copies in and out, and RNG state: stay
            "tensor/Tensor#fromArray", "tensor/Tensor#of", "tensor/Tensor#toFloatArray", "tensor/Tensor#toLongArray",
            "tensor/Tensor#copyTo",
            "tensor/Generator#getState", "tensor/Generator#setState", "data/DataLoader#generatorState",
            "data/DataLoader#setGeneratorState", "io/Checkpoint#Checkpoint", "io/Checkpoint#rngStates",
            "io/Checkpoint#rng");

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
        Pattern sig = Pattern.compile("(?m)^[ \\t]*public\\s[^;{=()]*?(\\w+)\\s*\\(([^)]*)\\)[^;{]*[;{]");
        for (Source s : sources()) {
            // kernels, internal and backend are exported only to jgrad's own modules: not public API.
            if (!s.module().equals("jgrad-core") || s.pkg().startsWith("kernels") || s.pkg().startsWith("internal")
                    || s.pkg().startsWith("backend")) continue;
            Matcher m = sig.matcher(s.code());
            while (m.find()) {
                String whole = m.group();
                if (!whole.contains("float[]") && !whole.contains("long[]")) continue;
                String key = s.relative().replace(".java", "") + "#" + m.group(1);
                if (ARRAY_SIGNATURES.contains(key)) stillThere.add(key);
                else broken.add(key + ": a public signature with float[]/long[]; take and return Tensors "
                        + "(copies in and out go through Tensor.fromArray / toFloatArray)");
            }
        }
        assertEquals(List.of(), broken);
        assertEquals(new TreeSet<>(ARRAY_SIGNATURES), stillThere,
                "a listed signature is gone: remove it from ARRAY_SIGNATURES");
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
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("mvnw"))) root = root.getParent();
        if (root == null) throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
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
