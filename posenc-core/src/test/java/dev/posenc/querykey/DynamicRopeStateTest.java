package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Growth and reset of dynamic NTK as HF's {@code dynamic_rope_update} does it, with transformers #25306/#46624 fixed. */
class DynamicRopeStateTest {
    private static final RopeSpec SPEC = new RopeSpec(128, 128, RopeLayout.HALF, 1e4, 4096, new RopeScaling.Dynamic(2));

    @Test
    void startsWithTheOriginalFrequencies() {
        DynamicRopeState state = new DynamicRopeState(SPEC);
        assertEquals(SPEC.frequencies(), state.current());
        assertEquals(4096, state.maxSeqLenCached());
        assertSame(state.current(), state.update(100));
        assertEquals(4096, state.maxSeqLenCached());
    }

    @Test
    void growsAboveTheCachedLengthOnly() {
        DynamicRopeState state = new DynamicRopeState(SPEC);
        RotaryFrequencies at6000 = state.update(6000);
        assertEquals(SPEC.frequencies(6000), at6000);
        assertEquals(6000, state.maxSeqLenCached());
        assertSame(at6000, state.update(5000), "shorter than the cached length but above maxpos: no change");
        assertSame(at6000, state.update(4096), "exactly maxpos: HF resets only below it");
        RotaryFrequencies at8192 = state.update(8192);
        assertEquals(SPEC.frequencies(8192), at8192);
        assertNotEquals(at6000, at8192);
    }

    @Test
    void aShortPassAfterALongOneGetsTheOriginalFrequenciesBack() {
        // transformers #25306: a long prompt must not change later short generations; PR #46624's
        // "None_max_seq_len_cached" made the reset unreachable. Here it runs.
        DynamicRopeState state = new DynamicRopeState(SPEC);
        state.update(10000);
        RotaryFrequencies afterReset = state.update(4095);
        assertEquals(SPEC.frequencies(), afterReset);
        assertEquals(4096, state.maxSeqLenCached());
        assertEquals(SPEC.frequencies(4097), state.update(4097), "and grows again from the original length");
    }

    @Test
    void instancesAreIndependent() {
        DynamicRopeState a = new DynamicRopeState(SPEC);
        DynamicRopeState b = new DynamicRopeState(SPEC);
        a.update(20000);
        assertEquals(SPEC.frequencies(), b.current());
    }

    @Test
    void rejectsNonDynamicSpecsAndEmptyPasses() {
        RopeSpec linear = new RopeSpec(64, 64, RopeLayout.HALF, 1e4, 4096, new RopeScaling.Linear(2));
        assertThrows(IllegalArgumentException.class, () -> new DynamicRopeState(linear));
        assertThrows(IllegalArgumentException.class, () -> new DynamicRopeState(SPEC).update(0));
    }
}
