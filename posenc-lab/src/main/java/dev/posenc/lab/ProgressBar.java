package dev.posenc.lab;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar with ETA on stderr: {@code [#####.....] 42% ranking rope seed 1 step 120/300 loss 1.93
 * ETA 6m10s}. The ETA is the mean time per unit of work done so far in this invocation times the work left; units
 * are training steps weighted by each job's measured relative cost. Redrawn at most 4 times a second. Not
 * thread-safe.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final double total;
    private final long start = System.nanoTime();
    private double done;
    private double doneThisInvocation;
    private long lastDraw;

    ProgressBar(PrintWriter err, double total, double alreadyDone) {
        this.err = err;
        this.total = Math.max(total, 1e-9);
        this.done = alreadyDone;
    }

    void advance(double units, String label) {
        done += units;
        doneThisInvocation += units;
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        double fraction = Math.min(1, done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double elapsed = (now - start) / 1e9;
        String eta = doneThisInvocation > 0 ? duration(elapsed / doneThisInvocation * (total - done)) : "?";
        err.print(String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %-58s ETA %s  ", "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * fraction, label.length() > 58 ? label.substring(0, 58) : label, eta));
        err.flush();
    }

    void finish() {
        err.println();
        err.flush();
    }

    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
