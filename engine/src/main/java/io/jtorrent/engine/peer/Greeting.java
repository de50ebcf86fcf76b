package io.jtorrent.engine.peer;

import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.wire.PeerMessage;

/**
 * What a peer hears from us right after the handshake: what we have (all, a bitfield, nothing;
 * or, super seeding, only the pieces offered to it), our extended handshake (BEP 10), while we
 * download a few pieces it may fetch before we unchoke it (BEP 6 allowed fast), and our DHT port.
 */
final class Greeting {
    /** BEP 6: pieces a peer may fetch before we unchoke it. */
    static final int ALLOWED_FAST_PIECES = 10;
    /**
     * What a seed grants: a couple, so that every newcomer can start while it waits for an upload
     * slot, but not ten, which at the start split the seed's upload among every connection, each
     * fetching its own pieces, the same ones others fetch. Measured with {@code jtorrent simulate}
     * (0 / 2 / 10 pieces): 100 peers, 32 MiB in 64 KiB pieces, 4 MiB/s: ratio to the bound 1.27 /
     * 1.28 / 1.32 (256 KiB pieces: 1.59 with none, 1.86 with ten); 50 peers on 128 KiB/s links
     * with a 256 KiB/s seed: 1.67 / 1.43 / 1.41.
     */
    static final int SEED_ALLOWED_FAST_PIECES = 2;

    private Greeting() {
    }

    static void greet(PeerConnection p, PeerSet.Host torrent, SuperSeeding superSeeding) {
        PiecePicker<BlockSource> picker = torrent.picker();
        int pieceCount = picker == null ? 0 : picker.pieceCount(); // no picker before a magnet's metadata
        int have = picker == null ? 0 : picker.haveCount();
        if (superSeeding != null && torrent.seeding()) {
            superSeeding.greet(p, torrent.now());
        } else if (p.fast && have > 0 && have == pieceCount) {
            p.send(PeerMessage.HaveAll.INSTANCE);
        } else if (have > 0) {
            p.send(PeerMessage.Bitfield.of(picker.haveSet(), pieceCount));
        } else if (p.fast) {
            p.send(PeerMessage.HaveNone.INSTANCE);
        }
        if (p.extended) {
            p.send(new PeerMessage.Extended(0, torrent.ourExtendedHandshake(p).encode()));
        }
        if (p.fast && torrent.hasMetadata() && p.address.getAddress() instanceof java.net.Inet4Address) {
            int grant = torrent.seeding() ? SEED_ALLOWED_FAST_PIECES : ALLOWED_FAST_PIECES;
            for (int piece : io.jtorrent.wire.AllowedFastSet.compute(p.address.getAddress(), torrent.infoHash().truncated20(),
                    pieceCount, grant)) {
                p.allowedFastForPeer.set(piece);
                p.send(new PeerMessage.AllowedFast(piece));
            }
        }
        if (torrent.dhtPort() > 0 && p.supportsDht) {
            p.send(new PeerMessage.Port(torrent.dhtPort()));
        }
    }
}
