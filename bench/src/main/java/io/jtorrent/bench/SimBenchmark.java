package io.jtorrent.bench;

import io.jtorrent.sim.SimReport;
import io.jtorrent.sim.Simulation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulation's figures: completion time against N (10 … 1,000) beside the bound T* and
 * client-server, and free riders against contributors at N = 100 and 1,000 over several seeds.
 * Writes simulate-n.csv, simulate-free-riders.csv and simulate.svg under --out.
 *
 * <pre>java -cp ... io.jtorrent.bench.SimBenchmark --out bench/results [--peers 10,20,50] [--seeds 3] [--rider-peers 100,1000]</pre>
 */
public final class SimBenchmark {
    private SimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results");
        List<Integer> ns = List.of(10, 20, 50, 100, 200, 500, 1000);
        List<Integer> riderNs = List.of(100, 1000);
        int seeds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[i + 1]);
                case "--peers" -> ns = parse(args[i + 1]);
                case "--rider-peers" -> riderNs = parse(args[i + 1]);
                case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        List<double[]> scaling = new ArrayList<>();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("simulate-n.csv")))) {
            csv.println("peers,seconds,bound,ratio,client_server,seed_copies,wall_s");
            for (int n : ns) {
                long t0 = System.nanoTime();
                Simulation.Result r = Simulation.run(Simulation.Config.basic(n, 32L << 20, 1), p -> { });
                double wall = (System.nanoTime() - t0) / 1e9;
                csv.printf(Locale.ROOT, "%d,%.2f,%.2f,%.3f,%.1f,%.3f,%.1f%n", n, r.seconds(), r.config().boundSeconds(), r.ratio(),
                        r.config().clientServerSeconds(), r.seedCopies(), wall);
                csv.flush();
                System.out.println(new SimReport(r).lastLine() + String.format(Locale.ROOT, " wall_s=%.1f", wall));
                scaling.add(new double[] {n, r.seconds(), r.config().boundSeconds(), r.config().clientServerSeconds()});
            }
        }
        // free riders: slow links (512 KiB/s up, the seed 1 MiB/s) so that downloads span many choking rounds
        List<double[]> riders = new ArrayList<>();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("simulate-free-riders.csv")))) {
            csv.println("peers,random_seed,contributors_mean,free_riders_mean,penalty,riders_from_seed_pct,"
                    + "riders_from_downloading_pct,riders_from_completed_pct,ratio");
            for (int n : riderNs) {
                double sumC = 0, sumR = 0;
                for (long seed = 1; seed <= seeds; seed++) {
                    Simulation.Config c = Simulation.Config.basic(n, 32L << 20, seed)
                            .withRates(1L << 20, List.of(new Simulation.RateClass("512K", 512 << 10, 1)))
                            .withScenario(Simulation.Scenario.FREE_RIDERS, 0.2);
                    Simulation.Result r = Simulation.run(c, p -> { });
                    SimReport report = new SimReport(r);
                    double[] f = report.freeRiderFigures();
                    csv.printf(Locale.ROOT, "%d,%d,%.2f,%.2f,%.3f,%.1f,%.1f,%.1f,%.3f%n", n, seed, f[0], f[1], f[1] / f[0], f[2], f[3], f[4],
                            r.ratio());
                    csv.flush();
                    System.out.println(report.lastLine());
                    sumC += f[0];
                    sumR += f[1];
                }
                riders.add(new double[] {n, sumC / seeds, sumR / seeds});
            }
        }
        Files.writeString(out.resolve("simulate.svg"), svg(scaling, riders));
    }

    private static List<Integer> parse(String s) {
        List<Integer> out = new ArrayList<>();
        for (String p : s.split(",")) {
            out.add(Integer.parseInt(p.trim()));
        }
        return out;
    }

    /** Two panels: completion time against N (log x) with T* and client-server; free riders against contributors. */
    static String svg(List<double[]> scaling, List<double[]> riders) {
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns='http://www.w3.org/2000/svg' width='1000' height='440' font-family='sans-serif' font-size='12'>\n");
        b.append("<rect width='100%' height='100%' fill='white'/>\n");
        b.append("<text x='20' y='22' font-size='15'>jtorrent simulate: 32 MiB, seed and peers 4 MiB/s up, 20 ms latency (random seed 1)</text>\n");
        double maxN = scaling.stream().mapToDouble(r -> r[0]).max().orElse(10);
        double minN = scaling.stream().mapToDouble(r -> r[0]).min().orElse(1);
        double top = scaling.stream().mapToDouble(r -> Math.max(r[1], r[2])).max().orElse(1) * 1.6;
        panel(b, 20, 40, 560, 360, "time until all complete (s) against N (log)", top, List.of(
                new Series("jtorrent (simulated)", "#1f77b4", xs(scaling, 0, minN, maxN), ys(scaling, 1)),
                new Series("lower bound T*", "#2ca02c", xs(scaling, 0, minN, maxN), ys(scaling, 2)),
                new Series("client-server (off the chart beyond)", "#d62728", xs(scaling, 0, minN, maxN), ys(scaling, 3))), scaling, true);
        if (!riders.isEmpty()) {
            double topR = riders.stream().mapToDouble(r -> Math.max(r[1], r[2])).max().orElse(1) * 1.3;
            double maxRN = riders.stream().mapToDouble(r -> r[0]).max().orElse(10);
            double minRN = riders.stream().mapToDouble(r -> r[0]).min().orElse(1);
            panel(b, 640, 40, 340, 360, "mean completion (s), 20% free riders; 512 KiB/s up", topR, List.of(
                    new Series("contributors", "#1f77b4", xs(riders, 0, minRN, maxRN), ys(riders, 1)),
                    new Series("free riders", "#ff7f0e", xs(riders, 0, minRN, maxRN), ys(riders, 2))), riders, false);
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private record Series(String label, String color, double[] x, double[] y) {}

    private static double[] xs(List<double[]> rows, int col, double min, double max) {
        return rows.stream().mapToDouble(r -> max == min ? 0.5 : Math.log(r[col] / min) / Math.log(max / min)).toArray();
    }

    private static double[] ys(List<double[]> rows, int col) {
        return rows.stream().mapToDouble(r -> r[col]).toArray();
    }

    private static void panel(StringBuilder b, int x0, int y0, int w, int h, String title, double top, List<Series> series,
                              List<double[]> rows, boolean legendBelow) {
        int left = x0 + 50;
        int plotW = w - 60;
        int plotH = h - 110;
        int base = y0 + 20 + plotH;
        b.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", left, y0 + 12, title));
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double yy = base - v / top * plotH;
            b.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#ddd'/>%n", left, left + plotW, yy, yy));
            b.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%.0f</text>%n", left - 5, yy + 4, v));
        }
        double[] xFrac = series.get(0).x();
        for (int i = 0; i < rows.size(); i++) {
            b.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%d</text>%n", left + xFrac[i] * plotW,
                    base + 16, (int) rows.get(i)[0]));
        }
        b.append(String.format(Locale.ROOT, "<text x='%.0f' y='%d' text-anchor='middle'>peers N</text>%n", left + plotW / 2.0, base + 34));
        int row = 0;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (s.y()[i] <= top) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + s.x()[i] * plotW, base - s.y()[i] / top * plotH));
                }
            }
            b.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n", s.color(),
                    pts.toString().trim()));
            int ly = base + 54 + row * 18;
            b.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='%s' stroke-width='2'/>%n", left, left + 20,
                    ly, ly, s.color()));
            b.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", left + 26, ly + 4, s.label()));
            row++;
        }
    }
}
