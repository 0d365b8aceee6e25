package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.logits.AttentionPositions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The streaming kernel equals the materialising reference for every logit/value encoding and geometry. */
class StreamingAttentionTest {
    /** The bound: streaming vs reference, relative to each output row's largest entry. */
    static final double STREAMING_REL_TOL = 1e-5;

    /** Heads/key-value heads (MHA, GQA, MQA), causal or not, and positions that leave partial tiles. */
    static Stream<Arguments> geometries() {
        List<Arguments> list = new ArrayList<>();
        int[][] heads = {{4, 4}, {4, 2}, {4, 1}};
        AttentionPositions[] positions = {
            AttentionPositions.selfAttention(1),
            AttentionPositions.selfAttention(45),
            AttentionPositions.selfAttention(200),
            new AttentionPositions(37, 170, 133),
            new AttentionPositions(3, 150, 20),
        };
        long seed = 100;
        for (boolean causal : new boolean[] {true, false}) {
            for (int[] h : heads) {
                for (AttentionPositions p : positions) {
                    if (p.queryLength() == 3 && causal) {
                        continue;
                    }
                    list.add(Arguments.of(causal, h[0], h[1], p, seed++));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "causal={0} heads={1}/{2} {3}")
    @MethodSource("geometries")
    void streamingEqualsReferenceForEveryEncoding(boolean causal, int heads, int kvHeads, AttentionPositions positions,
                                                  long seed) {
        int headDim = 16;
        SplittableRandom random = new SplittableRandom(seed);
        AttentionInputs inputs = new AttentionInputs(
                EncodingFixtures.gaussian(random, positions.queryLength() * heads * headDim),
                EncodingFixtures.gaussian(random, positions.keyLength() * kvHeads * headDim),
                EncodingFixtures.gaussian(random, positions.keyLength() * kvHeads * headDim), positions);
        List<EncodingFixtures.Named> all = EncodingFixtures.all(heads, headDim, causal, seed);
        for (EncodingFixtures.Named named : all) {
            AttentionSpec spec = new AttentionSpec(heads, kvHeads, headDim, causal, named.softmaxScale());
            float[] reference = new ReferenceAttention(spec, named.encodings()).attend(inputs);
            StreamingAttention streaming = new StreamingAttention(spec, named.encodings());
            String what = named + " seed " + seed;
            Outputs.assertClose(reference, streaming.attend(inputs), headDim, STREAMING_REL_TOL, "streaming " + what);
            Outputs.assertClose(reference, streaming.scalar().attend(inputs), headDim, STREAMING_REL_TOL,
                    "scalar streaming " + what);
        }
        assertTrue(all.size() >= (causal ? 13 : 11), "every encoding was checked");
    }
}
