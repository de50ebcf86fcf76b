package io.jtorrent.engine.peer;

import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our requests to one peer and the blocks they bring: which blocks are outstanding and since when,
 * which we gave up on (a late block for one is still welcome, one never asked for is not), the
 * round trip they take, and how many to keep queued (twice the bandwidth-delay product; one while
 * the peer snubs us; never over its {@code reqq}). Part of its {@link PeerConnection}, on its loop.
 */
final class Requests {
    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
    private static final int INITIAL_QUEUE = 16;
    /** How many given-up requests are remembered, so their late blocks are still taken. */
    private static final int RELEASED_REMEMBERED = 512;

    /** Our requests to the peer, oldest first, with the time sent. */
    private final Map<PiecePicker.Block, Long> outstanding = new LinkedHashMap<>();
    /** Requests we gave up on (choke, cancel, timeout). */
    private final LinkedHashSet<PiecePicker.Block> released = new LinkedHashSet<>();
    /** Smoothed round-trip time of our requests, ns. */
    private long srtt = TimeUnit.MILLISECONDS.toNanos(100);
    /** The lowest round trip seen: the path's delay without the queue our own requests build. */
    private long minRtt = Long.MAX_VALUE;
    private int target = INITIAL_QUEUE;
    /** The most requests the peer takes at once ({@code reqq} of its extended handshake). */
    private int limit = Integer.MAX_VALUE;
    private long lastBlockAt;
    /** Since when we have waited for a block with requests outstanding (-1: not waiting). */
    private long waitingSince = -1;
    /**
     * The longest such wait in this window and in the one before, ns: a peer that answers in
     * batches (Transmission sends what was asked about twice a second) keeps us waiting far longer
     * than a steady stream's spacing between blocks, and the queue must cover the wait.
     */
    private long longestWait;
    private long longestWaitBefore;
    private long waitWindowStart;
    /** The wait the last block ended, counted if the next comes with it (a batch). */
    private long lastWait;
    private long lastArrival = -1;
    /**
     * Blocks this close together came in one batch: within a thirty-second of the spacing the rate we
     * get from the peer gives its blocks on average, or 250 us (a cold JVM takes that to handle one).
     */
    private static final long BATCH_SPACING = TimeUnit.MICROSECONDS.toNanos(250);
    /** The peer's rate at the last re-size, bytes/s. */
    private long lastRate;
    /** Longer waits are stalls (a snub, a pause), not batches. */
    private static final long MAX_BATCH_WAIT = TimeUnit.SECONDS.toNanos(2);
    /** Waits beyond a steady stream's spacing count only from here (a sender's hiccups stay out). */
    private static final long MIN_BATCH_EXCESS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long WAIT_WINDOW = TimeUnit.SECONDS.toNanos(3);
    /** Re-sizes (one a second) since a batch last ended a wait: after {@link #BATCHES_FORGOTTEN}, the waits are forgotten. */
    private int resizesSinceBatch;
    private static final int BATCHES_FORGOTTEN = 6;
    /** No block for longer than the request timeout: one request at a time until one comes. */
    boolean snubbed;

    private final PeerConnection peer;
    private final PeerHost host;
    /** Blocks the peer sent that we never requested (dropped). */
    private int unrequestedBlocks;

    Requests(PeerConnection peer, PeerHost host, long now) {
        this.peer = peer;
        this.host = host;
        this.lastBlockAt = now;
    }

    boolean isEmpty() {
        return outstanding.isEmpty();
    }

    int size() {
        return outstanding.size();
    }

    List<PiecePicker.Block> blocks() {
        return new ArrayList<>(outstanding.keySet());
    }

    /** How many more to request now: 0 until a batch is worth a picker pass. */
    int room() {
        int t = Math.min(limit, snubbed ? 1 : target);
        int want = t - outstanding.size();
        return want <= 0 || (outstanding.size() > 0 && want < Math.min(4, t / 4)) ? 0 : want;
    }

    void sent(PiecePicker.Block b, long now) {
        if (outstanding.isEmpty()) {
            waitingSince = now;
        }
        outstanding.put(b, now);
    }

    void limit(int reqq) {
        limit = reqq;
    }

    /**
     * A block arrived: the time its request was sent, or -1 if it was given up on (still welcome),
     * or null if we never asked for it.
     */
    Long arrived(PiecePicker.Block b, long now) {
        Long sentAt = outstanding.remove(b);
        if (sentAt == null) {
            return released.remove(b) ? -1L : null;
        }
        long sample = now - sentAt;
        srtt = srtt + (sample - srtt) / 8;
        minRtt = Math.min(minRtt, sample);
        return sentAt;
    }

    /** Any block we wanted arrived: the peer is not snubbing us. */
    void delivered(long now) {
        lastBlockAt = now;
        snubbed = false;
        // a long wait counts when a batch ends it: the next block comes at once. A link that is
        // merely shared (the peer sending to others meanwhile) ends a wait with one block, then
        // the link's spacing, a fair part of the average; so does a simulated one
        long together = lastRate > 0 ? Math.max(BATCH_SPACING, (long) (PiecePicker.BLOCK * 1e9 / lastRate) / 32) : BATCH_SPACING;
        if (lastWait > 0 && now - lastArrival <= together) {
            if (now - waitWindowStart > WAIT_WINDOW) {
                longestWaitBefore = longestWait;
                longestWait = 0;
                waitWindowStart = now;
            }
            longestWait = Math.max(longestWait, lastWait);
            resizesSinceBatch = 0;
        }
        lastWait = waitingSince >= 0 && now - waitingSince <= MAX_BATCH_WAIT ? now - waitingSince : 0;
        lastArrival = now;
        waitingSince = outstanding.isEmpty() ? -1 : now;
    }

    /** No longer outstanding (rejected by the peer): false if it was not. */
    boolean remove(PiecePicker.Block b) {
        boolean was = outstanding.remove(b) != null;
        notWaitingIfNone();
        return was;
    }

    private void notWaitingIfNone() {
        if (outstanding.isEmpty()) {
            waitingSince = -1;
        }
    }

    /** No longer waited for; its block, if it still comes, is taken. False if it was not outstanding. */
    boolean giveUp(PiecePicker.Block b) {
        if (outstanding.remove(b) == null) {
            return false;
        }
        remember(b);
        notWaitingIfNone();
        return true;
    }

    /** Gives up every request (or, with {@code keep}, those of other pieces): the blocks given up. */
    List<PiecePicker.Block> giveUpAll(BitSet keep) {
        List<PiecePicker.Block> out = new ArrayList<>();
        for (Iterator<PiecePicker.Block> it = outstanding.keySet().iterator(); it.hasNext(); ) {
            PiecePicker.Block b = it.next();
            if (keep == null || !keep.get(b.piece())) {
                it.remove();
                remember(b);
                out.add(b);
            }
        }
        notWaitingIfNone();
        return out;
    }

    private void remember(PiecePicker.Block b) {
        released.add(b);
        if (released.size() > RELEASED_REMEMBERED) {
            Iterator<PiecePicker.Block> it = released.iterator();
            it.next();
            it.remove();
        }
    }

    /** Whether requests are outstanding and no block came for {@code timeoutNanos}: the peer snubs us. */
    boolean timedOut(long now, long timeoutNanos) {
        if (!outstanding.isEmpty() && now - lastBlockAt > timeoutNanos) {
            snubbed = true;
            return true;
        }
        return false;
    }

    /**
     * Re-sizes the queue: twice the bandwidth-delay product, at least 2, at most {@code max}. The
     * delay is the lowest round trip seen plus a margin for scheduling, not the smoothed one:
     * requests queued at a rate-limited peer lengthen the smoothed round trip, which would grow the
     * queue, which would lengthen it again. Plus, for a peer that answers in batches, how much
     * longer than a steady stream's spacing we lately waited for a block (from 100 ms): a queue
     * sized from the round trip alone ran dry between its batches, and its rate, and so the queue,
     * stayed low (64 MiB from Transmission 3.00 took minutes).
     */
    void adjust(long rate, int max) {
        lastRate = rate;
        if (++resizesSinceBatch > BATCHES_FORGOTTEN) {
            longestWait = 0; // a peer that stopped batching: its queue goes back to the round trip's
            longestWaitBefore = 0;
        }
        long delay = (minRtt == Long.MAX_VALUE ? srtt : minRtt) + TimeUnit.MILLISECONDS.toNanos(50);
        long spacing = rate > 0 ? (long) (PiecePicker.BLOCK * 1e9 / rate) : 0;
        long batching = Math.max(longestWait, longestWaitBefore) - spacing;
        if (batching >= MIN_BATCH_EXCESS) {
            delay += batching;
        }
        long bdp = (long) (rate * (delay / 1e9));
        int t = (int) Math.min(max, 2 + 2 * bdp / PiecePicker.BLOCK);
        target = Math.max(2, outstanding.isEmpty() && rate == 0 ? INITIAL_QUEUE : t);
    }

    void clear() {
        outstanding.clear();
        waitingSince = -1;
    }

    // ---- the protocol side ----

    void onPiece(PeerMessage.Piece p) throws PeerProtocolException {
        int blockIndex = p.begin() / PiecePicker.BLOCK;
        PiecePicker.Block block = new PiecePicker.Block(p.piece(), blockIndex);
        if (p.piece() >= host.pieceCount() || p.begin() % PiecePicker.BLOCK != 0
                || p.length() != host.blockLength(block)) {
            p.release();
            throw new PeerProtocolException("piece message for a block that does not exist: " + p);
        }
        long now = host.now();
        Long sentAt = arrived(block, now);
        if (sentAt == null) {
            // never asked for: it cannot join a piece (a liar could slip bad data in under honest peers' names)
            p.release();
            unrequestedBlocks++;
            host.unrequestedBlock(p.length());
            if (unrequestedBlocks > PeerConnection.MAX_UNREQUESTED) {
                throw new PeerProtocolException("more than " + PeerConnection.MAX_UNREQUESTED + " blocks we did not request");
            }
            return;
        }
        delivered(now);
        peer.downloadMeter.add(p.length());
        host.blockReceived(peer, block, p, sentAt >= 0); // takes ownership of the data
        long wait = host.consumeDownload(p.length());
        if (wait > 0) {
            peer.pauseReading(wait);
        }
        requestMore();
    }

    /** Tops up our request queue to the peer, if it lets us. */
    void requestMore() {
        if (peer.isClosed() || !peer.amInterested) {
            return;
        }
        BitSet from = peer.has;
        if (peer.peerChoking) {
            // choked: only pieces the peer allows fast (BEP 6)
            if (!peer.fast || peer.allowedFast.isEmpty()) {
                return;
            }
            from = (BitSet) peer.has.clone();
            from.and(peer.allowedFast);
            if (from.isEmpty()) {
                return;
            }
        }
        int want = room();
        if (want == 0) {
            return; // ask in batches: fewer picker passes
        }
        List<PiecePicker.Block> blocks = host.pick(peer, from, want);
        if (blocks.isEmpty()) {
            return;
        }
        long now = host.now();
        for (PiecePicker.Block b : blocks) {
            sent(b, now);
            peer.sendNoFlush(new PeerMessage.Request(b.piece(), b.begin(), host.blockLength(b)));
        }
        peer.transport.flush();
    }

    /** Re-sizes the request queue to the peer's rate (see {@link #adjust}). */
    void adjustQueue() {
        adjust(peer.downloadMeter.rate(), host.settings().maxRequestQueue);
    }

    /** Gives back every outstanding request (choked, snubbed, closing). */
    void dropOutstanding() {
        for (PiecePicker.Block b : giveUpAll(null)) {
            host.unrequest(peer, b);
        }
    }

    /** Cancels one outstanding request (end game: another peer delivered it). */
    void cancel(PiecePicker.Block b) {
        if (giveUp(b)) {
            peer.send(new PeerMessage.Cancel(b.piece(), b.begin(), host.blockLength(b)));
        }
    }

    /**
     * Checked once a second by the torrent: request timeouts and snubbing. A snubbing peer's
     * requests are given back to the picker and cancelled: a peer that was only slow (a stalled
     * stream) then does not send again what we ask of it or of others now; a block already on its
     * way is still taken. The request it then gets has a whole timeout again: asked and cancelled
     * every second, a slow peer's block would never come.
     */
    void checkRequests(long now, long timeoutNanos) {
        if (timedOut(now, timeoutNanos)) {
            LOG.debug("{}: snubbed, {} requests given back", peer.address, size());
            lastBlockAt = now; // the one request it now gets has a whole timeout, not a second
            for (PiecePicker.Block b : giveUpAll(null)) {
                host.unrequest(peer, b);
                peer.sendNoFlush(new PeerMessage.Cancel(b.piece(), b.begin(), host.blockLength(b)));
            }
            peer.transport.flush();
            requestMore();
        }
    }
}
