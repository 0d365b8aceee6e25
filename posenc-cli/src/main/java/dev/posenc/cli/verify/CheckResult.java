package dev.posenc.cli.verify;

/**
 * The outcome of one check: the claim, the figure measured on this build, and the criterion it was held to.
 *
 * @param name short id, e.g. {@code rope-relative}
 * @param claim the claim in words, as the articles state it
 * @param measured the figure this build produced
 * @param threshold the criterion, in words and numbers, e.g. {@code <= 1e-05}
 * @param passed whether {@code measured} met the criterion
 */
public record CheckResult(String name, String claim, double measured, String threshold, boolean passed) {}
