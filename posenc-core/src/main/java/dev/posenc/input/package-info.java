/**
 * Input encodings: position vectors combined with the token embeddings before the query/key/value projections
 * (the first of the three places an encoding can act).
 *
 * <p>{@link dev.posenc.input.AbsolutePositions} produces the position vectors (sinusoidal, learned, recurrent);
 * {@link dev.posenc.input.InputEncoding} combines them with the embeddings (additively, as in the Transformer and
 * BERT, or multiplicatively). {@link dev.posenc.input.ComplexOrderEmbedding} is an embedding in which position is
 * built in.
 *
 * <p>Null: every public constructor and method rejects a null argument with a {@link NullPointerException} whose
 * message is the parameter's name, before any other check; no parameter of this package gives null a meaning.
 */
package dev.posenc.input;
