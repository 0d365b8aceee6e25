package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernel selection in fresh JVMs: without {@code --add-modules jdk.incubator.vector} the library runs on the scalar
 * kernel (nothing links against the incubator module); with it, on the vector kernel, unless
 * {@code -Dposenc.vector=false}. All three rotate to the same result.
 */
class KernelSelectionTest {

    private static String probe(String... jvmOptions) throws IOException, InterruptedException, URISyntaxException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = location(RopeKernel.class) + File.pathSeparator + location(KernelSelectionProbe.class);
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, KernelSelectionProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "probe failed: " + err);
        return out;
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void scalarWithoutTheModuleVectorWithItAndTheSameResult() throws Exception {
        String without = probe();
        String with = probe("--add-modules", "jdk.incubator.vector");
        String disabled = probe("--add-modules", "jdk.incubator.vector", "-D" + RopeKernel.VECTOR_PROPERTY + "=false");

        assertTrue(without.startsWith("scalar false "), without);
        assertTrue(with.startsWith("vector-"), with);
        assertTrue(with.contains(" true "), with);
        assertTrue(disabled.startsWith("scalar true "), disabled);
        String sum = without.substring(without.lastIndexOf(' '));
        assertTrue(with.endsWith(sum) && disabled.endsWith(sum), without + " / " + with + " / " + disabled);
    }
}
