package io.jtorrent.cli;

import io.jtorrent.dht.DhtServer;
import io.jtorrent.dht.NodeId;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dht", mixinStandardHelpOptions = true,
        description = {"Run a standalone DHT node (BEP 5): a bootstrap service for trackerless swarms.",
                "Prints a status line every 10 seconds; runs until interrupted."})
final class DhtCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    LogOptions log;

    @Option(names = "--port", paramLabel = "N", description = "UDP port (default 6881; 0 picks one).")
    int port = 6881;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: all).")
    String bind;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
            description = "A node to join through (repeatable; default: the public routers).")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Keep the node id here across restarts (default: a new id each run).")
    java.nio.file.Path stateDir;

    @Option(names = "--verify-node-ids", description = "BEP 42: keep nodes whose ids do not match their addresses out of the table.")
    boolean verifyNodeIds;

    /** The kept id, or a new one (kept, when there is a state directory). */
    private NodeId nodeId() throws java.io.IOException {
        NodeId fresh = NodeId.random(new SecureRandom());
        if (stateDir == null) {
            return fresh;
        }
        java.nio.file.Path file = stateDir.resolve("dht-node-id");
        if (java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) == 20) {
            return NodeId.of(java.nio.file.Files.readAllBytes(file));
        }
        java.nio.file.Files.createDirectories(stateDir);
        io.jtorrent.storage.ResumeData.writeAtomically(file, fresh.bytes());
        return fresh;
    }

    @Override
    public Integer call() throws Exception {
        InetAddress address;
        try {
            address = bind == null ? null : InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new BadInputException("--bind: unknown address " + bind);
        }
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String node : bootstrap.isEmpty() ? SessionOptions.DEFAULT_DHT_ROUTERS : bootstrap) {
            int colon = node.lastIndexOf(':');
            InetSocketAddress a;
            try {
                a = new InetSocketAddress(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new BadInputException("--dht-bootstrap: '" + node + "' is not HOST:PORT");
            }
            if (!a.isUnresolved()) {
                nodes.add(a);
            }
        }
        InetSocketAddress listen = address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        PrintWriter out = spec.commandLine().getOut();
        DhtServer dht;
        try {
            // every address: an IPv6 node too (BEP 32), on a port of its own
            InetSocketAddress v6 = address == null ? new InetSocketAddress(InetAddress.getByName("::"), 0) : null;
            NodeId id = nodeId();
            try {
                dht = new DhtServer(listen, v6, id);
            } catch (java.io.IOException noIpv6) {
                if (v6 == null) {
                    throw noIpv6;
                }
                dht = new DhtServer(listen, null, id);
            }
        } catch (java.io.IOException e) {
            throw new BadInputException(e.getMessage());
        }
        if (verifyNodeIds) {
            dht.verifyNodeIds(true);
        }
        CountDownLatch stop = new CountDownLatch(1);
        DhtServer running = dht;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            running.close();
        }, "jtorrent-dht-shutdown"));
        out.printf("dht: node %s on udp %s:%d%s, joining through %d node(s)%n", dht.id(), bind == null ? "0.0.0.0" : bind,
                dht.address().getPort(), dht.addressV6() == null ? "" : " and [::]:" + dht.addressV6().getPort(), nodes.size());
        out.flush();
        dht.bootstrap(nodes);
        long lastIn = 0;
        long lastOut = 0;
        while (!stop.await(10, TimeUnit.SECONDS)) {
            DhtServer.Status s = dht.status().get(10, TimeUnit.SECONDS);
            out.printf("nodes %d in %d buckets %s, queries in %.1f/s out %.1f/s, stored peers %d%n", s.nodes(), s.buckets().length,
                    Arrays.toString(s.buckets()), (s.queriesIn() - lastIn) / 10.0, (s.queriesOut() - lastOut) / 10.0, s.storedPeers());
            out.flush();
            lastIn = s.queriesIn();
            lastOut = s.queriesOut();
        }
        return ExitCode.OK;
    }
}
