package dev.posenc.lab;

import ai.djl.engine.Engine;
import dev.posenc.lab.encoding.Encodings;
import java.util.Locale;

/**
 * Training throughput of the lab's model (the Java side of {@code scripts/lab/throughput.sh}; the Python side is
 * {@code scripts/lab/throughput.py}, the same model in PyTorch). Batches are random bytes, as in the Python script.
 * Prints one JSON line. Arguments as the Python script: {@code --threads --steps --warmup --batch --seq-len
 * --d-model --layers --heads --encoding}; {@code --encoding all} prints the step cost of every encoding instead
 * (three interleaved rounds, medians), which is how the presets were sized.
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) {
        int threads = 2, steps = 50, warmup = 10, batch = 16, seqLen = 64, dModel = 128, layers = 2, heads = 4;
        String encoding = "rope";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--seq-len" -> seqLen = Integer.parseInt(v);
                case "--d-model" -> dModel = Integer.parseInt(v);
                case "--layers" -> layers = Integer.parseInt(v);
                case "--heads" -> heads = Integer.parseInt(v);
                case "--encoding" -> encoding = v.equals("all") ? v : Encodings.require(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Engine engine = LabEngine.start(threads);
        byte[] random = new byte[1 << 20];
        new java.util.SplittableRandom(0).nextBytes(random);
        Corpus corpus = Corpus.split("random bytes", random);
        ModelConfig model = new ModelConfig(dModel, layers, heads, ModelConfig.Attention.SOFTMAX);
        TrainConfig train = new TrainConfig(seqLen, batch, warmup + steps, 1e-3f, 0, 0.1f, 0);
        if (encoding.equals("all")) {
            // Step cost of every encoding, three interleaved rounds (medians), for sizing presets.
            java.util.Map<String, double[]> ms = new java.util.LinkedHashMap<>();
            for (int round = 0; round < 3; round++) {
                for (String e : Encodings.NAMES) {
                    ms.computeIfAbsent(e, k -> new double[3])[round] =
                            StepTimer.millisPerStep(engine, corpus, model, train, e, warmup, steps);
                }
            }
            ms.forEach((e, v) -> System.out.println(String.format(Locale.ROOT,
                    "{\"encoding\": \"%s\", \"ms_per_step_median\": %.3f, \"rounds\": %s}", e,
                    Overhead.median(v), java.util.Arrays.toString(v))));
            return;
        }
        double msPerStep = StepTimer.millisPerStep(engine, corpus, model, train, encoding, warmup, steps);
        double tokensPerSecond = 1000.0 * batch * seqLen / msPerStep;
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"djl-java\", \"engine\": \"%s\", \"threads\": %d, \"encoding\": \"%s\", \"batch\": %d, "
                        + "\"seq_len\": %d, \"d_model\": %d, \"layers\": %d, \"heads\": %d, \"steps\": %d, "
                        + "\"tokens_per_s\": %.1f, \"ms_per_step\": %.3f}",
                engine.getEngineName() + " " + engine.getVersion(), threads, encoding, batch, seqLen, dModel, layers,
                heads, steps, tokensPerSecond, msPerStep));
    }
}
