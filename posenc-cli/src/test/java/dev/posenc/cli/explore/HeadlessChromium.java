package dev.posenc.cli.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol with the JDK's own WebSocket client (no
 * Selenium, no Playwright, nothing downloaded): {@code /usr/bin/chromium} (or {@code $CHROMIUM}) with
 * {@code --remote-debugging-port=0}, one page, every request the page makes recorded
 * ({@code Network.requestWillBeSent}), and every script error, console error and CSP violation recorded
 * ({@code Runtime.exceptionThrown}, {@code Runtime.consoleAPICalled}, {@code Log.entryAdded}). A proxy on a closed
 * loopback port keeps any request other than to the loopback address (which Chromium never proxies) from leaving
 * the machine.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final long CALL_TIMEOUT_S = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private String session;

    static boolean available() {
        return Files.isExecutable(EXECUTABLE);
    }

    private HeadlessChromium(Process process, Path profile, URI endpoint) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(endpoint, new Listener()).join();
    }

    /** Starts Chromium with one blank page of {@code width × height} CSS pixels. */
    static HeadlessChromium launch(int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("posenc-chromium");
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--no-pings", "--hide-scrollbars",
                "--proxy-server=http://127.0.0.1:9",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new IOException("Chromium did not start; its log: "
                        + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(portFile);
        HeadlessChromium browser = new HeadlessChromium(process, profile,
                URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip()));
        String target = browser.call(null, "Target.createTarget", Map.of("url", "about:blank"))
                .get("targetId").asText();
        browser.session = browser.call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        for (String domain : List.of("Page", "Runtime", "Network", "Log", "DOM")) {
            browser.page(domain + ".enable", Map.of());
        }
        browser.page("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        return browser;
    }

    /** Every URL the page requested since it was opened. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Script exceptions, console errors and CSP violations since the page was opened. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    JsonNode page(String method, Map<String, ?> params) {
        return call(session, method, params);
    }

    /** Loads {@code url} and waits for the document to be complete. */
    void navigate(String url) throws InterruptedException {
        page("Page.navigate", Map.of("url", url));
        Thread.sleep(100);
        waitFor("document.readyState === 'complete'");
    }

    /** The value of a JavaScript expression (promises awaited), as JSON; a thrown error fails the test. */
    JsonNode eval(String expression) {
        JsonNode r = page("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
                "returnByValue", true));
        if (r.has("exceptionDetails")) {
            JsonNode d = r.get("exceptionDetails");
            throw new AssertionError("JavaScript error in `" + expression + "`: "
                    + (d.has("exception") ? d.get("exception").path("description").asText() : d.path("text").asText()));
        }
        return r.get("result").path("value");
    }

    /** Polls until {@code condition} is true. */
    void waitFor(String condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_TIMEOUT_S);
        while (!eval("!!(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + condition + "; errors: " + errors);
            }
            Thread.sleep(50);
        }
    }

    /** A key press (keydown, char, keyup) sent to the focused element, as the keyboard would. */
    void press(String key) {
        String text = key.length() == 1 ? key : "";
        page("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", key, "text", text,
                "windowsVirtualKeyCode", Character.isLetterOrDigit(key.charAt(0)) && key.length() == 1
                        ? (int) Character.toUpperCase(key.charAt(0)) : keyCode(key)));
        page("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", key));
    }

    private static int keyCode(String key) {
        return switch (key) {
            case "ArrowLeft" -> 37;
            case "ArrowRight" -> 39;
            case " " -> 32;
            default -> throw new IllegalArgumentException(key);
        };
    }

    /** A mouse drag with the left button from one point of the page to another (CSS pixels). */
    void drag(double fromX, double fromY, double toX, double toY) {
        page("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", fromX, "y", fromY, "button", "left",
                "buttons", 1, "clickCount", 1));
        page("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", toX, "y", toY, "button", "left",
                "buttons", 1));
        page("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", toX, "y", toY, "button", "left",
                "buttons", 0, "clickCount", 1));
    }

    /** Sets the files of the {@code <input type=file>} matched by {@code selector}, as a user's choice would. */
    void upload(String selector, Path file) {
        int root = page("DOM.getDocument", Map.of("depth", 0)).get("root").get("nodeId").asInt();
        int node = page("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).get("nodeId").asInt();
        page("DOM.setFileInputFiles", Map.of("files", List.of(file.toAbsolutePath().toString()), "nodeId", node));
    }

    /** Lets the page download files (its exports) into {@code dir}. */
    void downloadsTo(Path dir) {
        call(null, "Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                dir.toAbsolutePath().toString()));
    }

    /** A PNG of the whole page (its full height, up to {@code maxHeight} pixels). */
    byte[] screenshot(int maxHeight) {
        JsonNode size = page("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width").asDouble(),
                "height", Math.min(maxHeight, size.get("height").asDouble()), "scale", 1);
        String data = page("Page.captureScreenshot", Map.of("format", "png", "clip", clip,
                "captureBeyondViewport", true)).get("data").asText();
        return Base64.getDecoder().decode(data);
    }

    private JsonNode call(String sessionId, String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        socket.sendText(msg.toString(), true).join();
        JsonNode r;
        try {
            r = answer.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(method + " failed: " + e, e);
        }
        if (r.has("error")) {
            throw new AssertionError(method + ": " + r.get("error"));
        }
        return r.get("result");
    }

    private void event(JsonNode msg) {
        JsonNode p = msg.path("params");
        switch (msg.path("method").asText()) {
            case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
            case "Runtime.exceptionThrown" -> {
                JsonNode d = p.path("exceptionDetails");
                errors.add("exception at " + d.path("url").asText() + ":" + (d.path("lineNumber").asInt() + 1) + ": "
                        + d.path("exception").path("description").asText(d.path("text").asText()));
            }
            case "Runtime.consoleAPICalled" -> {
                if (p.path("type").asText().equals("error")) {
                    errors.add("console.error: " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + p.path("entry").path("text").asText());
                }
            }
            default -> { }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            call(null, "Browser.close", Map.of());
        } catch (AssertionError closing) {
            // the connection may drop before the answer
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = calls.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        event(msg);
                    }
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
