package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/spark.md's code blocks (the ones after {@code <!-- spark-snippet -->}) compile against
 * jgrad-spark and Spark: each is a static method, compiled inside a class with the imports below.
 * (The repository-wide snippet test in jgrad-cli has no Spark on its class path, so these blocks
 * carry no {@code java} tag and are checked here.)
 */
class SparkDocSnippetsTest {
    private static final String IMPORTS = """
            import java.util.Map;
            import org.apache.spark.api.java.JavaRDD;
            import org.apache.spark.sql.Dataset;
            import org.apache.spark.sql.Row;
            import org.jgrad.data.Sample;
            import org.jgrad.nn.Module;
            import org.jgrad.spark.*;
            import org.jgrad.tensor.Tensor;
            import org.jgrad.vision.models.Models;
            """;

    @Test
    void theSparkPageBlocksCompile(@TempDir Path work) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("mvnw"))) root = root.getParent();
        assertTrue(root != null, "no repository root above " + Path.of("").toAbsolutePath());
        List<String> lines = Files.readAllLines(root.resolve("docs/spark.md"));
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("<!-- spark-snippet -->")) continue;
            StringBuilder b = new StringBuilder();
            int j = i + 2;
            while (j < lines.size() && !lines.get(j).strip().equals("```")) b.append(lines.get(j++)).append('\n');
            blocks.add(b.toString());
        }
        assertTrue(blocks.size() >= 2, "expected the training and the scoring examples, found " + blocks.size());
        Path src = work.resolve("SparkDocs.java");
        Files.writeString(src, IMPORTS + "class SparkDocs {\n" + String.join("\n", blocks) + "}\n");
        var javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (var files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(new StringWriter(), files, diagnostics,
                    List.of("-d", work.toString(), "-classpath", cp, "-proc:none", "-Xlint:none"), null,
                    files.getJavaFileObjects(src)).call();
            if (!ok) fail("docs/spark.md's code does not compile: " + diagnostics.getDiagnostics() + "\n" + Files.readString(src));
        }
    }
}
