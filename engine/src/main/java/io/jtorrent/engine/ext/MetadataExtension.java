package io.jtorrent.engine.ext;

import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.MetadataMessage;
import io.jtorrent.wire.PeerProtocolException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ut_metadata} (BEP 9): serves the info dictionary in 16 KiB pieces to peers that ask,
 * and, for a torrent added from a magnet link, fetches it from peers through a
 * {@link MetadataFetch}. A peer whose pieces make metadata that does not hash to the info-hash
 * is banned; one announcing an absurd size is dropped.
 */
public final class MetadataExtension implements Extension {
    static final String NAME = "ut_metadata";
    public static final int ID = 2;

    private final Extension.Host torrent;
    /** The info dictionary, once known. */
    private byte[] metadata;
    /** While fetching: the assembly; null once the metadata is known. */
    private MetadataFetch<PeerConnection> fetch;
    private final Map<PeerConnection, Integer> served = new HashMap<>();

    public MetadataExtension(Extension.Host torrent, byte[] metadata) {
        this.torrent = torrent;
        this.metadata = metadata;
        if (metadata == null) {
            io.jtorrent.metainfo.InfoHash h = torrent.infoHash();
            // a v2-only magnet: the info dictionary is checked by its SHA-256 (BEP 52)
            fetch = h.version() == io.jtorrent.metainfo.InfoHash.Version.V2 ? new MetadataFetch<>(h.bytes(), "SHA-256")
                    : new MetadataFetch<>(h.truncated20());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int id() {
        return ID;
    }

    /** The size to announce in our handshake, or -1 while we do not know it. */
    public long metadataSize() {
        return metadata == null ? -1 : metadata.length;
    }

    boolean fetching() {
        return fetch != null;
    }

    @Override
    public void peerHandshake(PeerConnection peer, ExtendedHandshake h) {
        if (fetch == null || peer.extensionId(NAME) == 0 || h.metadataSize() < 0) {
            return;
        }
        String refusal = fetch.offered(peer, h.metadataSize());
        if (refusal != null) {
            peer.close(refusal);
            return;
        }
        requestFrom(peer, torrent.now());
    }

    private void requestFrom(PeerConnection peer, long now) {
        for (int piece : fetch.toRequest(peer, now)) {
            peer.sendExtended(NAME, MetadataMessage.request(piece).encode());
        }
    }

    @Override
    public void message(PeerConnection peer, byte[] payload) throws PeerProtocolException {
        MetadataMessage m = MetadataMessage.decode(payload);
        switch (m.type()) {
            case MetadataMessage.REQUEST -> serve(peer, m.piece());
            case MetadataMessage.REJECT -> {
                if (fetch != null) {
                    fetch.rejected(peer, m.piece());
                }
            }
            default -> {
                if (fetch != null) {
                    received(peer, m);
                }
            }
        }
    }

    private void serve(PeerConnection peer, int piece) {
        int pieces = metadata == null ? 0 : (metadata.length + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
        int count = served.merge(peer, 1, Integer::sum);
        // a peer may fetch the whole metadata a few times over, not endlessly
        if (piece >= pieces || count > 4 * pieces + 16) {
            peer.sendExtended(NAME, MetadataMessage.reject(piece).encode());
            return;
        }
        int from = piece * MetadataMessage.PIECE_SIZE;
        byte[] data = java.util.Arrays.copyOfRange(metadata, from, Math.min(metadata.length, from + MetadataMessage.PIECE_SIZE));
        peer.sendExtended(NAME, MetadataMessage.data(piece, metadata.length, data).encode());
    }

    private void received(PeerConnection peer, MetadataMessage m) {
        switch (fetch.received(peer, m.piece(), m.totalSize(), m.data())) {
            case PROGRESS -> requestFrom(peer, torrent.now());
            case COMPLETE -> {
                byte[] bytes = fetch.metadata();
                fetch = null;
                metadata = bytes;
                torrent.metadataReceived(bytes);
            }
            case HASH_FAILED -> {
                List<InetSocketAddress> blamed = new ArrayList<>();
                List<PeerConnection> contributors = fetch.lastContributors();
                for (PeerConnection p : contributors) {
                    blamed.add(p.address());
                }
                torrent.post(new io.jtorrent.engine.SessionEvent.MetadataFailed(torrent.infoHash(), blamed));
                if (contributors.size() == 1) {
                    torrent.ban(contributors.get(0), "sent metadata that does not match the info-hash");
                }
                tick(torrent.now());
            }
            case IGNORED -> { }
        }
    }

    @Override
    public void peerClosed(PeerConnection peer) {
        served.remove(peer);
        if (fetch != null) {
            fetch.peerGone(peer);
        }
    }

    @Override
    public void tick(long now) {
        if (fetch != null) {
            for (PeerConnection p : torrent.connectedPeers()) {
                if (p.extensionId(NAME) != 0) {
                    requestFrom(p, now);
                }
            }
        }
    }
}
