package dev.posenc.cli;

/** The {@code --from A --to B} range of relative positions shared by the bucket commands. */
record RelativeRange(int from, int to) {
    /** The most positions one command prints. */
    static final int MAX_POSITIONS = 1_000_001;

    RelativeRange {
        if (from > to) {
            throw new UserInputException("--from (" + from + ") must be <= --to (" + to + ")");
        }
        if ((long) to - from + 1 > MAX_POSITIONS) {
            throw new UserInputException("--from " + from + " --to " + to + " spans " + ((long) to - from + 1)
                    + " positions; at most " + MAX_POSITIONS + " per call");
        }
    }

    int size() {
        return to - from + 1;
    }

    int at(int i) {
        return from + i;
    }
}
