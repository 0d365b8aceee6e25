package dev.posenc.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/** A relative-position → bucket table, printed as JSON or as two columns. */
record BucketTable(String title, int[] relativePositions, int[] buckets) {
    static BucketTable of(String title, RelativeRange range, IntUnaryOperator bucket) {
        int[] positions = new int[range.size()];
        int[] buckets = new int[range.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = range.at(i);
            buckets[i] = bucket.applyAsInt(positions[i]);
        }
        return new BucketTable(title, positions, buckets);
    }

    void print(PrintWriter out, boolean json) {
        if (json) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("relative_position", relativePositions);
            object.put("bucket", buckets);
            out.println(JsonOutput.write(object));
            return;
        }
        StringBuilder text = new StringBuilder(title).append(System.lineSeparator());
        text.append(String.format("%17s  %6s%n", "relative_position", "bucket"));
        for (int i = 0; i < buckets.length; i++) {
            text.append(String.format("%17d  %6d%n", relativePositions[i], buckets[i]));
        }
        out.print(text);
    }
}
