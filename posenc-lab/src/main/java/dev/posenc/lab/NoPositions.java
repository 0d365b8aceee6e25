package dev.posenc.lab;

/** NoPE (arXiv:2203.16634): no positional signal; order reaches the model only through the causal mask. */
final class NoPositions implements PositionalEncoding {
    @Override
    public String name() {
        return "nope";
    }
}
