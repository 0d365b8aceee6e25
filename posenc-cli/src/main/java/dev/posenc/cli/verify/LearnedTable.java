package dev.posenc.cli.verify;

/** A learned absolute table under test: a lookup that must refuse positions at or past its length. */
public interface LearnedTable {
    /** The number of positions the table was built with. */
    int length();

    /** The embedding of {@code position}; throws {@link IllegalArgumentException} when there is none. */
    float[] row(int position);
}
