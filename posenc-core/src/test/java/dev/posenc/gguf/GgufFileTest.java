package dev.posenc.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.config.ConfigException;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.testing.GgufFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GgufFileTest {
    @TempDir
    Path dir;

    static Stream<Path> fixtures() throws IOException {
        Path root = GgufFolder.find().orElse(null);
        Assumptions.assumeTrue(root != null, "shared gguf fixtures absent");
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
            assertEquals(48, all.size(), "11 vocab files and 37 converted ones");
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureLoads(Path gguf) {
        GgufFile f = GgufFile.read(gguf);
        assertEquals(3, f.version());
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.byteOrder());
        assertEquals(32, f.alignment());
        assertTrue(f.string("general.architecture").isPresent());
        PositionConfig c = GgufConfig.load(gguf);
        String expectedKind = switch (c.modelType()) {
            case "bert" -> "learned_absolute";
            case "mpt", "bloom" -> "alibi";
            case "t5" -> "t5_relative_bias";
            default -> "rope";
        };
        assertEquals(expectedKind, c.encoding().kind(), gguf.toString());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private ConfigException fails(byte[] bytes) throws IOException {
        Path p = write("hostile.gguf", bytes);
        ConfigException e = assertThrows(ConfigException.class, () -> GgufConfig.load(p));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e;
    }

    @Test
    void readsEveryValueTypeInBothByteOrdersAndBothVersions() throws IOException {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (int version : new int[] {2, 3}) {
                GgufBuilder b = GgufBuilder.llama(order, version).alignment(64);
                b.raw("t.u8", 0, b.u8(200)).raw("t.i8", 1, b.u8(-3)).raw("t.u16", 2, b.u16(65000))
                        .raw("t.i16", 3, b.u16(-2)).raw("t.i32", 5, b.u32(-7)).raw("t.bool", 7, b.u8(1))
                        .raw("t.u64", 10, b.u64(-1)).raw("t.i64", 11, b.u64(-9))
                        .raw("t.f64", 12, b.u64(Double.doubleToLongBits(0.1)));
                ByteArrayOutputStream nested = new ByteArrayOutputStream();
                nested.writeBytes(b.u32(9));
                nested.writeBytes(b.u64(2));
                for (int i = 0; i < 2; i++) {
                    nested.writeBytes(b.u32(8));
                    nested.writeBytes(b.u64(1));
                    nested.writeBytes(b.str("s" + i));
                }
                b.raw("t.nested", 9, nested.toByteArray());
                b.f32Tensor("rope_freqs.weight", ones(32)).f32Tensor("x", 1f, 2f);
                GgufFile f = GgufFile.read(write("all.gguf", b.build()));
                assertEquals(version, f.version());
                assertEquals(order, f.byteOrder());
                assertEquals(64, f.alignment());
                Map<String, GgufValue> m = f.metadata();
                assertEquals(200, ((GgufValue.Int) m.get("t.u8")).value());
                assertEquals(-3, ((GgufValue.Int) m.get("t.i8")).value());
                assertEquals(65000, ((GgufValue.Int) m.get("t.u16")).value());
                assertEquals(-2, ((GgufValue.Int) m.get("t.i16")).value());
                assertEquals(-7, ((GgufValue.Int) m.get("t.i32")).value());
                assertEquals("18446744073709551615", m.get("t.u64").toString());
                assertEquals(-9, ((GgufValue.Int) m.get("t.i64")).value());
                assertEquals(0.1, ((GgufValue.Real) m.get("t.f64")).value());
                assertEquals(new GgufValue.Bool(true), m.get("t.bool"));
                GgufValue.Array outer = (GgufValue.Array) m.get("t.nested");
                assertEquals(GgufType.ARRAY, outer.elementType());
                assertEquals(new GgufValue.Text("s1"),
                        ((GgufValue.Array) outer.elements().get(1)).elements().get(0));
                assertArrayEquals(new float[] {1f, 2f}, f.readF32("x"));
                assertEquals(f.dataOffset() + 128, f.tensor("x").orElseThrow().fileOffset());
                assertEquals(500000f, GgufConfig.model(f.path()).ropeCall(0, 0).freqBase());
            }
        }
    }

    @Test
    void llamaSemanticsOfAMinimalFile() throws IOException {
        Path p = write("m.gguf", GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).build());
        PositionConfig c = GgufConfig.load(p);
        RopeEncoding rope = assertInstanceOf(RopeEncoding.class, c.encoding());
        assertEquals(64, rope.spec().headDim());
        assertEquals(64, rope.spec().rotaryDim());
        assertEquals(RopeLayout.INTERLEAVED, rope.spec().layout());
        assertEquals(500000.0, rope.spec().ropeTheta());
        assertEquals("llama", c.modelType());
    }

    @Test
    void hostileHeaders() throws IOException {
        byte[] good = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).f32Tensor("rope_freqs.weight", ones(32)).build();
        byte[] bad = good.clone();
        bad[0] = 'X';
        assertTrue(fails(bad).getMessage().contains("byte 0: expected the magic \"GGUF\""));
        bad = good.clone();
        bad[4] = 1;
        assertTrue(fails(bad).getMessage().contains("byte 4: expected GGUF version 2 or 3"));
        bad = good.clone();
        bad[4] = 4;
        assertTrue(fails(bad).getMessage().contains("byte 4: expected GGUF version 2 or 3"));
        bad = good.clone();
        bad[23] = 0x10; // kv count 2^60
        assertTrue(fails(bad).getMessage().contains("byte 16: expected a key-value count of at most"));
        bad = good.clone();
        bad[15] = 0x7f; // tensor count
        assertTrue(fails(bad).getMessage().contains("byte 8: expected a tensor count of at most"));
        // every truncation of a valid file is an error at a byte offset inside it
        for (int n = 0; n < good.length - 1; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            ConfigException e = fails(cut);
            assertTrue(e.getMessage().matches(".*: byte \\d+: expected .*"), e.getMessage());
        }
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }

    @Test
    void hostileValues() throws IOException {
        GgufBuilder b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.raw("t.str", 8, b.u64(1L << 40));
        assertTrue(fails(b.build()).getMessage().contains("expected t.str length of at most"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.raw("t.what", 13, b.u32(0));
        assertTrue(fails(b.build()).getMessage().contains("expected the type of \"t.what\": a GGUF value type 0-12, got 13"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).u32("llama.context_length", 8);
        assertTrue(fails(b.build()).getMessage().contains("expected unique keys, got a second \"llama.context_length\""));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        ByteArrayOutputStream arr = new ByteArrayOutputStream();
        arr.writeBytes(b.u32(4));
        arr.writeBytes(b.u64(1L << 33));
        b.raw("t.arr", 9, arr.toByteArray());
        assertTrue(fails(b.build()).getMessage().contains("expected t.arr: an element count of at most"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.raw("t.bool", 7, b.u8(2));
        assertTrue(fails(b.build()).getMessage().contains("expected t.bool: a BOOL 0 or 1, got 2"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            deep.writeBytes(b.u32(9));
            deep.writeBytes(b.u64(1));
        }
        b.raw("t.deep", 9, deep.toByteArray());
        assertTrue(fails(b.build()).getMessage().contains("arrays nested at most 16 deep"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).u32("general.alignment", 48);
        assertTrue(fails(b.build()).getMessage().contains("general.alignment: expected a UINT32 power of two"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).string("llama.rope.scaling.type", "dynamic");
        assertTrue(fails(b.build()).getMessage().contains("llama.rope.scaling.type: expected none, linear, yarn or longrope"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).f32("llama.rope.scaling.factor", Float.NaN);
        assertTrue(fails(b.build()).getMessage().contains("llama.rope.scaling.factor: expected a finite FLOAT32"));
    }

    @Test
    void hostileTensors() throws IOException {
        GgufBuilder b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {1, 1, 1, 1, 1}, 0, 0, new byte[4]);
        assertTrue(fails(b.build()).getMessage().contains("expected a dimension count in [1, 4] for a, got 5"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {4}, 4, 0, new byte[16]);
        assertTrue(fails(b.build()).getMessage().contains("expected a ggml tensor type for a, got type id 4"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {4}, 0, 0, new byte[16]).tensor("b", new long[] {4}, 0, 0, new byte[16]);
        assertTrue(fails(b.build()).getMessage().contains("expected data offset 32 for b"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {4}, 0, 64, new byte[16]);
        assertTrue(fails(b.build()).getMessage().contains("expected data offset 0 for a"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {1000}, 0, 0, new byte[16]);
        assertTrue(fails(b.build()).getMessage().contains("inside the file"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {1L << 40, 1L << 40}, 0, 0, new byte[16]);
        assertTrue(fails(b.build()).getMessage().contains("whose size fits in 2^63 bytes"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {33}, 2, 0, new byte[32]);
        assertTrue(fails(b.build()).getMessage().contains("a multiple of Q4_0's block size 32"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("a", new long[] {4}, 0, 0, new byte[16]).tensor("a", new long[] {4}, 0, 32, new byte[16]);
        assertTrue(fails(b.build()).getMessage().contains("expected unique tensor names"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("rope_freqs.weight", new long[] {4}, 0, 0, new byte[16]);
        assertTrue(fails(b.build()).getMessage().contains("expected n_rot/2 = 32 F32 values"));
        b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).f32Tensor("rope_freqs.weight", new float[32]);
        assertTrue(fails(b.build()).getMessage().contains("rope_freqs.weight[0]: expected a finite factor > 0, got 0.0"));
    }

    /**
     * Seeded mutations of real fixtures (byte flips, runs of 0xFF, truncations): every one either loads or fails
     * with a one-line {@link ConfigException} naming the file; nothing else escapes.
     */
    @Test
    void fuzz() throws IOException {
        Path root = GgufFolder.find().orElse(null);
        Assumptions.assumeTrue(root != null, "shared gguf fixtures absent");
        List<Path> seeds;
        try (Stream<Path> s = Files.list(root.resolve("converted"))) {
            seeds = s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
        SplittableRandom random = new SplittableRandom(20240612);
        int loaded = 0;
        int rejected = 0;
        Path target = dir.resolve("fuzz.gguf");
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = Files.readAllBytes(seeds.get(random.nextInt(seeds.size())));
            switch (random.nextInt(3)) {
                case 0 -> {
                    for (int k = 1 + random.nextInt(4); k > 0; k--) {
                        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    int at = random.nextInt(bytes.length);
                    for (int k = 0; k < 8 && at + k < bytes.length; k++) {
                        bytes[at + k] = (byte) 0xFF;
                    }
                }
                default -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            Files.write(target, bytes);
            try {
                GgufConfig.load(target);
                loaded++;
            } catch (ConfigException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertTrue(e.getMessage().startsWith(target + ": "), e.getMessage());
                rejected++;
            }
        }
        assertTrue(loaded > 0 && rejected > 0, loaded + " loaded, " + rejected + " rejected");
    }

    /**
     * A file whose weights would lie 100 GB before its rope factors (a sparse file: the test writes only the
     * header and the factors): the header and the one F32 tensor are all that is read.
     */
    @Test
    void aHundredGigabyteFileReadsOnlyItsHeaderAndRopeFactors() throws IOException {
        long weights = 100L << 30;
        GgufBuilder b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("blk.0.weights", new long[] {weights / 2}, 1, 0, new byte[0]);
        b.tensor("rope_freqs.weight", new long[] {32}, 0, weights, new byte[0]);
        byte[] header = b.header();
        Path p = dir.resolve("sparse.gguf");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(header);
            f.seek(header.length + weights);
            f.write(b.floats(ones(32)));
            assertEquals(header.length + weights + 128, f.length());
        }
        GgufFile file = GgufFile.read(p);
        assertTrue(file.headerBytesRead() <= 64 * 1024, file.headerBytesRead() + " bytes read");
        assertEquals(header.length + weights, file.tensor("rope_freqs.weight").orElseThrow().fileOffset());
        GgmlRopeCall call = LlamaCppModel.of(file).ropeCall(0, 0);
        assertArrayEquals(ones(32), call.freqFactors());
    }

    /** A file read under another name (an upload in a temporary file) is named so in every message. */
    @Test
    void messagesNameTheGivenSource() throws IOException {
        Path p = write("tmp-4711.gguf", new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1, 2});
        ConfigException e = assertThrows(ConfigException.class, () -> GgufConfig.model(p, "upload.gguf"));
        assertEquals("upload.gguf: byte 8: expected a tensor count (8 bytes), got the end of the file (2 bytes left)",
                e.getMessage());
        GgufBuilder b = GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3);
        b.tensor("rope_freqs.weight", new long[] {32}, 0, 0, new byte[0]);
        Path truncated = write("tmp-4712.gguf", b.header());
        ConfigException f = assertThrows(ConfigException.class,
                () -> GgufConfig.model(truncated, "llama.gguf").positionConfig(0));
        assertTrue(f.getMessage().startsWith("llama.gguf: byte "), f.getMessage());
    }
}
