package dev.posenc.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes small GGUF files for tests, in either byte order and any version (no validation: it writes hostile files too). */
final class GgufBuilder {
    private final ByteOrder order;
    private final int version;
    private final ByteArrayOutputStream kv = new ByteArrayOutputStream();
    private final ByteArrayOutputStream infos = new ByteArrayOutputStream();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private int kvCount;
    private int tensorCount;
    private int alignment = 32;

    GgufBuilder(ByteOrder order, int version) {
        this.order = order;
        this.version = version;
    }

    static GgufBuilder v3() {
        return new GgufBuilder(ByteOrder.LITTLE_ENDIAN, 3);
    }

    private byte[] num(int bytes, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(order);
        switch (bytes) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            default -> b.putLong(v);
        }
        byte[] out = new byte[bytes];
        b.flip();
        b.get(out);
        return out;
    }

    byte[] str(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(num(8, u.length));
        o.writeBytes(u);
        return o.toByteArray();
    }

    /** A raw value: its type id and encoded bytes. */
    GgufBuilder raw(String key, int type, byte[] value) {
        kv.writeBytes(str(key));
        kv.writeBytes(num(4, type));
        kv.writeBytes(value);
        kvCount++;
        return this;
    }

    GgufBuilder u32(String key, long v) {
        return raw(key, 4, num(4, v));
    }

    GgufBuilder f32(String key, float v) {
        return raw(key, 6, num(4, Float.floatToRawIntBits(v)));
    }

    GgufBuilder string(String key, String v) {
        return raw(key, 8, str(v));
    }

    GgufBuilder u32Array(String key, long... values) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(num(4, 4));
        o.writeBytes(num(8, values.length));
        for (long v : values) {
            o.writeBytes(num(4, v));
        }
        return raw(key, 9, o.toByteArray());
    }

    byte[] u8(long v) {
        return num(1, v);
    }

    byte[] u16(long v) {
        return num(2, v);
    }

    byte[] u32(long v) {
        return num(4, v);
    }

    byte[] u64(long v) {
        return num(8, v);
    }

    GgufBuilder alignment(int a) {
        alignment = a;
        return u32("general.alignment", a);
    }

    /** An F32 tensor with {@code values}, placed after the previous ones (padded to the alignment). */
    GgufBuilder f32Tensor(String name, float... values) {
        return tensor(name, new long[] {values.length}, 0, data.size(), floats(values));
    }

    byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** A tensor info with a given offset; {@code bytes} appended to the data section, padded. */
    GgufBuilder tensor(String name, long[] dims, int type, long offset, byte[] bytes) {
        infos.writeBytes(str(name));
        infos.writeBytes(num(4, dims.length));
        for (long d : dims) {
            infos.writeBytes(num(8, d));
        }
        infos.writeBytes(num(4, type));
        infos.writeBytes(num(8, offset));
        data.writeBytes(bytes);
        while (data.size() % alignment != 0) {
            data.write(0);
        }
        tensorCount++;
        return this;
    }

    byte[] header() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(num(4, version));
        o.writeBytes(num(8, tensorCount));
        o.writeBytes(num(8, kvCount));
        o.writeBytes(kv.toByteArray());
        o.writeBytes(infos.toByteArray());
        while (o.size() % alignment != 0) {
            o.write(0);
        }
        return o.toByteArray();
    }

    byte[] build() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(header());
        o.writeBytes(data.toByteArray());
        return o.toByteArray();
    }

    /** A minimal Llama-style model: the keys llama.cpp requires plus {@code extra}. */
    static GgufBuilder llama(ByteOrder order, int version) {
        return new GgufBuilder(order, version).string("general.architecture", "llama")
                .u32("llama.context_length", 4096).u32("llama.embedding_length", 256)
                .u32("llama.block_count", 2).u32("llama.attention.head_count", 4)
                .f32("llama.rope.freq_base", 500000f);
    }

    static List<Object> list(Object... xs) {
        return new ArrayList<>(List.of(xs));
    }
}
