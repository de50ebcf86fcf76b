package io.jtorrent.engine.peer;

import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A peer's requests to us and serving them: checked as they arrive (refused while we choke,
 * except allowed-fast pieces; bounded in number), read from disk a few at a time, sent within the
 * upload limits and while the socket takes more. Part of its {@link PeerConnection}, on its loop.
 */
final class Uploads {
    private static final int MAX_READS_IN_FLIGHT = 8;
    /**
     * How long reads wait after one found no memory for its buffer: a second, because each try
     * against full direct memory costs the JDK a full collection (its reservation calls System.gc).
     */
    static final long RETRY_NANOS = 1_000_000_000L;

    private final PeerConnection peer;
    private final PeerHost host;
    private final ArrayDeque<PeerMessage.Request> incoming = new ArrayDeque<>();
    private int readsInFlight;
    private boolean serveScheduled;
    /** Until when reads wait: one found no memory for its buffer. */
    private long noMemoryUntil = NEVER;
    private static final long NEVER = Long.MIN_VALUE;
    /** Requests refused in a row: a peer that keeps asking in vain is closed. */
    private int rejectsInARow;

    Uploads(PeerConnection peer, PeerHost host) {
        this.peer = peer;
        this.host = host;
    }

    /** A request from the peer: queued and served, or refused (rejected under the fast extension). */
    void requested(PeerMessage.Request r) throws PeerProtocolException {
        if (r.piece() >= host.pieceCount() || (long) r.begin() + r.length() > host.pieceSize(r.piece())) {
            throw new PeerProtocolException("request outside the torrent: " + r);
        }
        boolean mayServe = (!peer.amChoking || peer.allowedFastForPeer.get(r.piece())) && host.havePiece(r.piece())
                && (peer.superOffers == null || peer.superOffers.get(r.piece())); // super seeding: offered pieces only
        if (!mayServe) {
            // BEP 3: requests while choked (or for what we lack) are dropped; BEP 6: rejected
            refuse(r);
            return;
        }
        if (incoming.size() >= host.settings().maxIncomingRequests) {
            if (peer.fast) {
                refuse(r);
                return;
            }
            throw new PeerProtocolException("more than " + host.settings().maxIncomingRequests + " requests queued");
        }
        rejectsInARow = 0;
        incoming.add(r);
        if (peer.seedHints != null) {
            peer.seedHints.requested(peer, r.piece());
        }
        serve();
    }

    private void reject(PeerMessage.Request r) {
        if (peer.fast) {
            peer.send(new PeerMessage.RejectRequest(r.piece(), r.begin(), r.length()));
        }
    }

    /** A request refused as it arrives: counted, and a peer that keeps asking in vain is closed. */
    private void refuse(PeerMessage.Request r) throws PeerProtocolException {
        if (++rejectsInARow > PeerConnection.MAX_REJECTS) {
            throw new PeerProtocolException(PeerConnection.MAX_REJECTS + " requests in a row we could not serve");
        }
        reject(r);
    }

    /** The peer cancelled a request: whether it was still queued. */
    boolean cancelled(PeerMessage.Request r) {
        return incoming.remove(r);
    }

    /** We choke the peer. BEP 6: every queued request gets a piece or a reject; allowed-fast ones are still served. */
    void choked() {
        for (Iterator<PeerMessage.Request> it = incoming.iterator(); it.hasNext(); ) {
            PeerMessage.Request r = it.next();
            if (!peer.allowedFastForPeer.get(r.piece())) {
                it.remove();
                reject(r);
            }
        }
    }

    void clear() {
        incoming.clear();
    }

    /** Reads queued requests from disk and sends them, within upload limits and socket buffer space. */
    void serve() {
        // while choking, the queue holds only allowed-fast requests (setChoking took the others out)
        while (!peer.isClosed() && !incoming.isEmpty() && readsInFlight < MAX_READS_IN_FLIGHT && peer.transport.writable()) {
            long wait = Math.max(host.uploadDelay(), memoryWait());
            if (wait > 0) {
                scheduleServe(wait);
                return;
            }
            PeerMessage.Request r = incoming.poll();
            readsInFlight++;
            host.consumeUpload(r.length());
            host.readBlock(r, (block, error) -> {
                readsInFlight--;
                if (error != null && !host.retryLater(error)) {
                    if (block != null) {
                        block.release();
                    }
                    host.storageError("reading piece " + r.piece() + ": " + error.getMessage());
                    return;
                }
                if (peer.isClosed() || (peer.amChoking && !peer.allowedFastForPeer.get(r.piece()))) {
                    if (block != null) {
                        block.release();
                    }
                    reject(r);
                    return;
                }
                if (error != null) {
                    // no memory for the read just now, the disk is fine: the request waits at the head of the queue
                    incoming.addFirst(r);
                    noMemoryUntil = host.now() + RETRY_NANOS;
                    scheduleServe(RETRY_NANOS);
                    return;
                }
                peer.uploadMeter.add(r.length());
                host.uploaded(r.length());
                peer.send(block);
                serve();
            });
        }
    }

    /** Nanoseconds until reads may try again for memory (0: now). */
    private long memoryWait() {
        if (noMemoryUntil == NEVER) {
            return 0;
        }
        long left = noMemoryUntil - host.now();
        if (left <= 0) {
            noMemoryUntil = NEVER;
        }
        return Math.max(0, left);
    }

    private void scheduleServe(long nanos) {
        if (!serveScheduled) {
            serveScheduled = true;
            host.owner().schedule(() -> {
                serveScheduled = false;
                serve();
            }, Math.max(1, nanos));
        }
    }
}
