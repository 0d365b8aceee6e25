package dev.posenc.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posenc.cli.ExampleConfigs;
import dev.posenc.cli.InspectCommand;
import dev.posenc.cli.Main;
import dev.posenc.cli.verify.PosencBuild;
import dev.posenc.testing.GgufFolder;
import dev.posenc.testing.HfConfigsFolder;
import dev.posenc.cli.verify.RopeChecks;
import dev.posenc.cli.verify.ArticleTables;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The explorer's server and JSON API over real HTTP ({@code java.net.http.HttpClient}, raw sockets for Host). */
class ExploreApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static ExploreServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ExploreServer.start(0, new ExploreApi(PosencBuild.create(), Path.of("src/test/resources/lab-out")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String error(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("error").asText();
    }

    /** A request with a Host header of our choosing (HttpClient always sends the URI's). */
    private static String raw(String requestLine, String host) throws IOException {
        try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void listensOnLoopbackOnAFreePort() {
        assertTrue(server.uri().getPort() > 0, "port 0 picked a free port");
        assertEquals(URI.create("http://127.0.0.1:" + server.uri().getPort() + "/"), server.uri());
    }

    @Test
    void everyResponseCarriesTheContentSecurityPolicyAndNoCorsHeader() throws Exception {
        for (String path : new String[] {"/", "/app.js", "/api/models", "/api/rope/clock?d=7"}) {
            HttpResponse<String> r = get(path);
            assertEquals(ExploreServer.CONTENT_SECURITY_POLICY,
                    r.headers().firstValue("Content-Security-Policy").orElse(null), path);
            assertFalse(r.headers().map().keySet().stream().anyMatch(h -> h.toLowerCase().startsWith("access-control")),
                    path);
        }
        assertTrue(get("/app.js").headers().firstValue("Content-Type").orElse("").contains("javascript"),
                "ES modules need a JavaScript MIME type");
    }

    @Test
    void foreignHostIsRefusedAndLoopbackNamesAreServed() throws Exception {
        int port = server.uri().getPort();
        assertTrue(raw("GET /api/models HTTP/1.1", "evil.example:" + port).startsWith("HTTP/1.1 421"));
        assertTrue(raw("GET / HTTP/1.1", "127.0.0.1:" + (port + 1)).startsWith("HTTP/1.1 421"));
        assertTrue(raw("GET /api/models HTTP/1.1", "127.0.0.1:" + port).startsWith("HTTP/1.1 200"));
        assertTrue(raw("GET /api/models HTTP/1.1", "localhost:" + port).startsWith("HTTP/1.1 200"));
    }

    @Test
    void pathsEscapingTheStaticFolderAreNotFound() throws Exception {
        int port = server.uri().getPort();
        assertTrue(raw("GET /../../../../etc/passwd HTTP/1.1", "127.0.0.1:" + port).startsWith("HTTP/1.1 404"));
        assertTrue(raw("GET /%2e%2e/ExploreServer.class HTTP/1.1", "127.0.0.1:" + port).startsWith("HTTP/1.1 404"));
        assertEquals(404, get("/api/nothing").statusCode());
    }

    @Test
    void badParametersAreOneLineMessagesNamingTheParameter() throws Exception {
        assertEquals("d: expected an even integer in [2, 512], got 7", error(get("/api/rope/clock?d=7"), 400));
        assertEquals("base: expected a number in [100, 100000000], got \"NaN\"",
                error(get("/api/rope/clock?base=NaN"), 400));
        assertEquals("order: expected a permutation of 0..2 (comma-separated), got \"0,0,1\"",
                error(get("/api/shuffle?order=0,0,1"), 400));
        assertEquals("scale: expected one of log, linear, got \"cubic\"", error(get("/api/rope/decay?scale=cubic"), 400));
        assertEquals("POST is accepted by /api/model only (a config.json or GGUF upload)",
                error(post("/api/rope/clock", new byte[1]), 400));
    }

    static Stream<String> malformed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/malformed"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void uploadedBrokenConfigGetsTheCliMessage(String name) throws Exception {
        Path file = Path.of("src/test/resources/malformed", name);
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new String[] {"inspect", file.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true)));
        String cli = err.toString().strip();
        assertEquals(cli.replace(file.toString(), name),
                "posenc: " + error(post("/api/model?name=" + name, Files.readAllBytes(file)), 400));
    }

    @Test
    void uploadsAreCappedAndInvalidUtf8IsNamed() throws Exception {
        assertEquals("upload too large: at most " + ExploreServer.MAX_UPLOAD_BYTES + " bytes",
                error(post("/api/model", new byte[ExploreServer.MAX_UPLOAD_BYTES + 1]), 413));
        assertEquals("x.json: expected UTF-8 text, got invalid bytes",
                error(post("/api/model?name=../../x.json", new byte[] {'{', (byte) 0xff, '}'}), 400));
    }

    @Test
    void bundledModelsAnswerExactlyInspectJson() throws Exception {
        for (String name : ExampleConfigs.names()) {
            JsonNode r = ok(get("/api/model?name=" + name));
            JsonNode inspect = JSON.readTree(dev.posenc.cli.JsonOutput.write(
                    InspectCommand.inspection(ExampleConfigs.path(name))));
            assertEquals(inspect, r.get("inspect"), name);
        }
        JsonNode longrope = ok(get("/api/model?name=longrope-illustrative.json&seq_len=131072"));
        StringWriter out = new StringWriter();
        Main.run(new String[] {"inspect", ExampleConfigs.path("longrope-illustrative.json").toString(), "--json",
            "--seq-len", "131072"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()));
        assertEquals(JSON.readTree(out.toString()), longrope.get("inspect"));
    }

    private static Path converted(String stem) {
        Path file = GgufFolder.find().map(d -> d.resolve("converted").resolve(stem + ".gguf"))
                .filter(Files::isRegularFile).orElse(null);
        assumeTrue(file != null, "shared gguf fixtures absent");
        return file;
    }

    private static Path hfConfig(String stem) {
        Path file = HfConfigsFolder.find().map(d -> d.resolve(stem + ".json")).filter(Files::isRegularFile)
                .orElse(null);
        assumeTrue(file != null, "shared hf-configs absent");
        return file;
    }

    /** {@code posenc inspect ARGS...}'s standard output as JSON, or its one-line error (exit 2). */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return code == 0 ? out.toString() : err.toString().strip();
    }

    private static Set<Path> leftUploads() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("posenc-explore-"))
                    .collect(Collectors.toSet());
        }
    }

    /** The GGUF answer's inspection is {@code inspect MODEL.gguf --json [--ctx N]}; its pairs are that inv_freq. */
    @Test
    void ggufUploadAnswersExactlyInspectJson() throws Exception {
        Set<Path> before = leftUploads();
        for (String[] c : new String[][] {{"llama-3.1-8b", "0"}, {"phi-3-mini-128k-instruct-longrope", "4096"},
            {"phi-3-mini-128k-instruct-longrope", "8192"}, {"phi-3-mini-128k-instruct-longrope", "0"}}) {
            Path file = converted(c[0]);
            JsonNode r = ok(post("/api/model?name=" + c[0] + ".gguf&ctx=" + c[1], Files.readAllBytes(file)));
            JsonNode inspect = JSON.readTree(c[1].equals("0") ? cli("inspect", file.toString(), "--json")
                    : cli("inspect", file.toString(), "--json", "--ctx", c[1]));
            String what = c[0] + " at ctx " + c[1];
            assertEquals(inspect, r.get("inspect"), what);
            assertEquals(c[0] + ".gguf", r.get("source").asText());
            assertEquals(inspect.get("n_ctx"), r.get("n_ctx"), what);
            assertEquals(inspect.get("attention_scaling"), r.get("attention_scaling"), what);
            assertEquals(inspect.get("inv_freq").size(), r.get("pairs").size(), what);
            for (int i = 0; i < r.get("pairs").size(); i++) {
                assertEquals(inspect.get("inv_freq").get(i).floatValue(),
                        r.get("pairs").get(i).get("inv_freq").floatValue(), what + ", pair " + i);
            }
        }
        JsonNode shortFactors = ok(post("/api/model?name=phi3.gguf&ctx=4096",
                Files.readAllBytes(converted("phi-3-mini-128k-instruct-longrope"))));
        JsonNode longFactors = ok(post("/api/model?name=phi3.gguf&ctx=4097",
                Files.readAllBytes(converted("phi-3-mini-128k-instruct-longrope"))));
        assertEquals("rope_factors_short.weight", shortFactors.at("/inspect/llama_cpp/freq_factors").asText());
        assertEquals("rope_factors_long.weight", longFactors.at("/inspect/llama_cpp/freq_factors").asText(),
                "llama.cpp switches to the long factors above n_ctx_orig 4096");
        assertEquals(before, leftUploads(), "every upload's temporary file is deleted");
    }

    /** {@code inspect --against}'s audit, the config appended to the body (an upload) or named (a bundled one). */
    @Test
    void ggufAuditAgainstAConfigIsInspectAgainst() throws Exception {
        Path gguf = converted("stable-code-3b");
        Path config = hfConfig("stable-code-3b");
        byte[] json = Files.readAllBytes(config);
        byte[] body = new byte[(int) Files.size(gguf) + json.length];
        System.arraycopy(Files.readAllBytes(gguf), 0, body, 0, (int) Files.size(gguf));
        System.arraycopy(json, 0, body, (int) Files.size(gguf), json.length);
        JsonNode r = ok(post("/api/model?name=stable-code-3b.gguf&against=stable-code-3b.json&against_bytes="
                + json.length, body));
        String expected = cli("inspect", "--against", config.toString(), gguf.toString(), "--json")
                .replace(JSON.writeValueAsString(config.toString()), "\"stable-code-3b.json\"");
        assertEquals(JSON.readTree(expected), r.get("inspect"));
        assertEquals(9, r.at("/inspect/audit/differences").size(), "StableLM's converter drops rope_theta");

        Path phi = converted("phi-3.5-mini-instruct");
        Path bundled = ExampleConfigs.path("phi-3.5-mini-instruct.json");
        JsonNode b = ok(post("/api/model?name=phi-3.5-mini-instruct.gguf&against=phi-3.5-mini-instruct.json",
                Files.readAllBytes(phi)));
        assertEquals(JSON.readTree(cli("inspect", "--against", bundled.toString(), phi.toString(), "--json")
                .replace(JSON.writeValueAsString(bundled.toString()), "\"phi-3.5-mini-instruct.json\"")),
                b.get("inspect"));
    }

    @Test
    void hostileOrTruncatedGgufGetsTheCliMessage() throws Exception {
        Path dir = Files.createTempDirectory("explore-api-test-");
        try {
            Path bad = dir.resolve("bad.gguf");
            Files.write(bad, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1, 2});
            byte[] llama = Files.readAllBytes(converted("llama-3.1-8b"));
            Path truncated = dir.resolve("truncated.gguf");
            Files.write(truncated, java.util.Arrays.copyOf(llama, llama.length / 2));
            // over the 1 MiB of a config.json: read as a GGUF all the same
            byte[] zeros = new byte[ExploreServer.MAX_UPLOAD_BYTES + 1];
            System.arraycopy(new byte[] {'G', 'G', 'U', 'F', 3}, 0, zeros, 0, 5);
            Path empty = Files.write(dir.resolve("zeros.gguf"), zeros);
            for (Path file : new Path[] {bad, truncated, empty}) {
                String cli = cli("inspect", file.toString());
                assertTrue(cli.startsWith("posenc: " + file + ": "), cli);
                String name = file.getFileName().toString();
                assertEquals(cli.replace(file.toString(), name),
                        "posenc: " + error(post("/api/model?name=" + name, Files.readAllBytes(file)), 400));
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
        byte[] stable = Files.readAllBytes(converted("stable-code-3b"));
        assertEquals("seq_len: applies to a config.json; for a GGUF, llama.cpp's context is ctx",
                error(post("/api/model?name=s.gguf&seq_len=4096", stable), 400));
        assertEquals("against_bytes: expected fewer than the " + stable.length + " bytes uploaded, got "
                + stable.length, error(post("/api/model?against_bytes=" + stable.length, stable), 400));
    }

    /** A GGUF may have up to 64 MiB (a config.json 1 MiB); over the cap nothing is kept. */
    @Test
    void ggufUploadsAreCappedHigherThanJson() throws Exception {
        Set<Path> before = leftUploads();
        byte[] tooLarge = new byte[(int) GgufUpload.MAX_BYTES + 1];
        System.arraycopy(new byte[] {'G', 'G', 'U', 'F'}, 0, tooLarge, 0, 4);
        assertEquals("upload too large: a GGUF of at most 67108864 bytes (64 MiB) is read here; inspect a larger "
                + "model file with posenc inspect MODEL.gguf", error(post("/api/model?name=big.gguf", tooLarge), 413));
        assertEquals(before, leftUploads(), "every upload's temporary file is deleted");
    }

    @Test
    void clockIsTheSurveysStepByStepExample() throws Exception {
        JsonNode r = ok(get("/api/rope/clock?d=8&base=10000&m=3&n=0"));
        assertEquals("survey", r.get("vectors").asText());
        assertEquals(ArticleTables.surveyQuery()[0], r.get("pairs").get(0).get("q").get(0).floatValue());
        assertEquals(3.0, r.get("pairs").get(0).get("angle_m").asDouble());
        // the survey prints the rotated first pair as [-0.472, 0.207] and the norm 2.48947373 before and after
        assertEquals(-0.472, r.get("pairs").get(0).get("q_rotated").get(0).asDouble(), 5e-4);
        assertEquals(0.207, r.get("pairs").get(0).get("q_rotated").get(1).asDouble(), 5e-4);
        assertEquals(r.get("norm_q").asDouble(), r.get("norm_q_rotated").asDouble(), 1e-6);
    }

    @Test
    void decayCurvesAreRopeChecksMetrics() throws Exception {
        JsonNode r = ok(get("/api/rope/decay?d=128&bases=10000&max=256&scale=linear"));
        var build = PosencBuild.create();
        double[] bound = RopeChecks.roformerBound(build.rotaryKernel(),
                build.defaultFrequencies(128, 10_000, dev.posenc.querykey.RopeLayout.HALF), 256);
        JsonNode distances = r.get("distances");
        JsonNode curve = r.get("curves").get(0).get("bound");
        for (int i = 0; i < distances.size(); i++) {
            assertEquals(bound[distances.get(i).asInt()], curve.get(i).asDouble(), "m = " + distances.get(i));
        }
        assertTrue(r.get("curves").get(0).get("first_zero").get("bound").isNull(), "the bound is never 0");
    }

    @Test
    void shuffleWithoutEncodingPermutesAndRopeDoesNot() throws Exception {
        JsonNode r = ok(get("/api/shuffle?tokens=我,爱,你&order=2,0,1&encoding=rope"));
        assertTrue(r.get("none").get("max_ulps").asLong() <= ExploreBrowserTest.EQUIVARIANCE_ULPS);
        assertTrue(r.get("encoded").get("max_abs_difference").asDouble() > ExploreBrowserTest.ENCODED_MIN_DIFFERENCE);
        for (String encoding : ShuffleDemo.ENCODINGS) {
            JsonNode e = ok(get("/api/shuffle?order=1,2,0&encoding=" + encoding)).get("encoded");
            boolean positional = !encoding.equals("none");
            assertEquals(positional, e.get("max_abs_difference").asDouble() > ExploreBrowserTest.ENCODED_MIN_DIFFERENCE,
                    encoding);
        }
    }

    @Test
    void biasMatricesAreTheLogitsClasses() throws Exception {
        JsonNode shaw = ok(get("/api/bias?kind=shaw&clip=3&size=12")).get("matrix");
        JsonNode kerple = ok(get("/api/bias?kind=kerple&kernel=power&r1=0.5&r2=1.5&size=12")).get("matrix");
        var power = new dev.posenc.logits.KerpleBias(dev.posenc.logits.KerpleBias.Kind.POWER, new double[] {0.5},
                new double[] {1.5});
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) {
                assertEquals(dev.posenc.logits.ShawDistance.index(i, j, 3) - 3, shaw.get(i).get(j).asInt());
                assertEquals(Math.max(-3, Math.min(3, j - i)), shaw.get(i).get(j).asInt(), "clip(j - i, -k, k)");
                assertEquals(power.bias(0, i, j), kerple.get(i).get(j).asDouble());
            }
        }
        assertEquals("r2: expected a number in [0.001, 2], got \"3\"",
                error(get("/api/bias?kind=kerple&kernel=power&r2=3"), 400));
    }

    /** FIRE's bias recomputed here from the API's MLP weights: the same double arithmetic, a different order. */
    static final double FIRE_TOLERANCE = 1e-12;
    /**
     * Transformer-XL's terms recomputed here from the paper's formula (the concatenated sinusoid written out): both
     * sum in double over float32 weights; the room is for a sinusoid whose inverse frequencies are rounded
     * differently.
     */
    static final double XL_TOLERANCE = 1e-6;

    @Test
    void fireIsTheCoresBiasAtTheReferenceImplementationsInitialParameters() throws Exception {
        JsonNode r = ok(get("/api/bias?kind=fire&size=24&heads=4&head=2"));
        assertEquals(0.1, r.get("c").asDouble(), "init_c");
        assertEquals(512, r.get("threshold").asDouble(), "init_L × L_multiplier 1");
        assertEquals(32, r.get("mlp_width").asInt());
        JsonNode mlp = r.get("mlp");
        float[] w1 = floats(mlp.get("hidden_weight"));
        float[] b1 = floats(mlp.get("hidden_bias"));
        float[] w2 = floats(mlp.get("output_weight"));
        float[] b2 = floats(mlp.get("output_bias"));
        for (float w : w1) {
            assertTrue(Math.abs(w) <= 1, "nn.Linear(1, 32): U(-1, 1)");
        }
        for (float w : w2) {
            assertTrue(Math.abs(w) <= 1 / Math.sqrt(32), "nn.Linear(32, heads): U(-1/sqrt(32), 1/sqrt(32))");
        }
        var core = new dev.posenc.logits.FireBias(4, w1, b1, w2, b2, 0.1, 512);
        assertEquals(BiasViews.initialFire(4, 0.1, 512), core, "the weights sent are the ones used");
        for (int i = 0; i < 24; i++) {
            for (int j = 0; j < 24; j++) {
                JsonNode x = r.get("normalized").get(i).get(j);
                JsonNode b = r.get("matrix").get(i).get(j);
                if (j > i) {
                    assertTrue(x.isNull() && b.isNull(), "causal: masked above the diagonal");
                    continue;
                }
                double input = Math.log(Math.abs(0.1 * (i - j)) + 1) / (Math.log(0.1 * Math.max(i, 512) + 1) + 1e-6);
                assertEquals(input, x.asDouble(), FIRE_TOLERANCE, "psi(i - j) / psi(max(i, L))");
                double out = b2[2];
                for (int u = 0; u < 32; u++) {
                    out += w2[2 * 32 + u] * Math.max(0, w1[u] * input + b1[u]);
                }
                assertEquals(out, b.asDouble(), FIRE_TOLERANCE, "(" + i + ", " + j + ")");
                assertEquals(core.bias(2, i, j), b.asDouble(), "posenc-core's FireBias");
            }
        }
        // a small threshold L makes the normaliser grow with the query: not a function of i - j alone
        JsonNode small = ok(get("/api/bias?kind=fire&size=24&threshold=4")).get("normalized");
        assertTrue(small.get(10).get(5).asDouble() != small.get(20).get(15).asDouble(), "depends on i");
        assertEquals("threshold: expected a number in [0, 1048576], got \"-1\"",
                error(get("/api/bias?kind=fire&threshold=-1"), 400));
    }

    @Test
    void transformerXlTermsBAndDAreThePapersFormula() throws Exception {
        int size = 12;
        int dModel = 16;
        int headDim = 8;
        JsonNode r = ok(get("/api/bias?kind=transformer-xl&size=" + size + "&d_model=" + dModel + "&head_dim="
                + headDim));
        float[] w = floats(r.get("position_projection"));
        float[] v = floats(r.get("position_bias"));
        float[] q = floats(r.get("queries"));
        assertEquals(headDim * dModel, w.length);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                // W_R R_(i-j), R = [sin(δ ω_c), cos(δ ω_c)], ω_c = 10000^(-2c/d_model) (Transformer-XL's pos_emb)
                double[] wr = new double[headDim];
                for (int x = 0; x < headDim; x++) {
                    for (int c = 0; c < dModel / 2; c++) {
                        double angle = (i - j) * Math.pow(10000, -2.0 * c / dModel);
                        wr[x] += w[x * dModel + c] * Math.sin(angle) + w[x * dModel + dModel / 2 + c] * Math.cos(angle);
                    }
                }
                double b = 0;
                double d = 0;
                for (int x = 0; x < headDim; x++) {
                    b += q[i * headDim + x] * wr[x];
                    d += v[x] * wr[x];
                }
                assertEquals(b, r.get("b").get(i).get(j).asDouble(), XL_TOLERANCE, "(b) at (" + i + ", " + j + ")");
                assertEquals(d, r.get("d").get(i).get(j).asDouble(), XL_TOLERANCE, "(d) at (" + i + ", " + j + ")");
            }
        }
        assertEquals(r.get("d").get(3).get(1).asDouble(), r.get("d").get(9).get(7).asDouble(), XL_TOLERANCE,
                "(d) depends on i - j only");
        assertEquals("d_model: expected an even integer in [2, 256], got 15",
                error(get("/api/bias?kind=transformer-xl&d_model=15"), 400));
    }

    @Test
    void longRopeInTheExtensionViewIsPhi35sInspectJson() throws Exception {
        for (long seqLen : new long[] {4096, 131072}) {
            JsonNode r = ok(get("/api/extension?d=96&base=10000&context=4096&factor=32&seq_len=" + seqLen));
            JsonNode longrope = r.get("methods").get(r.get("methods").size() - 1);
            assertTrue(longrope.get("label").asText().startsWith("LongRoPE (phi-3.5-mini-instruct.json"),
                    longrope.get("label").asText());
            StringWriter out = new StringWriter();
            assertEquals(0, Main.run(new String[] {"inspect", ExampleConfigs.path("phi-3.5-mini-instruct.json")
                .toString(), "--json", "--seq-len", Long.toString(seqLen)}, new PrintWriter(out, true),
                    new PrintWriter(new StringWriter())));
            JsonNode inspect = JSON.readTree(out.toString());
            assertEquals(48, longrope.get("inv_freq").size());
            for (int i = 0; i < 48; i++) {
                assertEquals(inspect.get("inv_freq").get(i).floatValue(), longrope.get("inv_freq").get(i).floatValue(),
                        "pair " + i + " at seq_len " + seqLen);
            }
            assertEquals(inspect.get("attention_scaling").asDouble(), longrope.get("attention_scaling").asDouble());
            assertEquals(seqLen > 4096 ? "long_factor" : "short_factor",
                    r.get("longrope").get("factors_used").asText());
            assertEquals(r.get("distances").size(), longrope.get("score").size());
            assertEquals(4 * 4096, r.get("distances").get(r.get("distances").size() - 1).asInt(),
                    "scores out to 4 × the context");
        }
        JsonNode d128 = ok(get("/api/extension?d=128")).get("longrope");
        assertFalse(d128.get("added").asBoolean());
        assertEquals("phi-3.5-mini-instruct.json has 48 factors per list (head_dim 96); d = 128 needs 64: choose d = 96",
                d128.get("reason").asText());
        assertEquals("longrope: expected one of phi-3.5-mini-instruct.json, longrope-illustrative.json, none, got"
                + " \"x.json\"", error(get("/api/extension?longrope=x.json"), 400));
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    @Test
    void labIsLabJsonWithItsPlots() throws Exception {
        JsonNode r = ok(get("/api/lab"));
        assertTrue(r.get("available").asBoolean());
        assertEquals(JSON.readTree(Files.readString(Path.of("src/test/resources/lab-out/lab.json"))).get("experiments"),
                r.get("experiments"));
        assertEquals("ranking.png", r.get("plots").get(0).get("name").asText());
        assertTrue(r.get("plots").get(0).get("png").asText().startsWith("data:image/png;base64,iVBOR"));
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new String[] {"explore", "--port", "0", "--lab", "src/test/resources/malformed"},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        assertEquals("posenc: src/test/resources/malformed: no lab.json in it (--lab expects the lab's output folder)",
                err.toString().strip());
    }

    @Test
    void portOutOfRangeIsACliError() {
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new String[] {"explore", "--port", "70000"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true)));
        assertEquals("posenc: --port: expected 0 to 65535, got 70000", err.toString().strip());
    }

    @Test
    void numbersNeverIncludeNanOrInfinity() {
        assertNull(Finite.check(null));
        assertThrowsNonFinite(java.util.Map.of("x", new double[] {1, Double.NaN}));
        assertThrowsNonFinite(java.util.List.of(Float.POSITIVE_INFINITY));
    }

    private static void assertThrowsNonFinite(Object value) {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Finite.check(value));
        assertTrue(e.getMessage().contains("finite numbers only"), e.getMessage());
    }
}
