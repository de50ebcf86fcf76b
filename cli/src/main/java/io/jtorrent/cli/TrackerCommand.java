package io.jtorrent.cli;

import io.jtorrent.trackerserver.MemoryStore;
import io.jtorrent.trackerserver.RedisStore;
import io.jtorrent.trackerserver.SwarmStore;
import io.jtorrent.trackerserver.TrackerServer;
import io.jtorrent.trackerserver.UdpTrackerServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "tracker", mixinStandardHelpOptions = true,
        description = {"Run a BitTorrent tracker over HTTP and UDP (BEP 15).",
                "HTTP serves announce, scrape, /stats and /metrics; swarms are kept in memory or in Redis",
                "(several trackers sharing them). Runs until interrupted."})
final class TrackerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    LogOptions log;

    @Option(names = "--http-port", paramLabel = "N", description = "HTTP port (default 6969; 0 picks one).")
    int httpPort = 6969;

    @Option(names = "--udp-port", paramLabel = "N", description = "UDP port (default 6969; 0 picks one; -1 turns UDP off).")
    int udpPort = 6969;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: all).")
    String bind;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Announce interval given to clients (default 1800); peers expire after twice it.")
    int interval = 1800;

    @Option(names = "--whitelist", paramLabel = "FILE", description = "Only these info-hashes (hex, one per line); others get a failure reason.")
    Path whitelist;

    @Option(names = "--store", paramLabel = "memory|redis://HOST:PORT", description = "Where swarms live (default: memory).")
    String store = "memory";

    /*
     * Half the cores answer HTTP by default: the other half are left to the UDP reader, the
     * collector and the kernel's network stack. On 2 cores under wrk -t2 -c64 (bench/tracker-vs-
     * opentracker.sh, 2026-12-03): one thread p99 5.18-5.70 ms at 43-47k req/s (4 runs), two
     * threads 7.66 ms at 48k; both 2.3-2.5x opentracker's rate.
     */
    @Option(names = "--http-threads", paramLabel = "N", description = "Threads answering HTTP (default: half the cores, at least one).")
    int httpThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    /** "HTTP on io_uring, UDP on epoll": what the sockets run on (see io.jtorrent.net.Transport). */
    private static String transports(TrackerServer http, UdpTrackerServer udp) {
        String h = "HTTP on " + name(http.transport());
        return udp == null ? h : h + ", UDP on " + name(udp.transport());
    }

    private static String name(io.jtorrent.net.Transport.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Integer call() throws Exception {
        if (!store.equals("memory") && !store.startsWith("redis://")) {
            throw new BadInputException("--store: '" + store + "' is neither 'memory' nor redis://HOST:PORT");
        }
        if (httpThreads < 1 || httpThreads > 256) {
            throw new BadInputException("--http-threads must be 1 to 256");
        }
        if (interval < 1) {
            throw new BadInputException("--interval must be at least 1 second");
        }
        InetAddress address;
        try {
            address = bind == null ? null : InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new BadInputException("--bind: unknown address " + bind);
        }
        Set<String> allowed = null;
        if (whitelist != null) {
            allowed = new HashSet<>();
            for (String line : Files.readAllLines(whitelist)) {
                String h = line.trim().toLowerCase(Locale.ROOT);
                if (h.isEmpty() || h.startsWith("#")) {
                    continue;
                }
                if (!h.matches("[0-9a-f]{40}")) {
                    throw new BadInputException(whitelist + ": '" + line.trim() + "' is not a 40-digit hex info-hash");
                }
                allowed.add(h);
            }
        }
        SwarmStore swarms;
        try {
            swarms = store.equals("memory") ? new MemoryStore(TimeUnit.SECONDS.toNanos(2L * interval), System::nanoTime)
                    : new RedisStore(store, java.time.Duration.ofSeconds(2L * interval));
        } catch (RuntimeException e) {
            throw new BadInputException("--store: cannot use " + store + ": " + e.getMessage());
        }
        InetSocketAddress http = address == null ? new InetSocketAddress(httpPort) : new InetSocketAddress(address, httpPort);
        PrintWriter out = spec.commandLine().getOut();
        try (TrackerServer server = new TrackerServer(http, swarms, interval, allowed, httpThreads)) {
            UdpTrackerServer udp = null;
            if (udpPort >= 0) {
                InetSocketAddress u = address == null ? new InetSocketAddress(udpPort) : new InetSocketAddress(address, udpPort);
                udp = new UdpTrackerServer(u, swarms, interval, allowed);
                server.addMetric("jtorrent_tracker_udp_announces_total", udp::announceCount);
            }
            out.printf("tracker: http://%s:%d/announce%s (stats at /stats, metrics at /metrics; %s)%n",
                    bind == null ? "0.0.0.0" : bind, server.address().getPort(),
                    udp == null ? "" : String.format(" and udp://%s:%d/announce", bind == null ? "0.0.0.0" : bind, udp.address().getPort()),
                    transports(server, udp));
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            UdpTrackerServer udpServer = udp;
            Thread hook = new Thread(() -> {
                stop.countDown();
                if (udpServer != null) {
                    udpServer.close();
                }
                server.close();
            }, "jtorrent-tracker-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            while (!stop.await(60, TimeUnit.SECONDS)) {
                long[] t = swarms.totals();
                out.printf("swarms %d, peers %d, seeders %d, HTTP announces %d%s%n", t[0], t[1], t[2], server.announceCount(),
                        udp == null ? "" : ", UDP announces " + udp.announceCount());
                out.flush();
            }
        } catch (java.io.IOException e) {
            throw new BadInputException(e.getMessage());
        }
        return ExitCode.OK;
    }
}
