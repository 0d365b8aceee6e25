package dev.posenc.lab.encoding;

/** NoPE (arXiv:2203.16634): no positional signal; order reaches the model only through the causal mask. */
final class NoPositions implements LabEncoding {
    @Override
    public String name() {
        return "nope";
    }
}
