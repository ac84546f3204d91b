package org.jgrad.cli.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the fenced {@code java} blocks of the user documentation (README.md, docs/*.md) and turns each
 * into something javac takes. The line right before a fence may carry a marker:
 * <ul>
 *   <li>{@code <!-- snippet: preamble -->}: the standard imports every other snippet gets;
 *   <li>{@code <!-- snippet: continues -->}: this block goes on from the previous one in the same file
 *       (it uses its variables), so the two are compiled and run as one;
 *   <li>{@code <!-- snippet: compile-only -->}: compiled but not run (it starts a server, reads the
 *       reader's own files, or trains for minutes);
 *   <li>{@code <!-- user-project: PATH -->}: a file of the README's example project (a complete
 *       compilation unit), which scripts/check-user-project.sh also builds.
 * </ul>
 * A block that declares a package or a top-level type is compiled as it is and its {@code main} run;
 * any other block is a list of statements, wrapped in a method, with its own imports moved to the top.
 */
final class DocSnippets {
    private DocSnippets() {}

    private static final Pattern FENCE_OPEN = Pattern.compile("^(\\s*)```java\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*(snippet|user-project):\\s*(\\S+)\\s*-->\\s*$");
    private static final Pattern TOP_LEVEL_TYPE =
            Pattern.compile("(?m)^(package\\s|(public\\s+)?(final\\s+)?(class|record|interface|enum)\\s)");

    /**
     * One block (or a block and the ones that continue it).
     *
     * @param where file and line of the opening fence, for test names and messages
     */
    record Snippet(String where, String code, boolean compileOnly) {

        boolean isCompilationUnit() {
            return TOP_LEVEL_TYPE.matcher(code).find();
        }

        /** For a compilation unit: its package-qualified public class name. */
        String qualifiedClassName() {
            Matcher pkg = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;").matcher(code);
            Matcher cls = Pattern.compile("(?m)^public\\s+(?:final\\s+)?(?:class|record)\\s+(\\w+)").matcher(code);
            if (!cls.find()) throw new IllegalStateException(where + ": a compilation unit without a public class");
            return (pkg.find() ? pkg.group(1) + "." : "") + cls.group(1);
        }

        /**
         * The statements as the body of {@code public static void run()}, after the preamble and the
         * snippet's own imports (on one line, so that the body keeps the snippet's line numbers).
         */
        String asClass(String className, List<String> preamble) {
            StringBuilder imports = new StringBuilder(), body = new StringBuilder();
            for (String line : code.split("\n", -1)) {
                boolean isImport = line.startsWith("import ");
                if (isImport) imports.append(line).append(' ');
                body.append(isImport ? "" : line).append('\n');
            }
            return String.join("\n", preamble) + "\n" + imports + "\n"
                    + "public class " + className + " {\n"
                    + "    public static void run() throws Exception {\n"
                    + body + "    }\n}\n";
        }

        /** The snippet's own line for a line of the wrapped source ({@link #asClass}). */
        long snippetLine(long compiledLine, int preambleLines) {
            if (isCompilationUnit()) return compiledLine;
            return compiledLine - preambleLines - 3;
        }
    }

    /** The checkout's root: the first folder upwards that holds README.md and the parent POM. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent())
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("jgrad-core")))
                return d;
        throw new IllegalStateException("no jgrad checkout above " + dir);
    }

    /** README.md and every docs/*.md: the documentation a user reads. */
    static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** The import lines of README's preamble block. */
    static List<String> preambleImports(Path root) throws IOException {
        for (Block b : blocks(root.resolve("README.md"), root))
            if ("preamble".equals(b.marker)) {
                List<String> imports = new ArrayList<>();
                for (String line : b.code.split("\n"))
                    if (!line.isBlank()) imports.add(line.strip());
                for (String line : imports)
                    if (!line.startsWith("import ")) throw new IllegalStateException("README's preamble holds more than imports: " + line);
                return imports;
            }
        throw new IllegalStateException("README.md has no <!-- snippet: preamble --> block");
    }

    /** Every snippet to compile, continuations merged into the block they continue. */
    static List<Snippet> all(Path root) throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : markdownFiles(root)) {
            Snippet open = null;
            for (Block b : blocks(file, root)) {
                if ("preamble".equals(b.marker)) continue;
                if ("continues".equals(b.marker)) {
                    if (open == null) throw new IllegalStateException(b.where + ": continues, but no block before it");
                    open = new Snippet(open.where() + "+" + b.line, open.code() + b.code, open.compileOnly());
                    snippets.set(snippets.size() - 1, open);
                    continue;
                }
                open = new Snippet(b.where, b.code, "compile-only".equals(b.marker));
                snippets.add(open);
            }
        }
        return snippets;
    }

    private record Block(String where, int line, String code, String marker) {}

    private static List<Block> blocks(Path file, Path root) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE_OPEN.matcher(lines.get(i));
            if (!open.matches()) continue;
            String marker = null;
            if (i > 0) {
                Matcher m = MARKER.matcher(lines.get(i - 1));
                if (m.matches()) marker = m.group(1).equals("user-project") ? "user-project" : m.group(2);
            }
            int indent = open.group(1).length();
            StringBuilder code = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !FENCE_CLOSE.matcher(lines.get(j)).matches(); j++) {
                String l = lines.get(j);
                code.append(l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.strip()).append('\n');
            }
            if (j == lines.size()) throw new IllegalStateException(root.relativize(file) + ":" + (i + 1) + ": unclosed ```java block");
            blocks.add(new Block(root.relativize(file) + ":" + (i + 1), i + 1, code.toString(), marker));
            i = j;
        }
        return blocks;
    }
}
