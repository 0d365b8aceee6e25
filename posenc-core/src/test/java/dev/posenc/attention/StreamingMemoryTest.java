package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.T5Buckets;
import java.lang.reflect.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming kernel never holds the S × S scores: what one call allocates grows like S·d, not S². Bytes are
 * counted by the JVM per thread ({@code com.sun.management.ThreadMXBean}, reached reflectively because
 * {@code dev.posenc.core} does not read {@code jdk.management}). The scalar kernel is measured: before the JIT
 * compiles them, Vector API operations box their vectors on the heap, which says nothing about the algorithm.
 */
class StreamingMemoryTest {
    static final int SEQ_LEN = 4096;
    static final int HEAD_DIM = 16;
    /** A quarter of one S × S float matrix: far above O(S·d) (copies of q, k, v, output, a 2S bias table). */
    static final long MAX_BYTES = (long) SEQ_LEN * SEQ_LEN * Float.BYTES / 4;

    @Test
    void oneCallAllocatesFarLessThanTheScoreMatrix() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> extended = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(extended.isInstance(bean), "allocation counting not supported by this JVM");
        Method allocatedBytes = extended.getMethod("getCurrentThreadAllocatedBytes");
        SplittableRandom random = new SplittableRandom(9);
        AttentionInputs inputs = AttentionInputs.selfAttention(EncodingFixtures.gaussian(random, SEQ_LEN * HEAD_DIM),
                EncodingFixtures.gaussian(random, SEQ_LEN * HEAD_DIM), EncodingFixtures.gaussian(random, SEQ_LEN * HEAD_DIM),
                SEQ_LEN);
        AttentionSpec spec = AttentionSpec.of(1, 1, HEAD_DIM, true);
        for (AttentionEncodings encodings : new AttentionEncodings[] {
            AttentionEncodings.none(),
            AttentionEncodings.ofBias(AlibiBias.causal(1)),
            AttentionEncodings.ofBias(EncodingFixtures.t5(1, new T5Buckets(32, 128, false), random))}) {
            StreamingAttention attention = new StreamingAttention(spec, encodings).scalar();
            long before = (long) allocatedBytes.invoke(bean);
            attention.attend(inputs);
            long allocated = (long) allocatedBytes.invoke(bean) - before;
            assumeTrue(before >= 0, "allocation counting disabled");
            assertTrue(allocated < MAX_BYTES, encodings + ": allocated " + allocated + " bytes, S² floats would be "
                    + 4L * SEQ_LEN * SEQ_LEN);
        }
    }
}
