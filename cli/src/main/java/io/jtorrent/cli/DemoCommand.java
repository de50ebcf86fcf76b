package io.jtorrent.cli;

import io.jtorrent.swarm.SwarmRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show BitTorrent at work: a tracker, one seed and N leechers of a generated file.",
                "All run in this process on 127.0.0.1, each peer a real session with its own port and upload limit.",
                "Ends with the time for all to complete against the theoretical bound and client-server."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    LogOptions log;

    @Option(names = "--peers", paramLabel = "N", description = "Leechers (default: 8).")
    int peers = 8;

    @Option(names = "--size", paramLabel = "SIZE", converter = Sizes.Converter.class, description = "File size (default: 64M).")
    long size = 64L << 20;

    @Option(names = "--seed-rate", paramLabel = "RATE", converter = Rates.Converter.class,
            description = "The seed's upload limit (default: 4M, bytes per second).")
    long seedRate = 4L << 20;

    @Option(names = "--peer-rate", paramLabel = "RATE", converter = Rates.Converter.class,
            description = "Each leecher's upload limit (default: 4M).")
    long peerRate = 4L << 20;

    @Option(names = "--scenario", paramLabel = "NAME", description = "basic (default), seed-leaves, churn or corrupt-peer.")
    String scenario = "basic";

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the peers' data goes (default: a temporary folder, deleted after).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (peers < 1 || peers > 200) {
            throw new BadInputException("--peers must be 1..200");
        }
        if (size < 1 || seedRate < 1 || peerRate < 1) {
            throw new BadInputException("--size and the rates must be positive");
        }
        SwarmRunner.Scenario sc;
        try {
            sc = SwarmRunner.Scenario.valueOf(scenario.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--scenario: '" + scenario + "' is not basic, seed-leaves, churn or corrupt-peer");
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("jtorrent-demo");
        PrintWriter out = spec.commandLine().getOut();
        int pieceLength = (int) Math.max(16384, Math.min(1 << 20, Long.highestOneBit(Math.max(1, size / 1000))));
        SwarmRunner.Config config = new SwarmRunner.Config(peers, size, seedRate, peerRate, pieceLength, sc, work, 1);
        out.printf(Locale.ROOT, "demo: 1 seed (up %s) and %d leechers (up %s each), a %s file in %s pieces, tracker on 127.0.0.1%n",
                Rates.format(seedRate), peers, Rates.format(peerRate), Sizes.format(size), Sizes.format(pieceLength));
        out.flush();
        SwarmDisplay display = new SwarmDisplay(out, System.console() != null);
        SwarmRunner.Result r;
        try {
            r = SwarmRunner.run(config, display::show);
        } finally {
            if (dir == null) {
                deleteTree(work);
            }
        }
        display.finish();
        out.printf(Locale.ROOT, "%d of %d leechers complete, data verified: %s%n", r.completed(), r.expected(),
                r.dataVerified() ? "yes" : "NO");
        out.printf(Locale.ROOT, "time for all to complete:        %.1f s%n", r.seconds());
        out.printf(Locale.ROOT, "theoretical lower bound T*:      %.1f s  = max(F/u_s, N*F/(u_s + N*u)); ratio %.2f%n",
                config.boundSeconds(), r.ratio());
        out.printf(Locale.ROOT, "client-server time N*F/u_s:      %.1f s%n", config.clientServerSeconds());
        out.printf(Locale.ROOT, "the seed uploaded:               %.2f copies of the file%n", r.seedCopies());
        out.printf(Locale.ROOT, "leechers together held it all:   after %.1f s (F/u_s = %.1f s)%n", r.aggregateCopySeconds(),
                (double) size / seedRate);
        if (r.hashFailures() > 0 || r.wastedBytes() > 0) {
            out.printf(Locale.ROOT, "pieces failing their check:      %d (%s wasted)%n", r.hashFailures(), Sizes.format(r.wastedBytes()));
        }
        out.println(r.summaryLine());
        out.flush();
        return r.allComplete() ? ExitCode.OK : ExitCode.NEGATIVE;
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
