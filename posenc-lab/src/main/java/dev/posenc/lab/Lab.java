package dev.posenc.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posenc.lab.encoding.CoreTables;
import dev.posenc.lab.encoding.Encodings;
import dev.posenc.lab.encoding.Rotary;
import dev.posenc.lab.encoding.RotaryLearnedTheta;
import dev.posenc.querykey.RotaryFrequencies;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The lab: trains and evaluates every model the six experiments need, then writes each experiment's JSON and plot
 * under {@code out} and returns the summary object ({@code posenc lab --json}; schema in docs/lab-json.md).
 *
 * <p>Work is split into jobs (one language model, one CNN probe, the overhead timings). Each finished job writes
 * its result to {@code out/runs/<job>.json}; a job in progress checkpoints to {@code out/runs/<job>.ckpt}. With
 * {@code resume}, finished jobs are read back and an interrupted one continues from its checkpoint, so a resumed
 * run produces the same numbers as an uninterrupted one (same thread count; timings excepted). Without
 * {@code resume}, an {@code out} that already holds runs is refused rather than overwritten.
 */
public final class Lab {
    /**
     * What to run.
     *
     * @param preset sizes
     * @param corpusFile a text file, or {@code null} for the default Europarl corpus
     * @param out output folder
     * @param resume continue the runs in {@code out}
     * @param threads intra-op threads (0: PyTorch's default)
     * @param encodings the encodings to train (all of {@link Encodings#NAMES} by default); experiments that need
     *     one that is left out (learnable θ needs {@code rope-learned-theta}, RoPE scaling needs {@code rope}) report
     *     what they can
     */
    public record Options(LabPreset preset, Path corpusFile, Path out, boolean resume, int threads,
                          List<String> encodings) {
        public Options {
            encodings = encodings == null || encodings.isEmpty() ? Encodings.NAMES
                    : encodings.stream().map(Encodings::require).distinct().toList();
        }
    }

    static final String[] ROPE_SCALINGS = {"rope+pi", "rope+ntk", "rope+dynamic", "rope+yarn"};
    /** HF {@code rope_scaling.factor} of the dynamic-NTK evaluation (a fixed config, as a user would set it). */
    static final double DYNAMIC_FACTOR = 2;
    static final int CNN_EVAL_WINDOWS = 64;
    static final float CNN_LEARNING_RATE = 3e-3f;

    private final Options options;
    private final LabPreset preset;
    private final Corpus corpus;
    private final PrintWriter err;
    private final ObjectMapper json = LabJson.MAPPER;
    private final Path runs;
    private Engine engine;
    private ProgressBar bar;

    private Lab(Options options, Corpus corpus, PrintWriter err) {
        this.options = options;
        this.preset = options.preset();
        this.corpus = corpus;
        this.err = err;
        this.runs = options.out().resolve("runs");
    }

    /** Runs the lab; progress goes to {@code err}. Returns the summary object. */
    public static Map<String, Object> run(Options options, PrintWriter err) {
        Corpus corpus = options.corpusFile() == null ? Corpus.europarl() : Corpus.fromFile(options.corpusFile());
        int longest = options.preset().train().seqLen()
                * options.preset().extrapolationFactors().stream().mapToInt(Integer::intValue).max().orElse(1);
        corpus.requireWindow(longest);
        Lab lab = new Lab(options, corpus, err);
        if (!options.encodings().contains("nope")) {
            throw new IllegalArgumentException("--encodings must include nope (the baseline of the overhead experiment)");
        }
        lab.checkOutputFolder();
        return lab.execute();
    }

    private void checkOutputFolder() {
        if (!options.resume() && Files.isDirectory(runs)) {
            try (Stream<Path> files = Files.list(runs)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException(options.out() + ": already holds lab runs; pass --resume to "
                            + "continue them, or choose another --out");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record LmJob(String experiment, String encoding, ModelConfig.Attention attention, int seed) {
        String id() {
            return experiment + "-" + encoding + "-s" + seed;
        }
    }

    private record CnnJob(CnnPositionProbe.Padding padding, int seed) {
        String id() {
            return "cnn-" + padding.name().toLowerCase(java.util.Locale.ROOT) + "-s" + seed;
        }
    }

    private Map<String, Object> execute() {
        long started = System.nanoTime();
        engine = LabEngine.start(options.threads());
        List<LmJob> lmJobs = new ArrayList<>();
        for (String encoding : options.encodings()) {
            for (int s = 0; s < preset.seeds(); s++) {
                lmJobs.add(new LmJob("ranking", encoding, ModelConfig.Attention.SOFTMAX, s + 1));
            }
        }
        for (String encoding : List.of("nope", "rope")) {
            for (int s = 0; s < preset.seeds(); s++) {
                lmJobs.add(new LmJob("linear", encoding, ModelConfig.Attention.LINEAR, s + 1));
            }
        }
        List<CnnJob> cnnJobs = new ArrayList<>();
        for (CnnPositionProbe.Padding p : CnnPositionProbe.Padding.values()) {
            for (int s = 0; s < preset.seeds(); s++) {
                cnnJobs.add(new CnnJob(p, s + 1));
            }
        }
        double total = 0;
        double done = 0;
        for (LmJob job : lmJobs) {
            double w = lmWeight(job);
            total += w;
            done += Files.exists(result(job.id())) ? w : 0;
        }
        for (CnnJob job : cnnJobs) {
            total += preset.cnnSteps();
            done += Files.exists(result(job.id())) ? preset.cnnSteps() : 0;
        }
        double overheadWeight = overheadWeight();
        total += overheadWeight;
        done += Files.exists(result("overhead")) ? overheadWeight : 0;
        bar = new ProgressBar(err, total, done);

        Map<String, Map<String, Object>> lmResults = new LinkedHashMap<>();
        try (NDManager root = LabEngine.newManager(engine)) {
            for (LmJob job : lmJobs) {
                lmResults.put(job.id(), cached(job.id(), () -> trainLm(root, job)));
            }
            Map<String, Map<String, Object>> cnnResults = new LinkedHashMap<>();
            for (CnnJob job : cnnJobs) {
                cnnResults.put(job.id(), cached(job.id(), () -> trainCnn(root, job)));
            }
            Map<String, Object> overhead = cached("overhead", () -> Overhead.measure(engine, corpus, preset,
                    options.encodings(),
                    units -> bar.advance(units, "overhead timings")));
            bar.finish();

            Map<String, Object> experiments = new LinkedHashMap<>();
            LabReport report = new LabReport(preset, options.encodings(), lmResults, cnnResults);
            experiments.put("ranking", report.ranking());
            experiments.put("extrapolation", report.extrapolation());
            experiments.put("learnable_theta", report.learnableTheta(
                    CoreTables.ropeDefault(preset.model().headDim(), Rotary.THETA).invFreq()));
            experiments.put("linear_attention", report.linearAttention());
            experiments.put("cnn_position", report.cnnPosition());
            experiments.put("overhead", overhead);
            for (Map.Entry<String, Object> e : experiments.entrySet()) {
                if (e.getValue() != null) {
                    writeJson(options.out().resolve(e.getKey() + ".json"), e.getValue());
                }
            }
            LabPlots.writeAll(options.out().resolve("plots"), experiments);

            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("preset", preset.name());
            summary.put("corpus", Map.of("name", corpus.name(), "train_bytes", corpus.train().length,
                    "validation_bytes", corpus.validation().length));
            summary.put("engine", LabEngine.describe(engine));
            summary.put("model", preset.model());
            summary.put("train", preset.train());
            summary.put("seconds_this_invocation", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
            summary.put("experiments", experiments);
            writeJson(options.out().resolve("lab.json"), summary);
            return summary;
        }
    }

    private double lmWeight(LmJob job) {
        double perStep = switch (job.encoding()) {
            case "floater" -> 2.0;
            case "shaw", "kerple", "deberta", "transformer-xl", "fire" -> 1.3;
            default -> 1.0;
        };
        return perStep * preset.train().steps() + 20;
    }

    private double overheadWeight() {
        return options.encodings().size() * preset.overheadSteps() * 1.5 + 20;
    }

    private Path result(String id) {
        return runs.resolve(id + ".json");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> cached(String id, java.util.function.Supplier<Map<String, Object>> compute) {
        Path file = result(id);
        if (Files.exists(file)) {
            try {
                return json.readValue(file.toFile(), Map.class);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": corrupt run result (" + LabJson.oneLine(e)
                        + "); delete it to recompute that run");
            }
        }
        Map<String, Object> value = compute.get();
        writeJson(file, value);
        try {
            Files.deleteIfExists(runs.resolve(id + ".ckpt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return value;
    }

    private void writeJson(Path file, Object value) {
        AtomicFiles.write(file, LabJson.write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Map<String, Object> trainLm(NDManager root, LmJob job) {
        long t0 = System.nanoTime();
        ModelConfig model = new ModelConfig(preset.model().dModel(), preset.model().layers(), preset.model().heads(),
                job.attention());
        TrainConfig train = preset.train();
        double weight = lmWeight(job);
        double perStep = (weight - 20) / train.steps();
        try (TrainingRun run = new TrainingRun(root, corpus, model, train, job.encoding(), job.seed())) {
            Path checkpoint = runs.resolve(job.id() + ".ckpt");
            if (run.resumeFrom(checkpoint)) {
                bar.advance(run.completedSteps() * perStep, job.id() + " resumed");
            }
            String label = job.experiment() + " " + job.encoding() + " seed " + job.seed();
            run.train(checkpoint, (step, steps, loss) -> bar.advance(perStep, String.format(java.util.Locale.ROOT,
                    "%s step %d/%d loss %.3f", label, step, steps, loss)));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("encoding", job.encoding());
            r.put("attention", job.attention().name().toLowerCase(java.util.Locale.ROOT));
            r.put("seed", job.seed());
            r.put("steps", train.steps());
            TinyLm lm = run.model();
            int l = train.seqLen();
            r.put("val_ppl", Evaluation.perplexity(lm, root, corpus.validation(), l, preset.evalTokens()));
            if (job.experiment().equals("ranking")) {
                List<Integer> lens = preset.extrapolationFactors().stream().map(f -> f * l).toList();
                r.put("eval_lens", lens);
                Map<String, List<Double>> ppl = new LinkedHashMap<>();
                ppl.put(job.encoding(), lens.stream()
                        .map(n -> Evaluation.perplexity(lm, root, corpus.validation(), n, preset.evalTokens()))
                        .toList());
                if (job.encoding().equals("rope")) {
                    for (String scaling : ROPE_SCALINGS) {
                        ppl.put(scaling, lens.stream().map(n -> Evaluation.perplexity(
                                lm.withEncoding(scaledRope(run, scaling, l, n)), root, corpus.validation(), n,
                                preset.evalTokens())).toList());
                    }
                }
                r.put("ppl", ppl);
                if (lm.encoding() instanceof RotaryLearnedTheta learned) {
                    List<Double> theta = new ArrayList<>();
                    for (float v : learned.theta().toFloatArray()) {
                        theta.add((double) v);
                    }
                    r.put("theta", theta);
                }
            }
            bar.advance(20, job.id() + " evaluated");
            r.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            return r;
        }
    }

    /** RoPE at inference with posenc-core's scaled frequencies for windows of {@code evalLen} (trained at L). */
    private Rotary scaledRope(TrainingRun run, String scaling, int trainLen, int evalLen) {
        int hd = preset.model().headDim();
        double factor = (double) evalLen / trainLen;
        IntFunction<RotaryFrequencies> f = switch (scaling) {
            case "rope+pi" -> t -> CoreTables.ropeLinear(hd, Rotary.THETA, factor);
            case "rope+ntk" -> t -> CoreTables.ropeNtk(hd, Rotary.THETA, factor);
            case "rope+dynamic" -> t -> CoreTables.ropeDynamic(hd, Rotary.THETA, DYNAMIC_FACTOR, trainLen, t);
            case "rope+yarn" -> t -> CoreTables.ropeYarn(hd, Rotary.THETA, factor, trainLen);
            default -> throw new IllegalArgumentException(scaling);
        };
        return Rotary.withFrequencies(scaling + "@" + evalLen, run.model().parameters(), hd, f);
    }

    private Map<String, Object> trainCnn(NDManager root, CnnJob job) {
        long t0 = System.nanoTime();
        int t = preset.train().seqLen();
        try (CnnPositionProbe probe = new CnnPositionProbe(root, job.padding(), t, preset.cnnChannels(), job.seed())) {
            String label = "cnn " + job.padding().name().toLowerCase(java.util.Locale.ROOT) + " seed " + job.seed();
            probe.train(corpus, preset.train().batch(), preset.cnnSteps(), CNN_LEARNING_RATE, job.seed(),
                    (step, steps, loss) -> bar.advance(1, String.format(java.util.Locale.ROOT,
                            "%s step %d/%d loss %.3f", label, step, steps, loss)));
            double[] eval = probe.evaluate(corpus, CNN_EVAL_WINDOWS);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("padding", job.padding().name().toLowerCase(java.util.Locale.ROOT));
            r.put("seed", job.seed());
            r.put("layers", probe.layers());
            r.put("accuracy", eval[0]);
            r.put("mean_abs_error", eval[1]);
            r.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            return r;
        }
    }
}
