package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.config.HfConfig;
import dev.posenc.testing.ReadmeFile;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of README.md compiles as shown against posenc-core. Each block becomes the body of a method
 * of its own class; the class imports {@link #HEADER} (the JDK and posenc packages a reader would import), so a
 * block needs no import lines, but every variable it uses must be declared in it.
 */
class ReadmeSnippetsCompileTest {
    /** The imports every snippet gets: java.nio.file and java.util, and every exported posenc-core package. */
    static final String HEADER = """
            import java.nio.file.*;
            import java.util.*;
            import dev.posenc.attention.*;
            import dev.posenc.config.*;
            import dev.posenc.gguf.*;
            import dev.posenc.input.*;
            import dev.posenc.logits.*;
            import dev.posenc.querykey.*;
            """;

    /** The README has these many Java snippets (a block that is dropped or not fenced as java fails here). */
    static final int SNIPPETS = 6;

    @Test
    void everyJavaBlockOfTheReadmeCompiles(@TempDir Path out) throws URISyntaxException, IOException {
        List<String> blocks = ReadmeFile.fencedBlocks("java");
        assertEquals(SNIPPETS, blocks.size(), "```java blocks in README.md");
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String name = "ReadmeSnippet" + (i + 1);
            String code = HEADER + "class " + name + " {\n  static void snippet() throws Exception {\n" + blocks.get(i)
                    + "  }\n}\n";
            sources.add(new Snippet(name, code));
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path core = Path.of(HfConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("--class-path", core.toString(), "-proc:none", "-implicit:none",
                    "-d", out.toString());
            StringWriter log = new StringWriter();
            boolean ok = compiler.getTask(log, files, diagnostics, options, null, sources).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                errors.append(d.getSource() == null ? "" : d.getSource().getName()).append(':')
                        .append(d.getLineNumber() - HEADER.lines().count() - 2).append(": ")
                        .append(d.getMessage(Locale.ROOT)).append('\n');
            }
            assertTrue(ok, "README snippets do not compile (line numbers within the snippet):\n" + errors + log);
        }
    }

    /** One snippet's class, compiled from memory. */
    private static final class Snippet extends SimpleJavaFileObject {
        private final String code;

        Snippet(String name, String code) {
            super(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
