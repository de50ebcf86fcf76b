package io.jtorrent.engine.peer;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Our HAVE messages, told in batches. A verified piece is queued for each peer that lacks it, and a
 * peer's queue goes out in one buffer: ahead of the next message we send that peer (a request, a
 * block), else at most {@link #DELAY_NANOS} after the first piece was queued, else at once when the
 * download is complete. Transmission likewise sends HAVEs as batched, low-priority messages.
 *
 * <p>Sent one by one as each piece verified, they were most of a large swarm's messages: 64
 * leechers of a 64 MiB torrent in 64 KiB pieces sent 2.0 million HAVEs for 262 thousand blocks,
 * each allocated, encoded and passed down the pipeline alone (3.6% of that swarm's CPU samples).
 * Owned by the torrent's loop.
 */
final class HaveBatches {
    /** The longest a HAVE waits for others to go with it. */
    static final long DELAY_NANOS = 100_000_000L;
    /** Pieces one peer's queue holds at most: a full queue is sent at once. */
    static final int MAX_QUEUED = 256;

    private final PeerSet.Host torrent;
    private final Supplier<List<PeerConnection>> peers;
    private io.jtorrent.engine.time.Loop.Timer timer;

    HaveBatches(PeerSet.Host torrent, Supplier<List<PeerConnection>> peers) {
        this.torrent = torrent;
        this.peers = peers;
    }

    /** Queues a HAVE of {@code piece} for {@code p}: it goes out within {@link #DELAY_NANOS}. */
    void queue(PeerConnection p, int piece) {
        if (p.haves.add(piece)) {
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
