package io.jtorrent.engine.peer;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Our HAVE messages, told in batches. A verified piece is queued for each peer that lacks it, and a
 * peer's queue goes out in one buffer: ahead of the next message we send that peer (a request, a
 * block, an unchoke), else at most {@link #DELAY_NANOS} after the first piece was queued; at once
 * to a peer we unchoke (it may ask for the piece now) and to everyone when the download is
 * complete. Transmission likewise sends HAVEs as batched, low-priority messages.
 *
 * <p>Sent one by one as each piece verified, they were most of a large swarm's messages: 64
 * leechers of a 64 MiB torrent in 64 KiB pieces sent 2.0 million HAVEs for 262 thousand blocks,
 * each allocated, encoded and passed down the pipeline alone (3.6% of that swarm's CPU samples).
 * The delay is short because peers pick rarest first from what they have heard: with 100 ms, the
 * simulation's 1,000 peers (`simulate --peers 1000 --size 32M`, seeds 1-3) finished in 1.29-1.31x
 * the bound instead of 1.28-1.29 (seed 1: 1.31 when unchoked peers waited too); with 25 ms, as before.
 * Owned by the torrent's loop.
 */
final class HaveBatches {
    /** The longest a HAVE to a peer we choke waits for others to go with it. */
    static final long DELAY_NANOS = 25_000_000L;
    /** Pieces one peer's queue holds at most: a full queue is sent at once. */
    static final int MAX_QUEUED = 256;

    private final PeerSet.Host torrent;
    private final Supplier<List<PeerConnection>> peers;
    private io.jtorrent.engine.time.Loop.Timer timer;

    HaveBatches(PeerSet.Host torrent, Supplier<List<PeerConnection>> peers) {
        this.torrent = torrent;
        this.peers = peers;
    }

    /**
     * Queues a HAVE of {@code piece} for {@code p}: it goes out within {@link #DELAY_NANOS}, or now
     * to a peer we unchoke, which may ask for the piece at once.
     */
    void queue(PeerConnection p, int piece) {
        if (p.haves.add(piece) || !p.amChoking) {
            p.flushHaves();
        } else if (timer == null) {
            timer = torrent.owner().schedule(this::due, DELAY_NANOS);
        }
    }

    /** Sends every peer's queue now. */
    void flushAll() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        flushPeers();
    }

    private void due() {
        timer = null;
        flushPeers();
    }

    private void flushPeers() {
        for (PeerConnection p : peers.get()) {
            p.flushHaves();
        }
    }

    /** One peer's HAVEs not yet sent, oldest first. */
    static final class Queue {
        private int[] pieces;
        private int count;

        /** Adds {@code piece}; true when the queue is full and is to be sent now. */
        boolean add(int piece) {
            if (pieces == null) {
                pieces = new int[8];
            } else if (count == pieces.length) {
                pieces = Arrays.copyOf(pieces, Math.min(MAX_QUEUED, count * 2));
            }
            pieces[count++] = piece;
            return count == MAX_QUEUED;
        }

        int size() {
            return count;
        }

        /** Writes the queued HAVEs to {@code transport}, unflushed, and empties the queue; whether there were any. */
        boolean writeTo(PeerTransport transport) {
            if (count == 0) {
                return false;
            }
            transport.writeHaves(pieces, count);
            count = 0;
            return true;
        }
    }
}
