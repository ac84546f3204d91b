package org.jgrad.hardening;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Loading a file must never run code from it. Java serialization is the classic way to break that
 * promise (a crafted stream instantiates arbitrary classes), so no module's main code may use it:
 * no object streams, no {@code Serializable}/{@code Externalizable} classes of our own, no
 * serializable lambdas, no {@code XMLDecoder}. Exceptions inherit {@code Serializable} from
 * {@link Throwable}; that is the JDK's doing, not a file format, and is allowed.
 *
 * <p>Both the sources of every module and whatever main classes are already compiled are checked,
 * so the rule also covers generated or copied code.
 *
 * <p>One class is allowed: jgrad-spark's {@code SparkTask}. Spark ships the functions a job runs to
 * its executors only by Java serialization, over its own task channel (never from a file); that
 * class holds a kind number and a byte array (settings as text, weights as safetensors) and checks
 * both when read, so models, optimizers and samples never go through it.
 */
class NoJavaSerializationTest {
    private static final Pattern SOURCE = Pattern.compile(
            "\\bObject(Input|Output)Stream\\b|\\bSerializable\\b|\\bExternalizable\\b|\\bXMLDecoder\\b"
                    + "|\\breadObject\\s*\\(|\\breadResolve\\s*\\(|\\bSerializedLambda\\b");
    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
    private static final String[] USED_CLASSES = {
        "java/io/ObjectInputStream", "java/io/ObjectOutputStream", "java/beans/XMLDecoder",
        "java/lang/invoke/SerializedLambda"
    };
    // Checked as declared interfaces only: javac also names Serializable in stack-map frames as the
    // common type of e.g. a String and an Integer in one conditional, which is no use of serialization.
    private static final String[] INTERFACES = {"java/io/Serializable", "java/io/Externalizable"};

    /** Files (relative to the repository root) allowed to use Java serialization; see the class comment. */
    private static final java.util.Set<String> ALLOWED = java.util.Set.of(
            "jgrad-spark/src/main/java/org/jgrad/spark/SparkTask.java",
            "jgrad-spark/target/classes/org/jgrad/spark/SparkTask.class");

    private static boolean allowed(Path f) {
        return ALLOWED.contains(root().relativize(f).toString().replace('\\', '/'));
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        // Surefire runs in the module folder; the repository root holds the parent pom and the modules.
        while (p != null && !Files.isRegularFile(p.resolve("mvnw"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        return p;
    }

    private static List<Path> modules() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).sorted().toList();
        }
    }

    @Test
    void noModuleSourceUsesJavaSerialization() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> modules = modules();
        assertTrue(modules.size() >= 3, "expected the jgrad modules under " + root() + ", found " + modules);
        for (Path m : modules) {
            try (Stream<Path> files = Files.walk(m.resolve("src/main/java"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java") && !allowed(f)).toList()) {
                    String code = COMMENTS.matcher(Files.readString(f)).replaceAll(" ");
                    var hit = SOURCE.matcher(code);
                    while (hit.find()) found.add(root().relativize(f) + ": " + hit.group());
                }
            }
        }
        assertTrue(found.isEmpty(), "Java serialization in main sources (loading must never run code):\n" + String.join("\n", found));
    }

    @Test
    void noCompiledMainClassReferencesJavaSerialization() throws IOException {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (Path m : modules()) {
            Path classes = m.resolve("target/classes");
            if (!Files.isDirectory(classes)) continue;
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class") && !allowed(f)).toList()) {
                    scanned++;
                    ClassRefs refs = ClassRefs.parse(Files.readAllBytes(f));
                    for (String ref : USED_CLASSES)
                        if (refs.classes.contains(ref)) found.add(root().relativize(f) + ": uses " + ref);
                    for (String ref : INTERFACES)
                        if (refs.interfaces.contains(ref)) found.add(root().relativize(f) + ": implements " + ref);
                }
            }
        }
        assertTrue(scanned > 0, "no compiled main classes found (jgrad-core's at least should exist)");
        assertTrue(found.isEmpty(), "compiled main classes reference Java serialization:\n" + String.join("\n", found));
    }

    /** The class constants and declared interfaces of a class file (JVMS 4.1, 4.4). */
    private record ClassRefs(java.util.Set<String> classes, java.util.Set<String> interfaces) {
        static ClassRefs parse(byte[] b) throws IOException {
            var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(b));
            if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
            in.readUnsignedShort();
            in.readUnsignedShort();
            int n = in.readUnsignedShort();
            String[] utf8 = new String[n];
            int[] classNameIndex = new int[n];
            for (int i = 1; i < n; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNameIndex[i] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> { in.readUnsignedByte(); in.readUnsignedShort(); }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> { in.readLong(); i++; }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            java.util.Set<String> classes = new java.util.HashSet<>();
            for (int i = 1; i < n; i++) if (classNameIndex[i] != 0) classes.add(utf8[classNameIndex[i]]);
            in.readUnsignedShort();
            in.readUnsignedShort();
            in.readUnsignedShort();
            java.util.Set<String> interfaces = new java.util.HashSet<>();
            for (int k = in.readUnsignedShort(); k > 0; k--) interfaces.add(utf8[classNameIndex[in.readUnsignedShort()]]);
            return new ClassRefs(classes, interfaces);
        }
    }
}
