package dev.posenc.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Helpers that run {@code scripts/report/screenshot.sh} on a report page: headless Chromium must render it (a non-blank
 * screenshot) without any network request. Skipped where Chromium is not installed (CI may lack it).
 */
public final class ScreenshotTest {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/report/screenshot.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/report/screenshot.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs the script on {@code html}; returns its exit code and output. */
    static String[] screenshot(Path html, Path png) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", script().toString(), html.toString(), png.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "screenshot script timed out");
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    public static void assertRendersOffline(Path html, Path png) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM);
        String[] result = screenshot(html, png);
        assertEquals("0", result[0], result[1]);
        assertTrue(result[1].contains("requests by the page: none"), result[1]);
        assertTrue(Files.size(png) > 10_000, "screenshot has content");
    }
}
