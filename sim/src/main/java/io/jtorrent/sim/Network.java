package io.jtorrent.sim;

import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.engine.torrent.Torrent;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The simulated network: hosts by address, connections between them, and the latency and
 * capacities that decide when each message arrives. A dial takes a round trip (SYN, SYN-ACK) to a
 * host that is there, and fails after one when it is not; then the BitTorrent handshake goes over
 * the connection like any data, and each side admits the other through its own torrent's peer
 * set, as the real handshake handler does. Payload delivered is counted by sender and receiver.
 */
final class Network {
    private final Scheduler clock;
    private final long latency;
    private final long highWater;
    private final Map<InetSocketAddress, SimPeer> hosts = new HashMap<>();

    /** @param latency one-way, nanoseconds */
    Network(Scheduler clock, long latency, long highWater) {
        this.clock = clock;
        this.latency = latency;
        this.highWater = highWater;
    }

    void listen(SimPeer p) {
        hosts.put(p.address(), p);
    }

    void leave(SimPeer p) {
        hosts.remove(p.address());
    }

    /** Handshakes that reached a torrent, and those it refused (full, already connected, banned ...). */
    long handshakes;
    long refused;

    /** {@code from} dials {@code to}: {@code connected} once the connection is up, {@code failed} if it never is or ends before the peer joined. */
    void dial(SimPeer from, InetSocketAddress to, IntConsumer connected, Runnable failed) {
        clock.at(clock.now() + latency, () -> {
            SimPeer target = hosts.get(to);
            if (target == null || !target.online()) {
                clock.at(clock.now() + latency, failed); // refused: a reset comes back
                return;
            }
            Pipe out = new Pipe(this, from, to, highWater);
            Pipe in = new Pipe(this, target, new InetSocketAddress(from.address().getAddress(), from.nextEphemeralPort()), highWater);
            out.other = in;
            in.other = out;
            out.failedBeforeJoin = failed;
            out.outgoing = true;
            target.opened(in);
            clock.at(clock.now() + latency, () -> {
                if (!from.online()) {
                    out.close();
                    return;
                }
                from.opened(out);
                connected.accept(0);
                out.enqueue(from.handshake());
                out.flush();
            });
        });
    }

    /** A handshake arrived at {@code at}: its torrent admits the peer or the connection closes. */
    void handshake(Pipe at, Handshake h) {
        SimPeer host = at.owner;
        Torrent t = host.torrent();
        if (t == null || !host.online() || !h.infoHash().equals(t.infoHash())) {
            at.close();
            return;
        }
        String refusal = t.peerSet().admit(h.peerId(), at.remoteAddress(), at.outgoing);
        handshakes++;
        if (refusal != null) {
            refused++;
            at.close();
            return;
        }
        if (!at.outgoing) {
            at.enqueue(host.handshake());
            at.flush();
        }
        PeerConnection peer = new PeerConnection(t.peerHost(), at, h, at.outgoing, clock.nanoTime());
        at.peer = peer;
        t.peerSet().joined(peer);
    }

    /** {@code from}'s link sent {@code batch}: it arrives at the other end after the latency and the receiver's downlink. */
    void carry(Pipe from, Pipe.Batch batch) {
        Pipe to = from.other;
        SimPeer receiver = to.owner;
        long at = clock.now() + latency;
        if (receiver.downRate > 0) {
            at = Math.max(at, receiver.downFreeAt) + Uplink.nanos(batch.bytes(), receiver.downRate);
            receiver.downFreeAt = at;
        }
        clock.at(at, () -> to.arrived(batch));
    }

    /** A message is handed to {@code at}'s peer: blocks are counted by who sent them to whom. */
    void delivered(Pipe at, PeerMessage m) {
        if (m instanceof PeerMessage.Piece p) {
            at.owner.received(at.other.owner, p.piece(), p.begin(), p.length());
        }
    }

    /** {@code p} closed: the other end learns of it after the latency. */
    void closing(Pipe p) {
        p.owner.closedPipe(p);
        Pipe other = p.other;
        clock.at(clock.now() + latency, () -> {
            other.owner.closedPipe(other);
            other.remoteClosed();
        });
    }
}
