package io.jtorrent.cli;

import io.jtorrent.swarm.SwarmRunner;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The demo's live view: on a terminal, one progress bar per peer and the swarm's total, redrawn in
 * place; elsewhere, one line every five seconds.
 */
final class SwarmDisplay {
    private static final int WIDTH = 30;
    /** More leechers than this are summarised, not drawn one by one. */
    private static final int MAX_BARS = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private int drawnLines;
    private double lastPlainLine = -5;

    SwarmDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(SwarmRunner.Snapshot s) {
        double total = s.leechers().stream().filter(p -> !p.gone()).mapToDouble(SwarmRunner.PeerState::progress).average().orElse(0);
        long done = s.leechers().stream().filter(SwarmRunner.PeerState::done).count();
        if (!terminal) {
            if (s.seconds() - lastPlainLine >= 5) {
                lastPlainLine = s.seconds();
                out.printf(Locale.ROOT, "%6.1f s  swarm %5.1f%%  %d/%d leechers done%n", s.seconds(), total * 100, done, s.leechers().size());
                out.flush();
            }
            return;
        }
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) {
            b.append("\033[").append(drawnLines).append('A');
        }
        int lines = 0;
        b.append(line(s.seed().gone() ? "seed (left)" : "seed", 1, 0, s.seed().uploadRate())).append('\n');
        lines++;
        int shown = 0;
        for (SwarmRunner.PeerState p : s.leechers()) {
            if (shown++ >= MAX_BARS) {
                break;
            }
            b.append(line(p.name() + (p.gone() ? " (left)" : ""), p.progress(), p.downloadRate(), p.uploadRate())).append('\n');
            lines++;
        }
        b.append(String.format(Locale.ROOT, "\033[Kswarm      %s %5.1f%%  %d/%d done  %.1f s%n", bar(total), total * 100, done,
                s.leechers().size(), s.seconds()));
        lines++;
        out.print(b);
        out.flush();
        drawnLines = lines;
    }

    private static String line(String name, double progress, long down, long up) {
        return String.format(Locale.ROOT, "\033[K%-14s %s %5.1f%%  down %10s  up %10s", name, bar(progress), progress * 100,
                Rates.format(down), Rates.format(up));
    }

    private static String bar(double fraction) {
        int filled = (int) Math.round(Math.min(1, fraction) * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    void finish() {
        out.flush();
    }
}
