package io.jtorrent.engine.net;

import io.jtorrent.dht.DhtServer;
import io.jtorrent.dht.NodeId;
import io.jtorrent.engine.Settings;
import io.jtorrent.storage.ResumeData;
import io.jtorrent.tracker.Resolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a session's DHT node (BEP 5): on the settings' UDP port, with an IPv6 node beside the
 * IPv4 one when listening on every address (BEP 32), its id kept in the resume directory across
 * restarts (other nodes' tables know us by it; BEP 42-valid for a public bind address), and its
 * bootstrap begun off the caller's thread.
 */
public final class DhtLauncher {
    private DhtLauncher() {
    }

    public static DhtServer start(Settings s) throws IOException {
        InetSocketAddress bind = s.bindAddress == null ? new InetSocketAddress(s.dhtPort)
                : new InetSocketAddress(s.bindAddress, s.dhtPort);
        NodeId nodeId = nodeId(s);
        // listening on every address: an IPv6 node too, on a port of its own since a dual-stack
        // socket on the same port would collide with the IPv4 one
        InetSocketAddress v6 = s.bindAddress == null ? new InetSocketAddress(InetAddress.getByName("::"), 0) : null;
        try {
            return new DhtServer(bind, v6, nodeId);
        } catch (IOException noIpv6) {
            if (v6 == null) {
                throw noIpv6;
            }
            return new DhtServer(bind, null, nodeId);
        }
    }

    /**
     * Joins through the settings' bootstrap nodes, their names looked up by {@code resolver} (one
     * that does not resolve is skipped). Completes, never failing, once those nodes answered (the
     * routing table holds what they told; the lookup of ourselves goes on meanwhile) or {@code wait}
     * passed: torrents' first lookups wait for it — started on an empty table they would find
     * nothing — but not for the whole bootstrap.
     */
    public static CompletableFuture<Void> bootstrap(DhtServer d, Settings s, Resolver resolver, Duration wait) {
        CompletableFuture<Void> seeded = new CompletableFuture<>();
        return resolver.resolveEach(s.dhtBootstrap, Settings.InetSocketAddressSpec::host, Settings.InetSocketAddressSpec::port)
                .thenCompose(nodes -> {
                    CompletableFuture<io.jtorrent.dht.DhtNode.Lookup> done = d.bootstrap(nodes, seeded);
                    return CompletableFuture.anyOf(seeded, done);
                })
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .handle((lookup, e) -> null);
    }

    /** The node id: the one saved in the resume directory if still valid, else a new random one (saved). */
    static NodeId nodeId(Settings s) {
        // bound to a public address: an id BEP 42 nodes will accept for it
        InetAddress a = s.bindAddress;
        boolean publicAddress = a != null && !a.isAnyLocalAddress() && !a.isLoopbackAddress() && !a.isSiteLocalAddress()
                && !a.isLinkLocalAddress();
        NodeId fresh = publicAddress ? NodeId.bep42(a, new SecureRandom()) : NodeId.random(new SecureRandom());
        if (s.resumeDirectory == null) {
            return fresh;
        }
        Path file = s.resumeDirectory.resolve("dht-node-id");
        try {
            byte[] saved = Files.readAllBytes(file);
            if (saved.length == 20 && (!publicAddress || NodeId.bep42Valid(NodeId.of(saved), a))) {
                return NodeId.of(saved);
            }
        } catch (IOException missing) {
            // first start: make one
        }
        try {
            ResumeData.writeAtomically(file, fresh.bytes());
        } catch (IOException e) {
            // not fatal: the node just gets a new id next time
        }
        return fresh;
    }
}
