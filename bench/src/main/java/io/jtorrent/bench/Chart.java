package io.jtorrent.bench;

import io.jtorrent.swarm.SwarmRunner;
import java.util.List;
import java.util.Locale;

/** An SVG line chart of completion time against N: jtorrent, the bound T*, and client-server. */
final class Chart {
    private static final int W = 760;
    private static final int H = 460;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private Chart() {}

    static String svg(List<SwarmRunner.Result> results, long size, long seedRate, long peerRate) {
        int maxN = results.stream().mapToInt(r -> r.config().leechers()).max().orElse(1);
        double maxY = 0;
        for (SwarmRunner.Result r : results) {
            maxY = Math.max(maxY, Math.max(r.seconds(), r.config().boundSeconds()));
        }
        final double top = niceCeil(maxY * 1.5);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n", W, H));
        b.append("<rect width='100%' height='100%' fill='white'/>\n");
        b.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='15'>Time until every leecher has the file: %d MiB, seed %d MiB/s, peers %d MiB/s up each</text>%n",
                LEFT, size >> 20, seedRate >> 20, peerRate >> 20));
        double clientServerMax = results.stream().mapToDouble(r -> r.config().clientServerSeconds()).max().orElse(0);
        if (clientServerMax > top) {
            b.append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#d62728'>client-server leaves the chart: %.0f s at N=%d</text>%n",
                    W - RIGHT + 15, TOP + 90, clientServerMax, maxN));
        }
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        double logMax = Math.log(maxN) / Math.log(2);
        java.util.function.DoubleUnaryOperator x = n -> LEFT + (logMax == 0 ? 0 : Math.log(n) / Math.log(2) / logMax) * plotW;
        java.util.function.DoubleUnaryOperator y = s -> TOP + plotH - Math.min(s, top) / top * plotH;
        // axes and grid
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            double yy = y.applyAsDouble(v);
            b.append(String.format(Locale.ROOT, "<line x1='%d' x2='%.0f' y1='%.1f' y2='%.1f' stroke='#ddd'/>%n", LEFT, LEFT + plotW, yy, yy));
            b.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%.0f s</text>%n", LEFT - 6, yy + 4, v));
        }
        for (SwarmRunner.Result r : results) {
            double xx = x.applyAsDouble(r.config().leechers());
            b.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%d</text>%n", xx, H - BOTTOM + 18, r.config().leechers()));
        }
        b.append(String.format(Locale.ROOT, "<text x='%.0f' y='%d' text-anchor='middle'>leechers N (log scale)</text>%n", LEFT + plotW / 2, H - 18));
        b.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%.0f' stroke='black'/>%n", LEFT, LEFT, TOP, TOP + plotH));
        b.append(String.format(Locale.ROOT, "<line x1='%d' x2='%.0f' y1='%.0f' y2='%.0f' stroke='black'/>%n", LEFT, LEFT + plotW, TOP + plotH, TOP + plotH));
        series(b, results, x, y, r -> r.config().clientServerSeconds(), "#d62728", "client-server N·F/u_s", 0, top);
        series(b, results, x, y, r -> r.config().boundSeconds(), "#2ca02c", "lower bound T*", 1, top);
        series(b, results, x, y, SwarmRunner.Result::seconds, "#1f77b4", "jtorrent", 2, top);
        b.append("</svg>\n");
        return b.toString();
    }

    private static void series(StringBuilder b, List<SwarmRunner.Result> rs, java.util.function.DoubleUnaryOperator x,
                               java.util.function.DoubleUnaryOperator y, java.util.function.ToDoubleFunction<SwarmRunner.Result> f,
                               String color, String label, int row, double maxY) {
        StringBuilder pts = new StringBuilder();
        for (SwarmRunner.Result r : rs) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(r.config().leechers()), y.applyAsDouble(f.applyAsDouble(r))));
        }
        b.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n", color, pts.toString().trim()));
        for (SwarmRunner.Result r : rs) {
            double v = f.applyAsDouble(r);
            if (v <= maxY) {
                b.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>%n",
                        x.applyAsDouble(r.config().leechers()), y.applyAsDouble(v), color));
            }
        }
        int lx = W - RIGHT + 15;
        int ly = TOP + 20 + row * 22;
        b.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='%s' stroke-width='2'/>%n", lx, lx + 20, ly, ly, color));
        b.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", lx + 26, ly + 4, label));
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1))));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
