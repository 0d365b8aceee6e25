package dev.posenc.lab;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * The lab's JSON: indented, key order as inserted, and non-finite numbers (a perplexity the encoding cannot produce,
 * e.g. a learned table beyond its length) written as {@code null}, never as the invalid {@code NaN}.
 */
public final class LabJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule()
                    .addSerializer(Double.class, new FiniteSerializer<>(Double.class))
                    .addSerializer(double.class, new FiniteSerializer<>(double.class))
                    .addSerializer(Float.class, new FiniteSerializer<>(Float.class))
                    .addSerializer(float.class, new FiniteSerializer<>(float.class)));

    private LabJson() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize lab results", e);
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s*\\R\\s*", " ");
    }

    private static final class FiniteSerializer<T extends Number> extends StdSerializer<T> {
        FiniteSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double d = value.doubleValue();
            if (Double.isFinite(d)) {
                if (value instanceof Float f) {
                    gen.writeNumber(f);
                } else {
                    gen.writeNumber(d);
                }
            } else {
                gen.writeNull();
            }
        }
    }
}
