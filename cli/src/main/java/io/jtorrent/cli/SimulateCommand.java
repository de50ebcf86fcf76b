package io.jtorrent.cli;

import io.jtorrent.sim.SimReport;
import io.jtorrent.sim.Simulation;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run a swarm of up to thousands of peers on a simulated network in virtual time.",
                "Every peer runs the real engine (peer protocol, picker, choker, hash checks, smart ban, tracker announces);",
                "the network, the disk and the tracker are simulated. The same --random-seed gives the same output.",
                "Ends with the demo's summary, the phases of the downloads, and a key=value line for scripts."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    LogOptions log;

    @Option(names = "--peers", paramLabel = "N", description = "Leechers (default: 100).")
    int peers = 100;

    @Option(names = "--size", paramLabel = "SIZE", converter = Sizes.Converter.class, description = "File size (default: 32M).")
    long size = 32L << 20;

    @Option(names = "--piece-size", paramLabel = "SIZE", converter = Sizes.Converter.class,
            description = "Piece size, a power of two from 16K (default: about 512 pieces, 64K for 32M; the demo cuts about 1,000).")
    Long pieceSize;

    @Option(names = "--seed-rate", paramLabel = "RATE", converter = Rates.Converter.class,
            description = "The seed's upload capacity (default: 4M, bytes per second).")
    long seedRate = 4L << 20;

    @Option(names = "--peer-rate", paramLabel = "RATE", converter = Rates.Converter.class,
            description = "Each leecher's upload capacity (default: 4M).")
    Long peerRate;

    @Option(names = "--peer-rates", paramLabel = "RATE:SHARE,...",
            description = "Upload capacities by class instead, e.g. 1M:50%%,4M:30%%,16M:20%%.")
    String peerRates;

    @Option(names = "--peer-down", paramLabel = "RATE", converter = Rates.Converter.class,
            description = "Each leecher's download capacity (default: unconstrained).")
    long peerDown;

    @Option(names = "--latency", paramLabel = "MS", description = "One-way latency between peers, milliseconds (default: 20).")
    double latencyMillis = 20;

    @Option(names = "--random-seed", paramLabel = "N", description = "Seed of every random choice in the run (default: 1).")
    long randomSeed = 1;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "basic (default), flash-crowd, free-riders, seed-leaves, churn, corrupt-peer or short-of-memory.")
    String scenario = "basic";

    @Option(names = "--free-riders", paramLabel = "FRACTION",
            description = "With --scenario free-riders: the fraction of leechers that upload nothing (default: 0.2).")
    double freeRiders = 0.2;

    @Option(names = "--sequential",
            description = "Every leecher picks pieces in order, as streaming does, instead of rarest first (to see what rarity buys).")
    boolean sequential;

    @Option(names = "--super-seed", description = "The seed super-seeds (BEP 16): it offers each peer one piece at a time.")
    boolean superSeed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per peer (phases, where its data came from) to FILE.")
    Path csv;

    @Override
    public Integer call() throws Exception {
        if (peers < 1 || peers > 20_000) {
            throw new BadInputException("--peers must be 1..20000");
        }
        if (size < 1 || seedRate < 1 || latencyMillis < 0 || peerDown < 0) {
            throw new BadInputException("--size and --seed-rate must be positive, --latency and --peer-down not negative");
        }
        if (peerRate != null && peerRates != null) {
            throw new BadInputException("give --peer-rate or --peer-rates, not both");
        }
        Simulation.Scenario sc;
        try {
            sc = Simulation.Scenario.valueOf(scenario.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--scenario: '" + scenario
                    + "' is not basic, flash-crowd, free-riders, seed-leaves, churn, corrupt-peer or short-of-memory");
        }
        List<Simulation.RateClass> classes = peerRates != null ? rateClasses(peerRates)
                : List.of(new Simulation.RateClass(label(peerRate == null ? 4L << 20 : peerRate),
                        peerRate == null ? 4L << 20 : peerRate, 1));
        int pieceLength;
        if (pieceSize != null) {
            if (pieceSize < 16384 || pieceSize > (64 << 20) || Long.bitCount(pieceSize) != 1) {
                throw new BadInputException("--piece-size must be a power of two from 16K to 64M");
            }
            pieceLength = (int) (long) pieceSize;
        } else {
            pieceLength = Simulation.Config.defaultPieceLength(size);
        }
        Simulation.Config config;
        try {
            config = new Simulation.Config(peers, size, pieceLength, seedRate, classes, peerDown,
                    Math.round(latencyMillis * 1_000_000), randomSeed, sc, sc == Simulation.Scenario.FREE_RIDERS ? freeRiders : 0,
                    sequential, superSeed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "simulate: 1 seed (up %s) and %d leechers (up %s), a %s file in %s pieces, %s ms one way, "
                        + "scenario %s, random seed %d%n", Rates.format(seedRate), peers, describe(classes), Sizes.format(size),
                Sizes.format(pieceLength), num(latencyMillis), sc.name().toLowerCase(Locale.ROOT).replace('_', '-'), randomSeed);
        out.flush();
        long wallStart = System.nanoTime();
        long cpuStart = cpuNanos();
        Simulation.Result r = Simulation.run(config, p -> {
            out.printf(Locale.ROOT, "%7.1f s  swarm %5.1f%%  %d/%d leechers done, %d online%n", p.seconds(), p.fraction() * 100,
                    p.done(), p.expected(), p.online());
            out.flush();
        });
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double cpu = (cpuNanos() - cpuStart) / 1e9;
        SimReport report = new SimReport(r);
        report.print(out);
        out.flush();
        if (csv != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
                report.csv(w);
            }
        }
        // what depends on the machine goes to stderr: stdout is the same run after run
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "wall %.1f s, cpu %.1f s, %d events, %.2f simulated seconds per wall second%n", wall, cpu,
                r.events(), r.seconds() / Math.max(wall, 1e-9));
        err.flush();
        return r.allComplete() ? ExitCode.OK : ExitCode.NEGATIVE;
    }

    private static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** {@code 1M:50%,4M:30%,16M:20%}: rates with their shares of the leechers. */
    static List<Simulation.RateClass> rateClasses(String text) throws BadInputException {
        List<Simulation.RateClass> out = new ArrayList<>();
        Rates.Converter rates = new Rates.Converter();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2 || !kv[1].trim().endsWith("%")) {
                throw new BadInputException("--peer-rates: '" + part + "' is not RATE:SHARE% (e.g. 4M:30%)");
            }
            long rate;
            double share;
            try {
                rate = rates.convert(kv[0]);
                share = Double.parseDouble(kv[1].trim().replace("%", "")) / 100;
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--peer-rates: '" + part + "': " + e.getMessage());
            }
            if (rate < 1 || share <= 0) {
                throw new BadInputException("--peer-rates: '" + part + "' needs a positive rate and share");
            }
            out.add(new Simulation.RateClass(kv[0].trim(), rate, share));
        }
        return out;
    }

    private static String label(long rate) {
        return Sizes.format(rate).replace(" ", "").replace("MiB", "M").replace("KiB", "K").replace("GiB", "G");
    }

    private static String describe(List<Simulation.RateClass> classes) {
        if (classes.size() == 1) {
            return Rates.format(classes.get(0).rate()) + " each";
        }
        StringBuilder b = new StringBuilder();
        for (Simulation.RateClass c : classes) {
            b.append(b.length() == 0 ? "" : ", ").append(Rates.format(c.rate())).append(" ").append(num(c.fraction() * 100)).append('%');
        }
        return b.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
