package dev.posenc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the JSON vectors written by the torch scripts under {@code src/test/resources/reference/<topic>/}. */
public final class ReferenceVectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceVectors() {}

    /** The parsed {@code reference/<topic>/vectors.json}. */
    public static JsonNode load(String topic) {
        String resource = "/reference/" + topic + "/vectors.json";
        try (InputStream in = ReferenceVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    /** A nested array flattened in row-major order. */
    public static float[] flatFloats(JsonNode nested) {
        java.util.List<Float> values = new java.util.ArrayList<>();
        flatten(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void flatten(JsonNode node, java.util.List<Float> values) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                flatten(child, values);
            }
        } else {
            values.add((float) node.asDouble());
        }
    }

    public static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
