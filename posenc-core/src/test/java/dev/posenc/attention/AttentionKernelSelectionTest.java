package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In fresh JVMs: without {@code --add-modules jdk.incubator.vector} the streaming attention runs on the scalar tile
 * operations (nothing links against the incubator module); with it, on the Vector API ones unless
 * {@code -Dposenc.vector=false}; all give the same output.
 */
class AttentionKernelSelectionTest {
    private static String probe(String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = location(StreamingAttention.class) + File.pathSeparator
                + location(AttentionSelectionProbe.class);
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, AttentionSelectionProbe.class.getName()));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "probe failed: " + err);
        return out;
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void scalarWithoutTheModuleVectorWithItSameOutput() throws Exception {
        String without = probe();
        String with = probe("--add-modules", "jdk.incubator.vector");
        String disabled = probe("--add-modules", "jdk.incubator.vector", "-Dposenc.vector=false");
        assertEquals("false", without.split(" ")[0], without);
        assertEquals("true", with.split(" ")[0], with);
        assertEquals("false", disabled.split(" ")[0], disabled);
        String checksum = without.split(" ")[1];
        assertEquals(checksum, with.split(" ")[1]);
        assertEquals(checksum, disabled.split(" ")[1]);
    }
}
