package dev.posenc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one place the CLI turns results into JSON. Commands build {@code LinkedHashMap}/{@code List} trees (or
 * records) so key order is stable, and print the whole object at once, after all work has succeeded.
 */
public final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private JsonOutput() {}

    /** The JSON text of {@code value}, indented, without a trailing newline. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /** The shared mapper, for commands that read JSON (never for reading Hugging Face configs: core does that). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
