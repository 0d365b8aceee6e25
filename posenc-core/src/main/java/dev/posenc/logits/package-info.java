/**
 * Logit and value encodings: relative positions that act inside attention, after the query/key projections.
 *
 * <p>Two kinds act on the logits {@code a_ij} of query {@code i} and key {@code j}:
 * <ul>
 *   <li>{@link dev.posenc.logits.PositionBias}: a bias that depends on positions only, added after the softmax scale
 *       ({@link dev.posenc.logits.AlibiBias ALiBi}, {@link dev.posenc.logits.T5RelativeBias T5},
 *       {@link dev.posenc.logits.KerpleBias KERPLE}, {@link dev.posenc.logits.FireBias FIRE});
 *   <li>{@link dev.posenc.logits.RelativeLogitTerm}: a term that also depends on the query or key content, added
 *       before the scale ({@link dev.posenc.logits.ShawRelativeKeys Shaw},
 *       {@link dev.posenc.logits.TransformerXlRelative Transformer-XL}, {@link dev.posenc.logits.DebertaRelative
 *       DeBERTa}).
 * </ul>
 * {@link dev.posenc.logits.RelativeValueEncoding} adds a relative vector to the values
 * ({@link dev.posenc.logits.ShawRelativeValues Shaw}). NoPE is the absence of all of them.
 *
 * <p>Positions: query {@code i} of a call is at {@code firstQueryPosition + i}, key {@code j} at {@code j}
 * ({@link dev.posenc.logits.AttentionPositions}). Per-head matrices are row-major {@code length × headDim}.
 *
 * <p>Null: every public constructor and method rejects a null argument with a {@link NullPointerException} whose
 * message is the parameter's name, before any other check, except {@link dev.posenc.logits.DebertaRelative}'s
 * {@code positionKeys} and {@code positionQueries}, where null means that term (c2p, p2c) is absent.
 */
package dev.posenc.logits;
