package io.jtorrent.engine.ext;

import io.jtorrent.engine.peer.PeerCandidates;
import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.PeerProtocolException;
import io.jtorrent.wire.PexMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer exchange ({@code ut_pex}, BEP 11): tells each peer that speaks it which peers we connected
 * to and dropped since we last told it — the first time a few seconds after the handshake, then
 * at most once a minute, at most {@value #MAX_PER_MESSAGE} of each — and adds the peers others
 * tell us of to the candidates. Never for private torrents (BEP 27). A malformed message is
 * dropped (and counted); the peer stays, its data is still good.
 */
public final class PexExtension implements Extension {
    private static final Logger LOG = LoggerFactory.getLogger(PexExtension.class);
    static final String NAME = "ut_pex";
    public static final int ID = 1;
    static final int MAX_PER_MESSAGE = 50;
    private static final long FIRST_DELAY = 2_000_000_000L;
    private static final long INTERVAL = 60_000_000_000L;
    /** Messages from a peer closer together than this are ignored. */
    private static final long MIN_RECEIVE_INTERVAL = 20_000_000_000L;

    private static final class State {
        final Set<InetSocketAddress> told = new LinkedHashSet<>();
        long nextSend;
        long lastReceived = Long.MIN_VALUE / 2;
    }

    private final Extension.Host torrent;
    private final Map<PeerConnection, State> states = new java.util.LinkedHashMap<>(); // iterated: in the order peers came, not by identity hash
    private int malformed;

    public PexExtension(Extension.Host torrent) {
        this.torrent = torrent;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public boolean enabled() {
        return torrent.pexAllowed();
    }

    public int malformedMessages() {
        return malformed;
    }

    @Override
    public void peerHandshake(PeerConnection peer, ExtendedHandshake h) {
        if (enabled() && peer.extensionId(NAME) != 0 && !states.containsKey(peer)) {
            State s = new State();
            s.nextSend = torrent.now() + FIRST_DELAY;
            states.put(peer, s);
        }
    }

    @Override
    public void message(PeerConnection peer, byte[] payload) {
        if (!enabled()) {
            return;
        }
        State s = states.computeIfAbsent(peer, p -> new State());
        long now = torrent.now();
        if (now - s.lastReceived < MIN_RECEIVE_INTERVAL) {
            return;
        }
        s.lastReceived = now;
        PexMessage m;
        try {
            m = PexMessage.decode(payload);
        } catch (PeerProtocolException e) {
            malformed++;
            LOG.debug("{} {}: malformed PEX message ignored: {}", torrent.name(), peer.address(), e.getMessage());
            return;
        }
        List<InetSocketAddress> added = new ArrayList<>();
        Map<InetSocketAddress, Integer> hints = new HashMap<>();
        for (PexMessage.Peer p : m.added()) {
            added.add(p.address());
            // how to dial it: over uTP first, encrypted
            int h = ((p.flags() & PexMessage.FLAG_UTP) != 0 ? PeerCandidates.UTP : 0)
                    | ((p.flags() & PexMessage.FLAG_ENCRYPTION) != 0 ? PeerCandidates.ENCRYPTION : 0);
            if (h != 0) {
                hints.put(p.address(), h);
            }
        }
        if (!added.isEmpty()) {
            torrent.addCandidates(added, false, a -> hints.getOrDefault(a, 0));
        }
    }

    @Override
    public void peerClosed(PeerConnection peer) {
        states.remove(peer);
    }

    @Override
    public void tick(long now) {
        if (!enabled() || states.isEmpty()) {
            return;
        }
        Map<InetSocketAddress, PeerConnection> current = new HashMap<>();
        for (PeerConnection p : torrent.connectedPeers()) {
            InetSocketAddress reachable = p.reachableAddress();
            if (reachable != null) {
                current.put(reachable, p);
            }
        }
        // a copy: a failed send can close a peer, which removes its state
        for (Map.Entry<PeerConnection, State> e : new ArrayList<>(states.entrySet())) {
            State s = e.getValue();
            if (now < s.nextSend) {
                continue;
            }
            PeerConnection to = e.getKey();
            List<PexMessage.Peer> added = new ArrayList<>();
            for (Map.Entry<InetSocketAddress, PeerConnection> c : current.entrySet()) {
                if (added.size() >= MAX_PER_MESSAGE) {
                    break;
                }
                PeerConnection p = c.getValue();
                if (p != to && !s.told.contains(c.getKey())) {
                    int flags = (p.isSeed() ? PexMessage.FLAG_SEED : 0) | (p.outgoing() ? PexMessage.FLAG_REACHABLE : 0)
                            | (p.encrypted() ? PexMessage.FLAG_ENCRYPTION : 0) | (p.utp() ? PexMessage.FLAG_UTP : 0);
                    added.add(new PexMessage.Peer(c.getKey(), flags));
                }
            }
            List<InetSocketAddress> dropped = new ArrayList<>();
            for (InetSocketAddress a : s.told) {
                if (dropped.size() >= MAX_PER_MESSAGE) {
                    break;
                }
                if (!current.containsKey(a)) {
                    dropped.add(a);
                }
            }
            s.nextSend = now + INTERVAL;
            if (added.isEmpty() && dropped.isEmpty()) {
                continue;
            }
            added.forEach(p -> s.told.add(p.address()));
            dropped.forEach(s.told::remove);
            to.sendExtended(NAME, new PexMessage(added, dropped).encode());
        }
    }
}
