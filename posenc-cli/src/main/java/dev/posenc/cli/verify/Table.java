package dev.posenc.cli.verify;

import java.util.List;

/**
 * A small table of text cells for the terminal, the JSON output and the report.
 *
 * @param name short id, e.g. {@code rope-step-by-step}
 * @param title one line saying what the table shows
 * @param columns the column headers
 * @param rows the cells, each row as long as {@code columns}
 * @param note a sentence under the table (provenance, a remark), or empty
 */
public record Table(String name, String title, List<String> columns, List<List<String>> rows, String note) {
    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException(name + ": row " + row + " has " + row.size() + " cells, expected "
                        + columns.size());
            }
        }
    }

    /** Plain-text rendering with aligned columns. */
    public String toText() {
        int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = columns.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder(title).append('\n');
        appendRow(out, columns, width);
        int total = 0;
        for (int w : width) {
            total += w + 2;
        }
        out.append("-".repeat(Math.max(0, total - 2))).append('\n');
        for (List<String> row : rows) {
            appendRow(out, row, width);
        }
        if (!note.isEmpty()) {
            out.append(note).append('\n');
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(String.format("%-" + width[c] + "s", cells.get(c)));
            if (c + 1 < cells.size()) {
                line.append("  ");
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
