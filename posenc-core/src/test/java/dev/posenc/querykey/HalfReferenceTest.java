package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HalfArithmetic#HF_FORWARD} against torch, <b>bit for bit</b>: the vectors of
 * {@code reference/rope-apply-half/} (Hugging Face's Llama with GQA, YaRN's attention scaling and KV-cache offsets,
 * Phi's partial rotary, GPT-J's interleaved layout, Qwen2-VL's M-RoPE; each in bfloat16 and float16; see its
 * {@code generate.py}). Each torch op is computed in float and rounded to the dtype, and the float32 cos/sin are the
 * same bits as posenc's {@link RotaryPrecision#HF_FLOAT32} rows after the cast (checked first), so exact equality
 * is the right tolerance; both kernels, {@code short[]} and native segments.
 */
class HalfReferenceTest {

    static Stream<Arguments> cases() {
        Map<String, Object> root =
                ReferenceJson.object(ReferenceJson.resource("/reference/rope-apply-half/vectors.json"));
        List<Arguments> out = new ArrayList<>();
        for (Object c : ReferenceJson.list(root.get("cases"))) {
            Map<String, Object> m = ReferenceJson.object(c);
            for (String kernel : new String[] {"scalar", "vector"}) {
                out.add(Arguments.of(m.get("name"), kernel, m));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reproducesHuggingFacesHalfPrecisionForward(String name, String kernelName, Map<String, Object> c) {
        RopeKernel kernel = kernelName.equals("scalar") ? RopeKernel.scalar()
                : RopeKernel.vector().orElseThrow(() -> new AssertionError("vector kernel missing"));
        HalfFloat format = c.get("dtype").equals("bfloat16") ? HalfFloat.BFLOAT16 : HalfFloat.FLOAT16;
        int headDim = num(c, "head_dim");
        int tokens = num(c, "tokens");
        int queryHeads = num(c, "query_heads");
        int keyHeads = num(c, "key_heads");
        RopeLayout layout = c.get("layout").equals("half") ? RopeLayout.HALF : RopeLayout.INTERLEAVED;
        RotaryFrequencies f = new RotaryFrequencies(headDim, num(c, "rotary_dim"), layout,
                ReferenceJson.floats(c.get("inv_freq")), (Double) c.get("attention_scaling"));
        RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f, RotaryPrecision.HF_FLOAT32)).withKernel(kernel)
                .withHalfArithmetic(HalfArithmetic.HF_FORWARD);
        RopePositions positions;
        if (c.containsKey("position_ids")) {
            List<Object> rows = ReferenceJson.list(c.get("position_ids"));
            int[][] ids = new int[rows.size()][];
            for (int a = 0; a < ids.length; a++) {
                ids[a] = ReferenceJson.ints(rows.get(a));
            }
            positions = RopePositions.axes(ids);
            rope = rope.withAxes(RotaryAxes.mrope(
                    ReferenceJson.ints(ReferenceJson.object(c.get("axes")).get("mrope_section"))));
        } else {
            int[] p = ReferenceJson.ints(c.get("positions"));
            positions = RopePositions.of(p);
            checkRowsRoundLikeTorch(f, format, p, c);
        }
        boolean headMajor = c.get("tensor_layout").equals("head_major");
        HeadStrides qs = headMajor ? HeadStrides.headMajor(queryHeads, tokens, headDim)
                : HeadStrides.tokenMajor(queryHeads, headDim);
        HeadStrides ks = headMajor ? HeadStrides.headMajor(keyHeads, tokens, headDim)
                : HeadStrides.tokenMajor(keyHeads, headDim);
        short[] expectedQuery = shorts(c.get("expected_query_bits"));
        short[] expectedKey = shorts(c.get("expected_key_bits"));

        short[] q = shorts(c.get("query_bits"));
        short[] k = shorts(c.get("key_bits"));
        rope.apply(positions, tokens, format, q, qs, k, ks);
        assertArrayEquals(expectedQuery, q, name + " query (short[])");
        assertArrayEquals(expectedKey, k, name + " key (short[])");

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment qSeg = segment(arena, shorts(c.get("query_bits")));
            MemorySegment kSeg = segment(arena, shorts(c.get("key_bits")));
            rope.apply(positions, tokens, format, qSeg, qs, kSeg, ks);
            assertArrayEquals(expectedQuery, qSeg.toArray(ValueLayout.JAVA_SHORT), name + " query (segment)");
            assertArrayEquals(expectedKey, kSeg.toArray(ValueLayout.JAVA_SHORT), name + " key (segment)");
        }
    }

    /** torch's float32 cos/sin, cast to the dtype, are the same bits as posenc's HF_FLOAT32 rows cast. */
    private static void checkRowsRoundLikeTorch(RotaryFrequencies f, HalfFloat format, int[] positions,
                                                Map<String, Object> c) {
        int pairs = f.pairs();
        float[] cos = ReferenceJson.floats(c.get("cos_fp32"));
        float[] sin = ReferenceJson.floats(c.get("sin_fp32"));
        float[] row = new float[2 * pairs];
        for (int t = 0; t < positions.length; t++) {
            RotaryPrecision.HF_FLOAT32.cosSin(f, positions[t], row, 0);
            for (int i = 0; i < pairs; i++) {
                assertArrayEquals(new short[] {format.fromFloat(cos[t * pairs + i]), format.fromFloat(sin[t * pairs + i])},
                        new short[] {format.fromFloat(row[i]), format.fromFloat(row[pairs + i])},
                        "cos/sin of token " + t + " pair " + i);
            }
        }
    }

    static short[] shorts(Object value) {
        int[] ints = ReferenceJson.ints(value);
        short[] out = new short[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = (short) ints[i];
        }
        return out;
    }

    private static MemorySegment segment(Arena arena, short[] x) {
        MemorySegment s = arena.allocate((long) x.length * Short.BYTES, Short.BYTES);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_SHORT, 0, x.length);
        return s;
    }

    private static int num(Map<String, Object> m, String key) {
        return (int) (double) (Double) m.get(key);
    }
}
