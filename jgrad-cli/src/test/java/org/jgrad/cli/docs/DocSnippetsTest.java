package org.jgrad.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jgrad.cli.docs.DocSnippets.Snippet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fenced {@code java} block in README.md and docs/*.md compiles against the current jgrad, and
 * every one not marked {@code compile-only} also runs. A snippet sees the README's documented
 * preamble of imports (the block marked {@code preamble}, which is also what {@code jgrad shell}
 * preloads) plus the imports it shows itself. Markers are HTML comments on the line before the fence
 * (DocSnippets says which).
 */
class DocSnippetsTest {

    /** jgrad shell's startup script, a resource of jgrad-cli. */
    static final String STARTUP_SCRIPT = "org/jgrad/cli/shell/startup.jsh";

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> everyJavaSnippetCompilesAndTheSelfContainedOnesRun() throws IOException {
        Path root = DocSnippets.repositoryRoot();
        List<String> preamble = DocSnippets.preambleImports(root);
        List<Snippet> snippets = DocSnippets.all(root);
        assertFalse(snippets.isEmpty(), "no java snippets found under " + root);
        return snippets.stream().map(s -> DynamicTest.dynamicTest(s.where(), () -> compileAndRun(s, preamble)));
    }

    @Test
    void theShellPreloadsExactlyTheDocumentedPreamble() throws IOException {
        List<String> documented = DocSnippets.preambleImports(DocSnippets.repositoryRoot());
        List<String> shell = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(STARTUP_SCRIPT)) {
            assertTrue(in != null, "no " + STARTUP_SCRIPT + " on the class path");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                if (line.startsWith("import ")) shell.add(line.strip());
        }
        assertEquals(documented, shell, "README's preamble and jgrad shell's startup imports differ");
    }

    @Test
    void docsNameTheLecturesExamplesByTopicNotByFileNumber() throws IOException {
        Path root = DocSnippets.repositoryRoot();
        List<Path> docs = new ArrayList<>(DocSnippets.markdownFiles(root));
        docs.add(root.resolve("BENCHMARKS.md"));
        var fileNumber = java.util.regex.Pattern.compile("(?i)\\bseeds? ?0\\d\\d\\b|\\b00[0-4]_[0-9a-f]{6}");
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++)
                if (fileNumber.matcher(lines.get(i)).find())
                    fail(root.relativize(doc) + ":" + (i + 1) + " names a lecture file, not its topic: " + lines.get(i));
        }
    }

    private void compileAndRun(Snippet s, List<String> preamble) throws Exception {
        String className = "Snippet";
        String source = s.isCompilationUnit() ? s.code() : s.asClass(className, preamble);
        if (s.isCompilationUnit()) className = s.qualifiedClassName();
        Path src = work.resolve("src").resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(work.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-proc:none", "-Xlint:none");
            ok = javac.getTask(out, files, diagnostics, options, null, files.getJavaFileObjects(src)).call();
        }
        if (!ok) {
            StringBuilder why = new StringBuilder(s.where() + " does not compile:\n");
            for (var d : diagnostics.getDiagnostics())
                why.append("  snippet line ").append(s.snippetLine(d.getLineNumber(), preamble.size()))
                        .append(": ").append(d.getMessage(null)).append('\n');
            why.append("--- as compiled ---\n").append(source);
            fail(why.toString());
        }
        if (s.compileOnly()) return;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> cls = loader.loadClass(className);
            Method m = s.isCompilationUnit() ? cls.getMethod("main", String[].class) : cls.getMethod("run");
            try {
                m.invoke(null, s.isCompilationUnit() ? new Object[] {new String[0]} : new Object[0]);
            } catch (InvocationTargetException e) {
                throw new AssertionError(s.where() + " threw when run", e.getCause());
            }
        }
    }
}
