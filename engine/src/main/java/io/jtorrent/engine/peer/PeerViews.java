package io.jtorrent.engine.peer;

import io.jtorrent.engine.PeerInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a torrent's status shows of its peers: the counts, with the wire bytes of peers that left
 * kept so that totals do not drop, and each peer as a row. Part of the {@link PeerSet}; on the loop.
 */
public final class PeerViews {
    /** Counts for a torrent's status: seeds, peers sending to us, peers getting from us, wire bytes. */
    public record Counts(int seeds, int sending, int getting, long wireReceived, long wireSent, int utpPeers,
                         long utpReceived, long utpSent) {}

    private long closedWireReceived;
    private long closedWireSent;
    private long closedUtpReceived;
    private long closedUtpSent;

    /** {@code p} left: its wire bytes stay in the totals. */
    void left(PeerConnection p) {
        closedWireReceived += p.transport.wireReceived();
        closedWireSent += p.transport.wireSent();
        if (p.transport.utp()) {
            closedUtpReceived += p.transport.wireReceived();
            closedUtpSent += p.transport.wireSent();
        }
    }

    Counts counts(Collection<PeerConnection> peers) {
        if (peers.isEmpty()) { // most of a daemon's thousand torrents, most of the time
            return new Counts(0, 0, 0, closedWireReceived, closedWireSent, 0, closedUtpReceived, closedUtpSent);
        }
        int seeds = 0;
        int sending = 0;
        int getting = 0;
        long wireReceived = closedWireReceived;
        long wireSent = closedWireSent;
        int utpPeers = 0;
        long utpReceived = closedUtpReceived;
        long utpSent = closedUtpSent;
        for (PeerConnection p : peers) {
            if (p.transport.utp()) {
                utpPeers++;
                utpReceived += p.transport.wireReceived();
                utpSent += p.transport.wireSent();
            }
            if (p.isSeed()) {
                seeds++;
            }
            if (p.downloadMeter.rate() > 0) {
                sending++;
            }
            if (p.uploadMeter.rate() > 0) {
                getting++;
            }
            wireReceived += p.transport.wireReceived();
            wireSent += p.transport.wireSent();
        }
        return new Counts(seeds, sending, getting, wireReceived, wireSent, utpPeers, utpReceived, utpSent);
    }

    /** Each peer as programs showing a torrent see it; {@code pieceCount} 0 before the metadata. */
    static List<PeerInfo> infos(Collection<PeerConnection> peers, int pieceCount) {
        List<PeerInfo> out = new ArrayList<>();
        for (PeerConnection p : peers) {
            out.add(new PeerInfo(p.address, p.client, p.downloadMeter.rate(), p.uploadMeter.rate(),
                    pieceCount == 0 ? 0 : Math.min(1.0, (double) p.has.cardinality() / pieceCount), p.amChoking,
                    p.amInterested, p.peerChoking, p.peerInterested, p.outgoing, p.encrypted, p.transport.utp()));
        }
        return out;
    }
}
