package dev.posenc.cli.verify;

/** An ALiBi bias under test: the value added to head {@code head}'s logit of query {@code i} against key {@code j}. */
@FunctionalInterface
public interface AlibiSubject {
    double bias(int head, int i, int j);
}
