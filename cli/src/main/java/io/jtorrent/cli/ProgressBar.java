package io.jtorrent.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn in place on a terminal: {@code [#####.....] 52% 1.2 GiB/2.3 GiB 850 MiB/s}.
 * Updates may come from any thread; it redraws at most ten times a second. When the output is not
 * a terminal it prints nothing, so scripts and logs stay clean.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean enabled;
    private final String label;
    private final LongSupplier clock;
    private final long started;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;

    ProgressBar(PrintWriter out, boolean enabled, String label, LongSupplier nanoClock) {
        this.out = out;
        this.enabled = enabled;
        this.label = label;
        this.clock = nanoClock;
        this.started = nanoClock.getAsLong();
    }

    /** A bar on stderr if stderr is a terminal. */
    static ProgressBar onTerminal(PrintWriter err, String label) {
        return new ProgressBar(err, System.console() != null, label, System::nanoTime);
    }

    synchronized void update(long done, long total) {
        if (!enabled) {
            return;
        }
        long now = clock.getAsLong();
        if (done < total && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        String line = render(done, total, now - started);
        out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    /** Ends the bar's line so that what follows starts on a fresh one. */
    synchronized void finish() {
        if (enabled && lastLength > 0) {
            out.println();
            out.flush();
            lastLength = 0;
        }
    }

    String render(long done, long total, long elapsedNanos) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = elapsedNanos / 1e9;
        String rate = seconds > 0 ? Sizes.format((long) (done / seconds)) + "/s" : "";
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s/%s %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), (int) (fraction * 100), Sizes.format(done), Sizes.format(total), rate);
    }
}
