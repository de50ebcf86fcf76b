package io.jtorrent.sim;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link Simulation} found, as people and scripts read it: the demo's summary, the phases
 * of each download, the scenario's own figures, the last {@code key=value} line, and a CSV row
 * per peer. Only simulated quantities: nothing here depends on the machine it ran on.
 */
public final class SimReport {
    private final Simulation.Result r;

    public SimReport(Simulation.Result r) {
        this.r = r;
    }

    private List<SimPeer> leechers(boolean onlyExpected) {
        List<SimPeer> out = new ArrayList<>();
        for (SimPeer p : r.peers()) {
            if (p.role == SimPeer.Role.LEECHER && (!onlyExpected || p.expected)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The summary, as the demo prints it, then phases and the scenario's figures. */
    public void print(PrintWriter out) {
        Simulation.Config c = r.config();
        out.printf(Locale.ROOT, "%d of %d leechers complete, data verified: %s%n", r.completed(), r.expected(),
                r.verified() ? "yes" : "NO");
        out.printf(Locale.ROOT, "time for all to complete:        %.1f s%n", r.seconds());
        out.printf(Locale.ROOT, "theoretical lower bound T*:      %.1f s  = max(F/u_s, N*F/(u_s + N*u)); ratio %.2f%n",
                c.boundSeconds(), r.ratio());
        out.printf(Locale.ROOT, "client-server time N*F/u_s:      %.1f s%n", c.clientServerSeconds());
        out.printf(Locale.ROOT, "the seed uploaded:               %.2f copies of the file (%.0f%% of it blocks sent before)%n",
                r.seedCopies(), r.seedRepeated() * 100);
        out.printf(Locale.ROOT, "leechers together held it all:   after %.1f s (F/u_s = %.1f s)%n", r.aggregateSeconds(),
                (double) c.size() / c.seedRate());
        int failures = hashFailures();
        int bans = bans();
        if (failures > 0 || bans > 0) {
            out.printf(Locale.ROOT, "pieces failing their check:      %d; peers banned: %d%n", failures, bans);
        }
        List<SimPeer> done = completed();
        out.printf(Locale.ROOT, "phases, s (p10 / p50 / p90 / max over %d completed leechers):%n", done.size());
        out.println("  bootstrap (to the first piece): " + percentiles(done, p -> p.firstPieceAt - p.arrivedAt));
        out.println("  trading (to end game):          " + percentiles(done, p -> p.endGameAt - p.firstPieceAt));
        out.println("  end game (last pieces):         " + percentiles(done, p -> p.doneAt - p.endGameAt));
        out.println("  completion (from arrival):      " + percentiles(done, p -> p.doneAt - p.arrivedAt));
        List<SimPeer> uploaders = new ArrayList<>();
        for (SimPeer p : done) {
            if (p.tradingUpload() >= 0) {
                uploaders.add(p);
            }
        }
        if (!uploaders.isEmpty()) {
            out.println("upload used while trading, % (p10 / p50 / p90 / max over " + uploaders.size() + "): "
                    + percentiles(uploaders, p -> 100 * p.tradingUpload()));
        }
        out.printf(Locale.ROOT, "handshakes refused:              %d of %d%n", r.refused(), r.handshakes());
        if (c.scenario() == Simulation.Scenario.FREE_RIDERS) {
            freeRiders(out);
        }
        if (c.peerRates().size() > 1) {
            classes(out);
        }
        out.println(lastLine());
    }

    private int hashFailures() {
        return r.peers().stream().mapToInt(p -> p.hashFailures).sum();
    }

    private int bans() {
        return r.peers().stream().mapToInt(p -> p.bans).sum();
    }

    private List<SimPeer> completed() {
        List<SimPeer> done = new ArrayList<>();
        for (SimPeer p : leechers(true)) {
            if (p.done()) {
                done.add(p);
            }
        }
        return done;
    }

    private void freeRiders(PrintWriter out) {
        double[] riders = group(Behaviour.FREE_RIDER);
        double[] contributors = group(Behaviour.HONEST);
        double[] f = freeRiderFigures();
        out.printf(Locale.ROOT, "free riders (%d) mean completion: %.1f s; contributors (%d): %.1f s; penalty %.2fx%n",
                (int) riders[2], riders[0], (int) contributors[2], contributors[0], riders[0] / contributors[0]);
        out.printf(Locale.ROOT, "free riders got their data: %.1f%% from the seed, %.1f%% from downloading leechers"
                        + " (optimistic unchokes, idle slots), %.1f%% from leechers that had completed%n", f[2], f[3], f[4]);
    }

    /**
     * Contributors' and free riders' mean completion (s), then the free riders' data by source, in
     * percent: from the seed, from leechers still downloading (a free rider uploads nothing to win
     * a regular slot by rate: it gets the optimistic one, or a slot nobody else wanted when it
     * asked, until the next round), from leechers that had completed (who serve in rotation).
     */
    public double[] freeRiderFigures() {
        long total = 0, seed = 0, leechers = 0, finished = 0;
        for (SimPeer p : leechers(true)) {
            if (p.behaviour == Behaviour.FREE_RIDER) {
                total += p.received;
                seed += p.fromSeed;
                leechers += p.fromLeechers;
                finished += p.fromFinished;
            }
        }
        return new double[] {group(Behaviour.HONEST)[0], group(Behaviour.FREE_RIDER)[0], pct(seed, total), pct(leechers, total),
                pct(finished, total)};
    }

    /** Mean completion time, seconds, the sum, the count of completed peers that behave as {@code b}. */
    private double[] group(Behaviour b) {
        double sum = 0;
        int n = 0;
        for (SimPeer p : completed()) {
            if (p.behaviour == b) {
                sum += p.doneAt - p.arrivedAt;
                n++;
            }
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, sum, n};
    }

    private void classes(PrintWriter out) {
        out.println("upload classes: mean completion, and the share of their download that came from their own class:");
        for (Map.Entry<String, double[]> e : classFigures().entrySet()) {
            double[] f = e.getValue();
            out.printf(Locale.ROOT, "  %-8s %4d peers  %7.1f s  own class %5.1f%% (of leechers' uploads to it; %5.1f%% expected by share)%n",
                    e.getKey(), (int) f[0], f[1], f[2], f[3]);
        }
    }

    /** Per class: peers, mean completion, own-class share of leecher-sent bytes, that class's share of leecher upload capacity. */
    private Map<String, double[]> classFigures() {
        Map<String, double[]> out = new LinkedHashMap<>();
        double capacity = 0;
        for (Simulation.RateClass c : r.config().peerRates()) {
            capacity += c.rate() * c.fraction();
        }
        for (Simulation.RateClass c : r.config().peerRates()) {
            double sumDone = 0;
            int n = 0;
            int finished = 0;
            long own = 0, fromPeers = 0;
            for (SimPeer p : leechers(true)) {
                if (p.rateClass.equals(c.label())) {
                    n++;
                    own += p.fromOwnClass;
                    fromPeers += p.fromLeechers + p.fromFinished;
                    if (p.done()) {
                        sumDone += p.doneAt - p.arrivedAt;
                        finished++;
                    }
                }
            }
            out.put(c.label(), new double[] {n, finished == 0 ? Double.NaN : sumDone / finished, pct(own, fromPeers),
                    100 * c.rate() * c.fraction() / capacity});
        }
        return out;
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String percentiles(List<SimPeer> peers, java.util.function.ToDoubleFunction<SimPeer> f) {
        if (peers.isEmpty()) {
            return "-";
        }
        double[] v = peers.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f", at(v, 0.1), at(v, 0.5), at(v, 0.9), v[v.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** The last line, for scripts: {@code simulation complete: peers=.. seconds=.. bound=.. ratio=.. seed_copies=..} and the scenario's pairs. */
    public String lastLine() {
        Simulation.Config c = r.config();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "simulation %s: peers=%d seconds=%.1f bound=%.1f ratio=%.2f seed_copies=%.2f client_server=%.1f",
                r.allComplete() ? "complete" : "incomplete", c.peers(), r.seconds(), c.boundSeconds(), r.ratio(), r.seedCopies(),
                c.clientServerSeconds()));
        b.append(String.format(Locale.ROOT, " completed=%d expected=%d verified=%s", r.completed(), r.expected(), r.verified()));
        List<SimPeer> done = completed();
        if (!done.isEmpty()) {
            double[] v = done.stream().mapToDouble(p -> p.doneAt - p.arrivedAt).sorted().toArray();
            b.append(String.format(Locale.ROOT, " mean=%.1f p50=%.1f", Arrays.stream(v).average().orElse(0), at(v, 0.5)));
        }
        if (c.scenario() == Simulation.Scenario.FREE_RIDERS) {
            b.append(String.format(Locale.ROOT, " contributors_mean=%.1f free_riders_mean=%.1f", group(Behaviour.HONEST)[0],
                    group(Behaviour.FREE_RIDER)[0]));
        }
        if (c.peerRates().size() > 1) {
            for (Map.Entry<String, double[]> e : classFigures().entrySet()) {
                b.append(String.format(Locale.ROOT, " class_%s_mean=%.1f class_%s_own=%.1f", e.getKey(), e.getValue()[1], e.getKey(),
                        e.getValue()[2]));
            }
        }
        if (c.scenario() == Simulation.Scenario.CORRUPT_PEER) {
            b.append(" hash_failures=").append(hashFailures()).append(" bans=").append(bans());
        }
        return b.toString();
    }

    /** One row per host: its class and behaviour, the phases, where its data came from. */
    public void csv(PrintWriter out) {
        out.println("peer,role,class,behaviour,arrived,first_piece,end_game,done,left,bootstrap_s,trading_s,end_game_s,"
                + "received,from_seed,from_leechers,from_finished,from_own_class,from_corrupt,uploaded,hash_failures");
        for (SimPeer p : r.peers()) {
            out.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d%n", p.name,
                    p.role.name().toLowerCase(Locale.ROOT), p.rateClass, p.behaviour.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    t(p.arrivedAt), t(p.firstPieceAt), t(p.endGameAt), t(p.doneAt), t(p.leftAt),
                    d(p.firstPieceAt, p.arrivedAt), d(p.endGameAt, p.firstPieceAt), d(p.doneAt, p.endGameAt),
                    p.received, p.fromSeed, p.fromLeechers, p.fromFinished, p.fromOwnClass, p.fromCorrupt, p.uploaded, p.hashFailures);
        }
    }

    private static String t(double v) {
        return v < 0 ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String d(double later, double earlier) {
        return later < 0 || earlier < 0 ? "" : String.format(Locale.ROOT, "%.3f", later - earlier);
    }
}
