package dev.posenc.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.encoding.CoreTables;
import dev.posenc.lab.encoding.Rotary;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Experiment 6, what positions cost: (a) wall time of one training step of the preset's model with each encoding,
 * relative to NoPE (EleutherAI: RoPE costs 1–3% of a whole model); (b) RoPE alone on queries and keys of
 * EleutherAI's benchmark shape {@code [tokens, batch, heads, headDim]}: an additive encoding ({@code x + table}),
 * RoPE the naive Hugging Face way as separate tensor ops ({@code x·cos + rotate_half(x)·sin}, DJL), and RoPE fused
 * into one in-place pass over memory (posenc-core's {@code RotaryEmbedding} kernel on the JVM, Vector API when the
 * incubator module is resolved). EleutherAI reports naive 4–5× and fused
 * 2–2.5× an additive encoding. Step times are medians of {@value #ROUNDS} interleaved rounds (so a burst of load
 * from other processes falls on one round, not on one encoding); RoPE-alone times are medians of repeats.
 */
final class Overhead {
    /** Interleaved rounds over all encodings; each encoding's step time is the median of its rounds. */
    static final int ROUNDS = 3;

    private Overhead() {}

    static Map<String, Object> measure(Engine engine, Corpus corpus, LabPreset preset, List<String> encodings,
                                       DoubleConsumer progress) {
        int steps = preset.overheadSteps();
        int warmup = Math.max(1, steps / 2);
        Map<String, double[]> rounds = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String encoding : encodings) {
                rounds.computeIfAbsent(encoding, e -> new double[ROUNDS])[round] = StepTimer.millisPerStep(engine,
                        corpus, preset.model(), preset.train(), encoding, warmup, steps);
                progress.accept(steps * 1.5 / ROUNDS);
            }
        }
        Map<String, Double> stepMs = new LinkedHashMap<>();
        rounds.forEach((encoding, ms) -> stepMs.put(encoding, median(ms)));
        double nope = stepMs.get("nope");
        List<Map<String, Object>> perEncoding = new ArrayList<>();
        for (Map.Entry<String, Double> e : stepMs.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("encoding", e.getKey());
            r.put("step_ms", e.getValue());
            r.put("relative_to_nope", e.getValue() / nope);
            perEncoding.add(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", preset.model());
        out.put("batch", preset.train().batch());
        out.put("seq_len", preset.train().seqLen());
        out.put("timed_steps", steps);
        out.put("rounds", ROUNDS);
        out.put("step", perEncoding);
        out.put("rope_whole_model_overhead", stepMs.containsKey("rope") ? stepMs.get("rope") / nope - 1 : null);
        out.put("rope_apply", ropeApply(engine, preset));
        progress.accept(20);
        return out;
    }

    private static Map<String, Object> ropeApply(Engine engine, LabPreset preset) {
        List<Integer> shape = preset.ropeApplyShape();
        int tokens = shape.get(0);
        int rows = shape.get(1) * shape.get(2);
        int headDim = shape.get(3);
        int repeats = preset.ropeApplyRepeats();
        float[] values = new float[rows * tokens * headDim];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        RotaryFrequencies frequencies = CoreTables.ropeDefault(headDim, Rotary.THETA);
        float[][] cosSin = CoreTables.ropeCosSin(frequencies, tokens);
        double[] additive = new double[repeats];
        double[] naive = new double[repeats];
        double[] fused = new double[repeats];
        try (NDManager manager = LabEngine.newManager(engine)) {
            Shape s = new Shape(shape.get(1), shape.get(2), tokens, headDim);
            NDArray q = OwnedTensors.floats(manager, values, s);
            NDArray k = OwnedTensors.floats(manager, values, s);
            NDArray cos = OwnedTensors.floats(manager, cosSin[0], new Shape(tokens, headDim));
            NDArray sin = OwnedTensors.floats(manager, cosSin[1], new Shape(tokens, headDim));
            NDArray table = OwnedTensors.floats(manager, CoreTables.sinusoidalInterleaved(tokens, headDim),
                    new Shape(tokens, headDim));
            float[] qj = values.clone();
            float[] kj = values.clone();
            for (int r = -2; r < repeats; r++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long t0 = System.nanoTime();
                    q.add(table).getFloat(0, 0, 0, 0);
                    k.add(table).getFloat(0, 0, 0, 0);
                    long t1 = System.nanoTime();
                    Rotary.rotate(q, cos, sin).getFloat(0, 0, 0, 0);
                    Rotary.rotate(k, cos, sin).getFloat(0, 0, 0, 0);
                    long t2 = System.nanoTime();
                    CoreTables.ropeApplyInPlace(frequencies, qj, kj, rows, tokens);
                    long t3 = System.nanoTime();
                    if (r >= 0) {
                        additive[r] = (t1 - t0) / 1e6;
                        naive[r] = (t2 - t1) / 1e6;
                        fused[r] = (t3 - t2) / 1e6;
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("shape", shape);
        out.put("repeats", repeats);
        double a = median(additive);
        double n = median(naive);
        double f = median(fused);
        out.put("additive_ms", a);
        out.put("naive_ms", n);
        out.put("fused_ms", f);
        out.put("naive_vs_additive", n / a);
        out.put("fused_vs_additive", f / a);
        return out;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
