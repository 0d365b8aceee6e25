package dev.posenc.lab;

import ai.djl.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Shared fixtures: the engine (2 threads) and a small synthetic corpus. */
public final class LabTestSupport {
    private LabTestSupport() {}

    public static Engine engine() {
        return LabEngine.start(Integer.getInteger("lab.test.threads", 2));
    }

    /** ~40 kB of pseudo-text with repeated words, so a model can learn something in a few steps. */
    static byte[] text() {
        String[] words = {"the ", "rotary ", "position ", "encoding ", "of ", "a ", "token ", "is ", "relative ", "\n"};
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 40_000) {
            sb.append(words[random.nextInt(words.length)]);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Corpus corpus() {
        return Corpus.split("synthetic", text());
    }
}
