package dev.posenc.cli.explore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import dev.posenc.cli.JsonOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The explorer's HTTP server: the page's static files (straight out of the jar) and {@link ExploreApi} under
 * {@code /api/}, on the loopback address only.
 *
 * <p>Every response carries a Content-Security-Policy that lets the page load and fetch from its own origin only
 * (nothing from a CDN, no network request elsewhere). Requests whose {@code Host} header is not this server's
 * loopback address and port are refused with 421 (a DNS-rebinding page would send its own host name); no CORS header
 * is ever sent, so other origins cannot read a response. Uploads are capped: a config.json at
 * {@value #MAX_UPLOAD_BYTES} bytes, a GGUF (recognised by its magic) at {@value GgufUpload#MAX_BYTES}, written to a
 * private temporary file that is deleted once answered ({@link GgufUpload}).
 * Thread-safe: requests run on virtual threads, and the API holds only immutable state and thread-safe caches.
 */
public final class ExploreServer implements AutoCloseable {
    /**
     * The largest config.json accepted (a config.json is a few KB; LongRoPE's factors a few more); a GGUF upload may
     * have up to {@link GgufUpload#MAX_BYTES}.
     */
    public static final int MAX_UPLOAD_BYTES = 1 << 20;
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final String WEB_ROOT = "/dev/posenc/cli/explore/web/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> allowedHosts;

    private ExploreServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        int port = server.getAddress().getPort();
        this.allowedHosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
    }

    /** Starts serving on {@code 127.0.0.1:port} ({@code 0}: any free port). */
    public static ExploreServer start(int port, ExploreApi api) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        ExploreServer explore = new ExploreServer(server, executor);
        HttpHandler files = SimpleFileServer.createFileHandler(webRoot());
        server.createContext("/", exchange -> explore.guarded(exchange, () -> files.handle(exchange)));
        server.createContext("/api/", exchange -> explore.guarded(exchange, () -> explore.api(exchange, api)));
        server.start();
        return explore;
    }

    /** The address the page is served at, e.g. {@code http://127.0.0.1:43117/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private interface Action {
        void run() throws IOException;
    }

    private void guarded(HttpExchange exchange, Action action) throws IOException {
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cache-Control", "no-store");
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host == null || !allowedHosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
                send(exchange, 421, error("Host " + (host == null ? "(missing)" : "'" + host + "'")
                        + " is not this server (" + uri().getAuthority() + ")"));
                return;
            }
            action.run();
        }
    }

    private void api(HttpExchange exchange, ExploreApi api) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("POST")) {
            send(exchange, 405, error(method + " is not supported: use GET, or POST with a config.json or GGUF body"));
            return;
        }
        URI uri = exchange.getRequestURI();
        String path = uri.getPath().substring("/api/".length());
        try (InputStream in = exchange.getRequestBody()) {
            Query query = Query.parse(uri.getRawQuery());
            byte[] head = in.readNBytes(GgufUpload.MAGIC_LENGTH);
            boolean post = method.equals("POST");
            if (post && !path.equals("model")) {
                throw new IllegalArgumentException("POST is accepted by /api/model only (a config.json or GGUF upload)");
            }
            Object result;
            if (post && GgufUpload.isGguf(head)) {
                try (GgufUpload upload = GgufUpload.receive(head, in,
                        query.integer("against_bytes", 0, 0, MAX_UPLOAD_BYTES))) {
                    result = Finite.check(api.gguf(query, upload));
                }
            } else {
                byte[] body = concat(head, in.readNBytes(MAX_UPLOAD_BYTES + 1 - head.length));
                if (body.length > MAX_UPLOAD_BYTES) {
                    throw new TooLarge("upload too large: at most " + MAX_UPLOAD_BYTES + " bytes");
                }
                result = Finite.check(api.handle(path, query, post ? body : null));
            }
            send(exchange, 200, JsonOutput.write(result));
        } catch (TooLarge e) {
            send(exchange, 413, error(e.getMessage()));
        } catch (NotFound e) {
            send(exchange, 404, error(e.getMessage()));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            send(exchange, 400, error(oneLine(e.getMessage())));
        } catch (RuntimeException e) {
            send(exchange, 500, error("internal error: " + oneLine(String.valueOf(e))));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String error(String message) {
        return JsonOutput.write(Map.of("error", message));
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The static files: a folder when run from classes, the jar's zip file system when run from the jar. */
    private static Path webRoot() throws IOException {
        var index = ExploreServer.class.getResource(WEB_ROOT + "index.html");
        if (index == null) {
            throw new IllegalStateException("the explorer's page is missing from the class path: " + WEB_ROOT);
        }
        try {
            URI uri = index.toURI();
            if (uri.getScheme().equals("jar")) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException alreadyOpen) {
                    // opened by an earlier server in this JVM
                }
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An upload over its cap: HTTP 413. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** Thrown by the API for a path it does not serve. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }
}
