package dev.posenc.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posenc.cli.Main;
import dev.posenc.config.HfConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.cli.verify.ArticleTables;
import dev.posenc.cli.verify.PosencBuild;
import dev.posenc.logits.AlibiSlopes;
import dev.posenc.testing.GgufFolder;
import dev.posenc.testing.HfConfigsFolder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The explorer in a real headless Chromium: each view is loaded, its controls moved (by keyboard, clicks, an upload),
 * and what it draws (the SVG's elements and their data attributes, the summary) compared with the API's numbers,
 * posenc-core and {@code posenc inspect --json}. After every test: the page made no request beyond its own origin and
 * logged no error (script error, CSP violation, console error). Skipped where Chromium is not installed.
 *
 * <p>{@code -Dexplore.screenshots=DIR} saves one PNG per view there (the README's pictures: docs/explore/).
 */
class ExploreBrowserTest {
    /** The attention layer without positions is equivariant up to rounding: the outputs permute within this. */
    static final int EQUIVARIANCE_ULPS = 4;
    /** With RoPE the shuffled outputs differ from the permuted originals by far more than rounding. */
    static final double ENCODED_MIN_DIFFERENCE = 1e-3;
    /** Screenshots stop there: the model view's table of 64 pairs would make a page of 2500 pixels. */
    private static final int SCREENSHOT_MAX_HEIGHT = 1400;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static ExploreServer server;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChromium.available(), "Chromium not installed at " + HeadlessChromium.EXECUTABLE);
        server = ExploreServer.start(0, new ExploreApi(PosencBuild.create(), Path.of("src/test/resources/lab-out")));
        browser = HeadlessChromium.launch(1280, 900);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private int requestsBefore;
    private int errorsBefore;
    /** The browser's own log line for an API answer of 400, which a test of a bad input expects. */
    private String expectedError;
    /** Whether this test's final page is the README's picture of its view (one test per view says yes). */
    private boolean screenshot;
    /** Appended to the view's name in the picture's file name, for a second picture of one view. */
    private String screenshotSuffix = "";
    /** Where this test's picture stops (the README's pictures stay under 300 KB). */
    private int screenshotMaxHeight = SCREENSHOT_MAX_HEIGHT;

    @BeforeEach
    void mark() {
        requestsBefore = browser.requests().size();
        errorsBefore = browser.errors().size();
    }

    @AfterEach
    void offlineAndClean(TestInfo test) throws Exception {
        String origin = server.uri().toString();
        List<String> foreign = browser.requests().subList(requestsBefore, browser.requests().size()).stream()
                .filter(u -> !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:" + origin))
                .toList();
        assertEquals(List.of(), foreign, "requests beyond the page's origin");
        assertEquals(List.of(), browser.errors().subList(errorsBefore, browser.errors().size()).stream()
                .filter(e -> expectedError == null || !e.contains(expectedError)).toList(), "page errors");
        String dir = System.getProperty("explore.screenshots");
        if (dir != null && screenshot) {
            Files.createDirectories(Path.of(dir));
            String view = browser.eval("window.explore.state.view").asText();
            String lang = browser.eval("document.documentElement.lang").asText().startsWith("zh") ? "-zh" : "";
            Files.write(Path.of(dir, view + screenshotSuffix + lang + ".png"), browser.screenshot(screenshotMaxHeight));
        }
    }

    /** A fresh page at {@code #hash} (about:blank first: a change of the hash alone would not reload it). */
    private static void open(String hash) throws InterruptedException {
        browser.navigate("about:blank");
        browser.navigate(server.uri() + "#" + hash);
        browser.waitFor("window.explore && window.explore.data");
        idle();
    }

    private static void idle() {
        browser.eval("window.explore.whenIdle().then(() => true)");
    }

    private static JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + "api/" + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static double[] numbers(String jsArrayExpression) {
        JsonNode a = browser.eval(jsArrayExpression);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).isNull() ? Double.NaN : Double.parseDouble(a.get(i).asText());
        }
        return out;
    }

    private static double[] numbers(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).isNull() ? Double.NaN : array.get(i).asDouble();
        }
        return out;
    }

    private static void setControl(String id, String value) {
        browser.eval("(() => { const e = document.getElementById('" + id + "'); e.value = '" + value + "';"
                + " e.dispatchEvent(new Event(e.type === 'range' ? 'input' : 'change')); return true; })()");
        idle();
    }

    private static List<String> attributes(String selector, String attribute) {
        JsonNode a = browser.eval("[...document.querySelectorAll('" + selector + "')].map(e => e.getAttribute('"
                + attribute + "'))");
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void clockHandsAreTheKernelsRotationsAndFollowTheKeyboard() throws Exception {
        screenshot = true;
        open("clock?d=8&base=10000&m=3&n=0");
        JsonNode r = api("rope/clock?d=8&base=10000&m=3&n=0");
        assertEquals(4, browser.eval("document.querySelectorAll('.dial').length").asInt());
        double[] qx = numbers("[...document.querySelectorAll('.hand-q')].map(e => e.dataset.x)");
        for (int i = 0; i < 4; i++) {
            assertEquals(r.get("pairs").get(i).get("q_rotated").get(0).asDouble(), qx[i]);
        }
        // the survey's step-by-step table: pair 0 rotated by 3 rad is [-0.472, 0.207]
        assertEquals("[-0.472, 0.207]", browser.eval("document.querySelector('#table tr:nth-child(2) td:nth-child(5)')"
                + ".textContent").asText());
        browser.eval("document.getElementById('ctl-m').focus()");
        browser.press("ArrowRight");
        browser.press("ArrowRight");
        idle();
        JsonNode at5 = api("rope/clock?d=8&base=10000&m=5&n=0");
        assertTrue(browser.eval("location.hash").asText().contains("m=5"), "state in the URL");
        assertEquals(at5.get("score").asDouble(),
                Double.parseDouble(browser.eval("document.getElementById('score').dataset.value").asText()));
        assertEquals(at5.get("score").asDouble(), at5.get("score_relative").asDouble(), 1e-5,
                "relativity: <R_m q, R_n k> = <q, R_(n-m) k> up to float32 rounding");
        // space plays m forward, space again pauses
        browser.eval("document.activeElement.blur()");
        browser.press(" ");
        browser.waitFor("Number(window.explore.state.m) > 5");
        browser.press(" ");
        idle();
        String paused = browser.eval("window.explore.state.m").asText();
        Thread.sleep(600);
        assertEquals(paused, browser.eval("window.explore.state.m").asText(), "paused");
        idle();
    }

    @Test
    void decayFirstZerosAreTheApisAndTheRaisedBaseDecaysLater() throws Exception {
        screenshot = true;
        open("decay?metric=bound");
        JsonNode r = api("rope/decay?d=128&bases=500000,8000000&max=131072&scale=log&train=8192");
        assertEquals(List.of(), attributes(".first-zero", "data-first-zero"), "RoFormer's bound never reaches 0");
        for (String metric : List.of("random", "fitted")) {
            setControl("ctl-metric", metric);
            // a marker per curve that reaches 0 within the largest distance, at the API's first zero
            List<String> expected = new ArrayList<>();
            r.get("curves").forEach(c -> {
                if (!c.get("first_zero").get(metric).isNull()) {
                    expected.add(c.get("first_zero").get(metric).asText());
                }
            });
            List<String> drawn = attributes(".first-zero", "data-first-zero");
            assertEquals(expected, drawn, metric);
            long low = Long.parseLong(drawn.getFirst());
            long high = drawn.size() > 1 ? Long.parseLong(drawn.get(1)) : Long.MAX_VALUE;
            assertTrue(low < high, metric + ": base 8000000's first zero comes later than base 500000's: " + drawn);
        }
        assertEquals(List.of("500000.0", "8000000.0"), attributes("polyline.curve", "data-base").stream()
                .map(b -> Double.toString(Double.parseDouble(b))).toList());
    }

    @Test
    void modelBandsOfTheSharedLlama31EqualInspectJson() throws Exception {
        screenshot = true;
        Path config = HfConfigsFolder.find().map(d -> d.resolve("llama-3.1-8b.json")).filter(Files::isRegularFile)
                .orElse(null);
        assumeTrue(config != null, "shared hf-configs folder not found");
        open("model");
        browser.upload("#upload", config);
        browser.waitFor("window.explore.state.model === 'upload:llama-3.1-8b.json'");
        browser.waitFor("window.explore.data && window.explore.data.source === 'llama-3.1-8b.json'");
        idle();
        JsonNode inspect = JSON.readTree(cli("inspect", config.toString(), "--json"));
        double[] drawn = numbers("[...document.querySelectorAll('circle.pair')].map(e => e.dataset.invFreq)");
        assertEquals(inspect.get("inv_freq").size(), drawn.length);
        for (int i = 0; i < drawn.length; i++) {
            assertEquals(inspect.get("inv_freq").get(i).floatValue(), (float) drawn[i], "pair " + i);
        }
        RopeEncoding rope = (RopeEncoding) HfConfig.load(config).encoding();
        assertEquals(rope.spec().pairs(0).stream().map(p -> p.band().id()).toList(),
                attributes("circle.pair", "data-band"));
        assertEquals(List.of("kept", "blended", "interpolated"), attributes("circle.pair", "data-band").stream()
                .distinct().toList(), "Llama 3.1 keeps, blends and interpolates");
        // A/B: a second model drawn beside it, exactly its API answer
        setControl("ctl-compare", "qwen2.5-7b-yarn.json");
        JsonNode qwen = api("model?name=qwen2.5-7b-yarn.json&seq_len=0");
        List<String> expected = new ArrayList<>();
        qwen.get("pairs").forEach(p -> expected.add(p.get("band").asText()));
        assertEquals(expected, attributes("rect.pair[data-model=\"qwen2.5-7b-yarn.json\"]", "data-band"));
        assertEquals(drawn.length, browser.eval("document.querySelectorAll('circle.pair').length").asInt());
    }

    @Test
    void longRopeSwitchesFactorsWhenTheSeqLenSliderPassesTheOriginalContext() throws Exception {
        open("model?model=longrope-illustrative.json&seq_len=0");
        JsonNode r0 = api("model?name=longrope-illustrative.json&seq_len=0");
        setControl("ctl-seq_len", "131072");
        JsonNode inspect = JSON.readTree(cli("inspect", dev.posenc.cli.ExampleConfigs.path(
                "longrope-illustrative.json").toString(), "--json", "--seq-len", "131072"));
        double[] drawn = numbers("[...document.querySelectorAll('circle.pair')].map(e => e.dataset.invFreq)");
        for (int i = 0; i < drawn.length; i++) {
            assertEquals(inspect.get("inv_freq").get(i).floatValue(), (float) drawn[i], "pair " + i);
        }
        assertNotEquals(r0.get("inspect").get("inv_freq"), inspect.get("inv_freq"), "long factors in use");
        assertTrue(browser.eval("location.hash").asText().contains("seq_len=131072"));
    }

    private static Path fixture(Optional<Path> folder, String path) {
        Path file = folder.map(d -> d.resolve(path)).filter(Files::isRegularFile).orElse(null);
        assumeTrue(file != null, "shared fixture absent: " + path);
        return file;
    }

    private static JsonNode postModel(String query, Path file) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + "api/model?" + query))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void assertDrawnInvFreqs(JsonNode inspect, String what) {
        double[] drawn = numbers("[...document.querySelectorAll('circle.pair')].map(e => e.dataset.invFreq)");
        assertEquals(inspect.get("inv_freq").size(), drawn.length, what);
        for (int i = 0; i < drawn.length; i++) {
            assertEquals(inspect.get("inv_freq").get(i).floatValue(), (float) drawn[i], what + ", pair " + i);
        }
    }

    /** A GGUF through the file input: the bands of inspect --json; the n_ctx slider switches Phi-3's factors. */
    @Test
    void ggufUploadDrawsInspectJsonAndTheCtxSliderSwitchesPhi3sFactors() throws Exception {
        Path gguf = fixture(GgufFolder.find(), "converted/phi-3-mini-128k-instruct-longrope.gguf");
        String name = gguf.getFileName().toString();
        open("model");
        browser.upload("#upload", gguf);
        browser.waitFor("window.explore.data && window.explore.data.source === '" + name + "'");
        idle();
        assertDrawnInvFreqs(JSON.readTree(cli("inspect", gguf.toString(), "--json")), "n_ctx = context_length");
        List<String> bands = new ArrayList<>();
        postModel("name=" + name + "&ctx=0", gguf).get("pairs").forEach(p -> bands.add(p.get("band").asText()));
        assertEquals(bands, attributes("circle.pair", "data-band"));
        assertTrue(browser.eval("document.getElementById('ctl-seq_len') === null").asBoolean(),
                "seq_len is a config.json's; a GGUF has llama.cpp's n_ctx");

        setControl("ctl-ctx", "4096");
        JsonNode shortFactors = JSON.readTree(cli("inspect", gguf.toString(), "--json", "--ctx", "4096"));
        assertDrawnInvFreqs(shortFactors, "n_ctx 4096");
        assertEquals("rope_factors_short.weight", shortFactors.at("/llama_cpp/freq_factors").asText());
        assertNotEquals(JSON.readTree(cli("inspect", gguf.toString(), "--json")).get("inv_freq"),
                shortFactors.get("inv_freq"), "the long factors above n_ctx_orig");
        assertTrue(attributes("line.context", "data-context").contains("4096"), "the n_ctx line is drawn");
        assertTrue(browser.eval("location.hash").asText().contains("ctx=4096"));
        assertTrue(browser.eval("document.getElementById('summary').textContent").asText()
                .contains("llama.cpp n_ctx 4096"));
    }

    /** gpt-oss beside its config.json: the audit table and the highlighted pairs are inspect --against's. */
    @Test
    void ggufAuditTableListsInspectAgainstsPairs() throws Exception {
        screenshot = true;
        screenshotSuffix = "-gguf";
        screenshotMaxHeight = 1185;   // down to the audit (the README's pictures stay under 300 KB)
        Path gguf = fixture(GgufFolder.find(), "converted/gpt-oss-20b.gguf");
        Path config = fixture(HfConfigsFolder.find(), "gpt-oss-20b.json");
        open("model");
        browser.upload("#upload", config);
        browser.waitFor("window.explore.data && window.explore.data.source === 'gpt-oss-20b.json'");
        idle();
        browser.upload("#upload", gguf);
        browser.waitFor("window.explore.data && window.explore.data.source === 'gpt-oss-20b.gguf'");
        idle();
        assertEquals(0, browser.eval("document.querySelectorAll('#audit').length").asInt(), "no config, no audit");
        setControl("ctl-compare", "upload:gpt-oss-20b.json");
        browser.waitFor("document.getElementById('audit')");
        JsonNode audit = JSON.readTree(cli("inspect", "--against", config.toString(), gguf.toString(), "--json"))
                .get("audit");
        List<String> pairs = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        audit.get("differences").forEach(d -> {
            pairs.add(d.get("pair").asText());
            messages.add(d.get("message").asText());
        });
        assertEquals(List.of("9", "10", "11", "12", "13", "14", "15", "16", "17"), pairs,
                "YaRN's correction range, floored and ceiled by ggml");
        assertEquals(pairs, cells(0));
        assertEquals(messages, cells(3));
        assertEquals(pairs, attributes("rect.audit-differs", "data-pair"));
        List<String> notCarried = new ArrayList<>();
        audit.get("not_carried").forEach(l -> notCarried.add("not carried: " + l.asText()));
        List<String> shown = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('.audit-not-carried')].map(e => e.textContent)")
                .forEach(l -> shown.add(l.asText()));
        assertEquals(notCarried, shown);
        assertEquals(browser.eval("document.querySelectorAll('circle.pair').length").asInt(),
                browser.eval("document.querySelectorAll('rect.pair').length").asInt(), "both models' pairs drawn");
    }

    @Test
    void hostileGgufUploadShowsTheCliOneLineMessage(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bad = Files.write(dir.resolve("bad.gguf"), new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1, 2});
        expectedError = "status of 400";
        open("model");
        browser.upload("#upload", bad);
        browser.waitFor("!document.getElementById('error').hidden");
        assertEquals(cliError("inspect", bad.toString()).replace(bad.toString(), "bad.gguf"),
                browser.eval("document.getElementById('error').textContent").asText());
    }

    private static List<String> cells(int column) {
        List<String> out = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('#audit tr')].slice(1).map(r => r.cells[" + column
                + "].textContent)").forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void brokenUploadShowsTheCliOneLineMessage() throws Exception {
        Path broken = Path.of("src/test/resources/malformed/factor-string.json");
        expectedError = "status of 400";
        open("model");
        browser.upload("#upload", broken);
        browser.waitFor("!document.getElementById('error').hidden");
        String cliLine = cliError("inspect", broken.toString());
        assertEquals(cliLine.replace(broken.toString(), "factor-string.json"),
                browser.eval("document.getElementById('error').textContent").asText());
    }

    @Test
    void shuffledOutputsPermuteExactlyWithoutEncodingAndNotWithRope() throws Exception {
        screenshot = true;
        open("shuffle?tokens=我,爱,你&order=0,1,2&encoding=rope");
        browser.eval("document.getElementById('ctl-shuffle').click()");
        idle();
        browser.waitFor("window.explore.state.order === '0,2,1'");
        idle();
        checkShuffle(new int[] {0, 2, 1});
        // keyboard: move the first token one place right
        browser.eval("document.querySelector('.token').focus()");
        browser.press("ArrowRight");
        idle();
        assertEquals("2,0,1", browser.eval("window.explore.state.order").asText());
        checkShuffle(new int[] {2, 0, 1});
        // mouse: drag the token at position 2 onto position 0
        JsonNode boxes = browser.eval("[...document.querySelectorAll('.token')].map(e => { const r ="
                + " e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })");
        browser.drag(boxes.get(2).get(0).asDouble(), boxes.get(2).get(1).asDouble(), boxes.get(0).get(0).asDouble(),
                boxes.get(0).get(1).asDouble());
        idle();
        assertEquals("1,2,0", browser.eval("window.explore.state.order").asText());
        checkShuffle(new int[] {1, 2, 0});
    }

    private static void checkShuffle(int[] order) {
        List<String> shuffled = attributes(".output-row[data-encoding=none][data-kind=outputs]", "data-values");
        List<String> original = attributes(".output-row[data-encoding=none][data-kind=unshuffled]", "data-values");
        List<String> encodedShuffled = attributes(".output-row[data-encoding=rope][data-kind=outputs]", "data-values");
        List<String> encodedOriginal = attributes(".output-row[data-encoding=rope][data-kind=unshuffled]",
                "data-values");
        double worstNone = 0;
        double worstRope = 0;
        for (int t = 0; t < order.length; t++) {
            worstNone = Math.max(worstNone, maxUlps(shuffled.get(t), original.get(order[t])));
            worstRope = Math.max(worstRope, maxAbs(encodedShuffled.get(t), encodedOriginal.get(order[t])));
        }
        assertTrue(worstNone <= EQUIVARIANCE_ULPS, "no encoding: outputs move with their tokens, " + worstNone);
        assertTrue(worstRope > ENCODED_MIN_DIFFERENCE, "RoPE: outputs depend on the order, " + worstRope);
        double shownRope = Double.parseDouble(browser.eval(
                "document.querySelector('.difference[data-encoding=rope]').dataset.value").asText());
        assertEquals(worstRope, shownRope, Math.ulp(shownRope) * 4, "the shown difference is the drawn one");
    }

    private static double maxUlps(String a, String b) {
        String[] x = a.split(" ");
        String[] y = b.split(" ");
        long worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, ShuffleDemo.ulps(Float.parseFloat(x[i]), Float.parseFloat(y[i])));
        }
        return worst;
    }

    private static double maxAbs(String a, String b) {
        String[] x = a.split(" ");
        String[] y = b.split(" ");
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs((double) Float.parseFloat(x[i]) - Float.parseFloat(y[i])));
        }
        return worst;
    }

    /**
     * LongRoPE's inv_freq over the unscaled one is 1/factor up to float32 rounding: {@code 1f / (ext · pow)} and
     * {@code 1f / pow} are each within half an ulp, so their ratio within a few float32 ulps of 1.
     */
    static final double LONGROPE_RATIO_TOLERANCE = 4 * 0x1p-24;

    @Test
    void extensionDrawsEveryMethodOfTheBuild() throws Exception {
        open("extension?d=128&base=10000&context=4096&factor=4&longrope=phi-3.5-mini-instruct.json&show=score");
        JsonNode r = api("extension?d=128&base=10000&context=4096&factor=4");
        List<String> labels = new ArrayList<>();
        r.get("methods").forEach(m -> labels.add(m.get("label").asText()));
        assertEquals(labels, attributes("polyline.method", "data-label"));
        assertEquals(6, labels.size(), "unscaled, PI, NTK, dynamic NTK, YaRN, Llama 3");
        assertTrue(browser.eval("document.querySelector('.longrope-note').textContent").asText()
                .endsWith("choose d = 96"), "why LongRoPE is not drawn at d = 128");
    }

    @Test
    void extensionDrawsLongRopeWithPhi35sSearchedFactors() throws Exception {
        screenshot = true;
        open("extension?d=128&base=10000&context=4096&factor=4&longrope=phi-3.5-mini-instruct.json&show=ratio");
        setControl("ctl-d", "96");
        JsonNode r = api("extension?d=96&base=10000&context=4096&factor=4&longrope=phi-3.5-mini-instruct.json");
        JsonNode longrope = r.get("methods").get(6);
        assertEquals("LongRoPE (phi-3.5-mini-instruct.json, long_factor)", longrope.get("label").asText());
        assertEquals(7, attributes("polyline.method", "data-label").size());
        double[] drawn = numbers(JSON.readTree("[" + String.join(",", browser.eval(
                "document.querySelector('polyline.method[data-label^=LongRoPE]').dataset.values").asText().split(" "))
                + "]"));
        RopeEncoding phi = (RopeEncoding) HfConfig.load(dev.posenc.cli.ExampleConfigs.path("phi-3.5-mini-instruct.json"))
                .encoding();
        float[] longFactor = ((dev.posenc.querykey.RopeScaling.LongRope) phi.spec().scaling()).longFactor();
        assertEquals(48, drawn.length);
        for (int i = 0; i < drawn.length; i++) {
            assertEquals(longrope.get("ratio").get(i).asDouble(), drawn[i], "the API's ratio, pair " + i);
            assertEquals(1 / longFactor[i], drawn[i], LONGROPE_RATIO_TOLERANCE / longFactor[i],
                    "1 / Phi-3.5's long_factor, pair " + i);
        }
        String note = browser.eval("document.querySelector('.longrope-note').textContent").asText();
        assertTrue(note.contains("4096 → 131072") && note.contains("long_factor"), note);
        // a factor of 1: a pass of 4096 tokens, within the original context: the short factors
        setControl("ctl-factor", "1");
        assertTrue(attributes("polyline.method", "data-label").contains(
                "LongRoPE (phi-3.5-mini-instruct.json, short_factor)"));
        setControl("ctl-factor", "4");
        setControl("ctl-show", "score");
        JsonNode score = api("extension?d=96&base=10000&context=4096&factor=4").get("methods").get(6).get("score");
        double[] drawnScore = numbers(JSON.readTree("[" + String.join(",", browser.eval(
                "document.querySelector('polyline.method[data-label^=LongRoPE]').dataset.values").asText().split(" "))
                + "]"));
        assertEquals(score.size(), drawnScore.length);
        for (int i = 0; i < drawnScore.length; i++) {
            assertEquals(score.get(i).asDouble(), drawnScore[i], "the decay past the training length, point " + i);
        }
    }

    @Test
    void biasMatricesAreCoresT5ThenAlibi() throws Exception {
        screenshot = true;
        open("bias?kind=t5&buckets=32&max_distance=128&causal=false&size=16");
        JsonNode t5 = api("bias?kind=t5&buckets=32&max_distance=128&causal=false&size=16");
        assertEquals(t5.get("matrix").get(3).get(9).asText(), browser.eval(
                "document.querySelector('rect[data-i=\"3\"][data-j=\"9\"]').dataset.v").asText());
        // switching the kind rebuilds the controls (ALiBi has heads and a slope rule)
        setControl("ctl-kind", "alibi");
        setControl("ctl-head", "2");
        setControl("ctl-size", "24");
        double[] slopes = numbers("[...document.querySelectorAll('.slope')].map(e => e.dataset.slope)");
        double[] paper = AlibiSlopes.paper(8);
        assertEquals(8, slopes.length);
        for (int h = 0; h < 8; h++) {
            assertEquals(paper[h], slopes[h]);
        }
        // cell (i=5, j=1) of head 2: -m_2 (5 - 1); above the diagonal: masked
        assertEquals(-paper[2] * 4, Double.parseDouble(browser.eval(
                "document.querySelector('rect[data-i=\"5\"][data-j=\"1\"]').dataset.v").asText()));
        assertEquals("", browser.eval(
                "document.querySelector('rect[data-i=\"1\"][data-j=\"5\"]').getAttribute('data-v') ?? ''").asText());
    }

    /** FIRE's bias recomputed by posenc-core in double from the same float32 weights: the same operations. */
    static final double BIAS_TOLERANCE = 1e-12;
    /**
     * Transformer-XL's streaming path ({@code prepare}) sums in float32, the API's reference path in double: terms
     * of size ~1 agree to a few float32 ulps times the head dimension.
     */
    static final double XL_STREAMING_TOLERANCE = 1e-5;

    private static double drawnCell(String panel, int i, int j) {
        return Double.parseDouble(browser.eval("document.querySelector('rect[data-panel=\"" + panel
                + "\"][data-i=\"" + i + "\"][data-j=\"" + j + "\"]').dataset.v").asText());
    }

    @Test
    void fireBiasIsTheCoresAtItsInitialParameters() throws Exception {
        screenshot = true;
        screenshotSuffix = "-fire";
        open("bias?kind=fire&size=24&heads=8&head=0&c=0.1&threshold=512");
        String params = browser.eval("document.querySelector('.fire-params').textContent").asText();
        assertTrue(params.contains("c = 0.1 (init_c = 0.1)") && params.contains("L = 512 (") && params.contains("MLP 1 → 32"),
                params);
        setControl("ctl-head", "3");
        setControl("ctl-threshold", "8");
        JsonNode r = api("bias?kind=fire&size=24&heads=8&head=3&c=0.1&threshold=8");
        var core = BiasViews.initialFire(8, 0.1, 8);
        for (int i = 0; i < 24; i++) {
            for (int j = 0; j <= i; j++) {
                assertEquals(r.get("matrix").get(i).get(j).asDouble(), drawnCell("matrix", i, j));
                assertEquals(core.bias(3, i, j), drawnCell("matrix", i, j), BIAS_TOLERANCE, "(" + i + ", " + j + ")");
                assertEquals(core.normalizedDistance(i, j), drawnCell("normalized", i, j), BIAS_TOLERANCE);
            }
        }
        assertEquals("", browser.eval("document.querySelector('rect[data-panel=\"matrix\"][data-i=\"2\"][data-j=\"5\"]')"
                + ".getAttribute('data-v') ?? ''").asText(), "causal: masked above the diagonal");
    }

    @Test
    void transformerXlTermsAreTheCoresReferenceAndStreamingPaths() throws Exception {
        screenshot = true;
        screenshotSuffix = "-transformer-xl";
        open("bias?kind=transformer-xl&size=20&d_model=64&head_dim=16");
        setControl("ctl-d_model", "32");
        JsonNode r = api("bias?kind=transformer-xl&size=20&d_model=32&head_dim=16");
        float[] w = floats(r.get("position_projection"));
        float[] v = floats(r.get("position_bias"));
        float[] q = floats(r.get("queries"));
        float[] zeros = new float[16];
        var positions = dev.posenc.logits.AttentionPositions.selfAttention(20);
        float[] b = new float[400];
        new dev.posenc.logits.TransformerXlRelative(1, 16, 32, zeros, zeros, w)
                .prepare(0, q, new float[20 * 16], positions).addToTile(0, 20, 0, 20, b, 20);
        float[] d = new float[400];
        new dev.posenc.logits.TransformerXlRelative(1, 16, 32, zeros, v, w)
                .prepare(0, new float[20 * 16], new float[20 * 16], positions).addToTile(0, 20, 0, 20, d, 20);
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 20; j++) {
                assertEquals(r.get("b").get(i).get(j).asDouble(), drawnCell("b", i, j));
                assertEquals(r.get("d").get(i).get(j).asDouble(), drawnCell("d", i, j));
                assertEquals(b[i * 20 + j], drawnCell("b", i, j), XL_STREAMING_TOLERANCE, "(b) (" + i + ", " + j + ")");
                assertEquals(d[i * 20 + j], drawnCell("d", i, j), XL_STREAMING_TOLERANCE, "(d) (" + i + ", " + j + ")");
            }
        }
        String params = browser.eval("document.querySelector('.xl-params').textContent").asText();
        assertTrue(params.contains("d_model = 32") && params.contains("N(0, 0.02²)"), params);
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    /** Where a dragged hand may end: half the angle one position turns pair 1 by (θ₁ = 10000^(−1/4) = 0.1). */
    static final double DRAG_ANGLE_TOLERANCE = 0.05 + 1e-6;

    @Test
    void draggingAHandSetsThePositionWhoseAngleIsNearest() throws Exception {
        open("clock?d=8&base=10000&m=3&n=0");
        var build = PosencBuild.create();
        var f = build.defaultFrequencies(8, 10000, dev.posenc.querykey.RopeLayout.INTERLEAVED);
        for (String hand : List.of("q", "k")) {
            // the knob of pair 1, dragged to 40 px left of and 30 px below the dial's centre
            JsonNode knob = browser.eval("(() => { const r = document.querySelector('.knob-" + hand
                    + "[data-pair=\"1\"]').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];"
                    + " })()");
            JsonNode centre = browser.eval("(() => { const r = document.querySelector('.dial[data-pair=\"1\"] .face')"
                    + ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()");
            double toX = centre.get(0).asDouble() - 40;
            double toY = centre.get(1).asDouble() + 30;
            browser.drag(knob.get(0).asDouble(), knob.get(1).asDouble(), toX, toY);
            idle();
            // the page sent the pointer's offset from the centre (y up): about (-40, -30), as the browser rounds it
            String sent = browser.requests().reversed().stream().filter(u -> u.contains("api/rope/nearest?")
                    && u.contains("hand=" + hand)).findFirst().orElseThrow();
            Query asked = Query.parse(URI.create(sent).getRawQuery());
            double x = asked.number("x", Double.NaN, -1e6, 1e6);
            double y = asked.number("y", Double.NaN, -1e6, 1e6);
            assertEquals(-40, x, 1, "pointer x");
            assertEquals(-30, y, 1, "pointer y");
            // the position in 0..1000 whose rotated pair 1 points nearest to atan2(y, x), found here
            float[] v = hand.equals("q") ? ArticleTables.surveyQuery() : ArticleTables.surveyKey();
            double target = Math.atan2(y, x);
            long expected = 0;
            double best = Double.POSITIVE_INFINITY;
            for (long p = 0; p <= 1000; p++) {
                float[] rotated = build.rotaryKernel().rotated(f, v, p);
                double off = Math.abs(Math.IEEEremainder(Math.atan2(rotated[3], rotated[2]) - target, 2 * Math.PI));
                if (off < best) {
                    best = off;
                    expected = p;
                }
            }
            String key = hand.equals("q") ? "m" : "n";
            assertEquals(Long.toString(expected), browser.eval("window.explore.state." + key).asText(), hand);
            assertTrue(browser.eval("location.hash").asText().contains(key + "=" + expected), "in the URL");
            double[] tip = numbers("['x', 'y'].map(a => document.querySelector('.dial[data-pair=\"1\"] .hand-" + hand
                    + "').dataset[a])");
            assertEquals(0, Math.IEEEremainder(Math.atan2(tip[1], tip[0]) - target, 2 * Math.PI),
                    DRAG_ANGLE_TOLERANCE, "the redrawn hand points where it was dropped");
            JsonNode answer = api("rope/nearest?d=8&base=10000&pair=1&hand=" + hand + "&x=" + x + "&y=" + y
                    + "&max=1000");
            assertEquals(expected, answer.get("position").asLong(), "the API's answer");
        }
    }

    @Test
    void keyboardSwitchesViewsAndTheLanguageIsChineseOnRequest() throws Exception {
        screenshot = true;
        open("decay");
        browser.eval("document.activeElement.blur()");
        browser.press("1");
        idle();
        assertEquals("clock", browser.eval("window.explore.state.view").asText());
        browser.eval("document.getElementById('tab-clock').focus()");
        browser.press("ArrowRight");
        idle();
        assertEquals("decay", browser.eval("window.explore.state.view").asText());
        open("clock?d=8&base=10000&m=3&n=0");
        browser.eval("document.querySelector('[data-lang=zh]').click()");
        idle();
        assertEquals("把 RoPE 看成时钟的指针", browser.eval("document.getElementById('view-title').textContent").asText());
        assertTrue(browser.eval("location.hash").asText().contains("lang=zh"), "the language is in the URL");
        assertEquals("zh-CN", browser.eval("document.documentElement.lang").asText());
    }

    @Test
    void theNewBiasesAndLongRopeHaveChineseLabels() throws Exception {
        screenshot = true;
        screenshotSuffix = "-fire";
        open("extension?lang=zh&d=96&show=ratio");
        assertTrue(browser.eval("document.querySelector('.longrope-note').textContent").asText().contains("因子针对"),
                "the LongRoPE note in Chinese");
        open("bias?lang=zh&kind=fire&size=24&threshold=8");
        assertEquals(List.of("MLP 输入: ψ(i − j) / ψ(max(i, L))", "偏置 b(i, j), 头 0"), titles());
        assertTrue(browser.eval("document.querySelector('.fire-params').textContent").asText().contains("初始为 512"));
    }

    private static List<String> titles() {
        List<String> out = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('#figure svg svg > text[font-weight=\"600\"]')]"
                + ".map(e => e.textContent)").forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void exportsArePictureAndDataOfTheCurrentState(@org.junit.jupiter.api.io.TempDir Path downloads)
            throws Exception {
        browser.downloadsTo(downloads);
        open("clock?d=8&base=10000&m=7&n=2");
        for (String kind : List.of("json", "csv", "svg", "png")) {
            browser.eval("document.querySelector('[data-export=" + kind + "]').click()");
            Path file = downloads.resolve("posenc-clock." + kind);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (!Files.isRegularFile(file) || Files.size(file) == 0) {
                assertTrue(System.nanoTime() < deadline, "no download " + file);
                Thread.sleep(50);
            }
            Thread.sleep(100);
        }
        // JavaScript writes 10000.0 as 10000: equal as numbers, every digit of every other value kept
        JsonNode exported = JSON.readTree(Files.readString(downloads.resolve("posenc-clock.json")));
        assertTrue(api("rope/clock?d=8&base=10000&m=7&n=2").equals((a, b) -> a.isNumber() && b.isNumber()
                ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1, exported), exported::toString);
        List<String> csv = Files.readAllLines(downloads.resolve("posenc-clock.csv"));
        assertEquals(5, csv.size(), "a header and one row per pair");
        assertTrue(csv.getFirst().startsWith("pair,theta,"), csv.getFirst());
        String svg = Files.readString(downloads.resolve("posenc-clock.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("class=\"dial\""), "the drawn SVG");
        byte[] png = Files.readAllBytes(downloads.resolve("posenc-clock.png"));
        assertEquals(0x89, png[0] & 0xff);
        assertEquals('P', png[1]);
        assertTrue(png.length > 2_000, "the rasterised picture has content");
    }

    @Test
    void labResultsAreDrawnFromLabJson() throws Exception {
        screenshot = true;
        open("lab");
        JsonNode lab = JSON.readTree(Files.readString(Path.of("src/test/resources/lab-out/lab.json")))
                .get("experiments");
        List<String> expected = new ArrayList<>();
        List<JsonNode> results = new ArrayList<>();
        lab.get("ranking").get("results").forEach(results::add);
        results.sort(java.util.Comparator.comparingDouble(x -> x.get("mean").asDouble()));
        results.forEach(x -> expected.add(x.get("encoding").asText() + " " + x.get("mean").asDouble()));
        List<String> encodings = attributes("rect.rank", "data-encoding");
        List<String> means = attributes("rect.rank", "data-mean");
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < encodings.size(); i++) {
            drawn.add(encodings.get(i) + " " + Double.parseDouble(means.get(i)));
        }
        assertEquals(expected, drawn);
        assertEquals(lab.get("extrapolation").get("results").size(),
                browser.eval("document.querySelectorAll('polyline.extrapolation').length").asInt());
        assertEquals(1, browser.eval("document.querySelectorAll('img.lab-plot').length").asInt(), "plots/ranking.png");
        browser.waitFor("document.querySelector('img.lab-plot').complete");
    }

    /** {@code posenc ARGS} in process: its stdout (exit code 0 required). */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        return out.toString();
    }

    /** {@code posenc ARGS} in process, failing with exit code 2: its one line on stderr. */
    private static String cliError(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        return err.toString().strip();
    }
}
