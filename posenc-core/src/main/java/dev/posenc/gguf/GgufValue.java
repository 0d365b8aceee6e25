package dev.posenc.gguf;

import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value. Integers of every width are {@link Int} (an unsigned 64-bit value above
 * {@code Long.MAX_VALUE} keeps its bits: read it with {@link Long#toUnsignedString(long)}), floats {@link Real}.
 * Arrays longer than {@link GgufFile#MAX_ARRAY_ELEMENTS} elements (vocabularies) and strings longer than
 * {@link GgufFile#MAX_STRING_BYTES} bytes are validated and skipped: {@link Skipped} records what was there.
 */
public sealed interface GgufValue permits GgufValue.Int, GgufValue.Real, GgufValue.Bool, GgufValue.Text,
        GgufValue.Array, GgufValue.Skipped {

    /** The stored type. */
    GgufType type();

    /** An integer of any width. */
    record Int(GgufType type, long value) implements GgufValue {
        public Int {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return type == GgufType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
        }
    }

    /** A FLOAT32 or FLOAT64 value (a FLOAT32 widened exactly). */
    record Real(GgufType type, double value) implements GgufValue {
        public Real {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return type == GgufType.FLOAT32 ? Float.toString((float) value) : Double.toString(value);
        }
    }

    /** A BOOL. */
    record Bool(boolean value) implements GgufValue {
        @Override
        public GgufType type() {
            return GgufType.BOOL;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** A UTF-8 STRING (malformed bytes replaced by U+FFFD). */
    record Text(String value) implements GgufValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public GgufType type() {
            return GgufType.STRING;
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    /** An ARRAY with its elements (of {@code elementType}, arrays of arrays included). */
    record Array(GgufType elementType, List<GgufValue> elements) implements GgufValue {
        public Array {
            Objects.requireNonNull(elementType, "elementType");
            elements = List.copyOf(elements);
        }

        @Override
        public GgufType type() {
            return GgufType.ARRAY;
        }

        @Override
        public String toString() {
            return elements.toString();
        }
    }

    /** A value too large to keep, validated and skipped: a long ARRAY or STRING, {@code count} elements or bytes. */
    record Skipped(GgufType type, GgufType elementType, long count) implements GgufValue {
        public Skipped {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return type == GgufType.ARRAY ? "[" + count + " " + elementType + " values]" : "<" + count + " bytes>";
        }
    }
}
