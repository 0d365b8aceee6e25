package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A training checkpoint: the run's identity, the number of completed steps, and every parameter and optimizer
 * moment, bit for bit. Because batches depend only on {@code (seed, step)} ({@link Batches}), restoring these
 * resumes a run exactly where it stopped.
 *
 * <p>Format: magic {@code POSENC-LAB-CKPT-1}, the run key (UTF), the step, the tensor count, then for each tensor
 * its name, rank, dimensions and float32 values (big-endian), and a CRC-32 of everything before it. Written to a
 * temporary file in the same folder and renamed over the target, so a checkpoint is never half-written; a file
 * whose magic, key or checksum does not match is rejected with a one-line error.
 */
final class Checkpoint {
    private static final String MAGIC = "POSENC-LAB-CKPT-1";
    private static final NDIndex ALL = new NDIndex("...");

    private Checkpoint() {}

    static void write(Path file, String runKey, int step, Map<String, NDArray> tensors) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeUTF(runKey);
            out.writeInt(step);
            out.writeInt(tensors.size());
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().getShape().getShape();
                out.writeInt(shape.length);
                for (long dim : shape) {
                    out.writeLong(dim);
                }
                float[] values = e.getValue().toFloatArray();
                ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
                buffer.asFloatBuffer().put(values);
                out.write(buffer.array());
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /**
     * Restores the tensors of {@code file} into {@code tensors} (same names and shapes) and returns the step. Any
     * mismatch is an {@link IllegalArgumentException} naming the file.
     */
    static int read(Path file, String runKey, Map<String, NDArray> tensors) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read checkpoint: " + e.getMessage());
        }
        if (all.length < 8) {
            throw corrupt(file, "truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw corrupt(file, "checksum mismatch");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw corrupt(file, "not a posenc lab checkpoint");
            }
            String key = in.readUTF();
            if (!key.equals(runKey)) {
                throw new IllegalArgumentException(file + ": checkpoint belongs to a different run (" + key
                        + "), expected " + runKey + "; remove it or use another --out");
            }
            int step = in.readInt();
            int count = in.readInt();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (int t = 0; t < count; t++) {
                String name = in.readUTF();
                NDArray target = tensors.get(name);
                int rank = in.readInt();
                long[] shape = new long[rank];
                for (int r = 0; r < rank; r++) {
                    shape[r] = in.readLong();
                }
                if (target == null || !java.util.Arrays.equals(shape, target.getShape().getShape())) {
                    throw corrupt(file, "tensor " + name + " does not match the model");
                }
                byte[] raw = new byte[Math.toIntExact(target.size() * 4)];
                in.readFully(raw);
                float[] v = new float[raw.length / 4];
                ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(v);
                values.put(name, v);
            }
            if (values.size() != tensors.size()) {
                throw corrupt(file, "has " + values.size() + " tensors, the model " + tensors.size());
            }
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                NDArray target = tensors.get(e.getKey());
                // Copied into the tensor's own (libtorch) memory; NDArray.set(float[]) would make it a view of a
                // Java buffer instead (see OwnedTensors).
                try (NDArray restored = target.getManager().create(e.getValue(), target.getShape())) {
                    target.set(ALL, restored);
                }
            }
            return step;
        } catch (IOException e) {
            throw corrupt(file, "truncated");
        }
    }

    private static IllegalArgumentException corrupt(Path file, String why) {
        return new IllegalArgumentException(file + ": corrupt checkpoint (" + why + "); delete it to restart that run");
    }
}
