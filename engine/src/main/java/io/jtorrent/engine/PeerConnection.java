package io.jtorrent.engine;

import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.rate.RateMeter;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer of one torrent, after the handshake: the protocol state of both directions, our
 * outstanding requests to it, its requests to us. It does no I/O of its own: messages come in
 * through {@link #handle}, go out through its {@link PeerTransport}, and everything else is asked
 * of its {@link PeerHost} (the torrent), so it runs, and is tested, without a socket. Runs on the
 * host's loop only; every decision that spans peers is the host's. {@link PeerChannelHandler} is
 * its Netty side.
 */
final class PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    /** Disk reads in flight for one peer's requests. */
    private static final int MAX_READS_IN_FLIGHT = 8;
    private static final int INITIAL_QUEUE = 16;
    /**
     * Requests rejected in a row (while we choke the peer, for pieces we lack, over its queue) before
     * the peer is taken as abusive and closed: libtorrent's {@code max_rejects}, with room for the
     * requests an honest peer had in flight when our choke reached it.
     */
    static final int MAX_REJECTS = 1000;
    /** Blocks we never asked for (nor gave up asking for) that a peer may send before it is closed. */
    static final int MAX_UNREQUESTED = 64;
    /** Bytes waiting in our send buffer to a peer; past this it is closed (we also stop reading from it once unwritable). */
    static final long MAX_PENDING_WRITE_BYTES = 16 << 20;
    /** How many given-up requests are remembered, so their late blocks are still taken. */
    private static final int RELEASED_REMEMBERED = 512;

    final PeerHost host;
    final PeerTransport transport;
    final InetSocketAddress address;
    final byte[] peerId;
    String client;
    final boolean outgoing;
    final long connectedAt;
    final boolean supportsDht;
    /** Both ends set the fast extension bit (BEP 6). */
    final boolean fast;
    /** Both ends set the extension protocol bit (BEP 10). */
    final boolean extended;
    /** The peer's extended handshake, once it came. */
    ExtendedHandshake extendedHandshake;
    /** Pieces the peer lets us request while it chokes us (BEP 6 allowed fast). */
    final BitSet allowedFast = new BitSet();
    /** Pieces we let the peer request while we choke it. */
    final BitSet allowedFastForPeer = new BitSet();

    /** Before a magnet's metadata: what the peer said it has, kept until the piece count is known. */
    private PeerMessage.Bitfield earlyBitfield;
    private final BitSet earlyHaves = new BitSet();
    private boolean earlyHaveAll;

    final BitSet has = new BitSet();
    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    boolean snubbed;
    int roundsUnchoked;
    int strikes;

    final RateMeter downloadMeter = new RateMeter();
    final RateMeter uploadMeter = new RateMeter();
    long lastReceived;
    long lastSent;
    long lastBlockAt;
    /** Smoothed round-trip time of our requests, ns. */
    long srtt = TimeUnit.MILLISECONDS.toNanos(100);
    /** The lowest round trip seen: the path's delay without the queue our own requests build. */
    long minRtt = Long.MAX_VALUE;
    int queueTarget = INITIAL_QUEUE;
    /** The most requests the peer takes at once ({@code reqq} of its extended handshake). */
    int queueLimit = Integer.MAX_VALUE;

    /** Our requests to the peer, oldest first, with the time sent. */
    final Map<PiecePicker.Block, Long> outstanding = new LinkedHashMap<>();
    /** Requests we gave up on (choke, cancel, timeout): a late block for one is still welcome. */
    private final java.util.LinkedHashSet<PiecePicker.Block> released = new java.util.LinkedHashSet<>();
    /** The peer's requests rejected since we last served one. */
    int rejectsInARow;
    /** Blocks the peer sent that we never requested (dropped). */
    int unrequestedBlocks;
    /** The peer's requests to us, not yet read from disk. */
    private final ArrayDeque<PeerMessage.Request> incoming = new ArrayDeque<>();
    private int readsInFlight;
    private boolean serveScheduled;
    private long readPausedUntil;
    private boolean closed;

    PeerConnection(PeerHost host, PeerTransport transport, Handshake handshake, boolean outgoing, long now) {
        this.host = host;
        this.transport = transport;
        this.address = transport.remoteAddress();
        this.peerId = handshake.peerId();
        this.client = handshake.peerIdText();
        this.outgoing = outgoing;
        this.connectedAt = now;
        this.lastReceived = now;
        this.lastSent = now;
        this.lastBlockAt = now;
        this.supportsDht = handshake.supportsDht();
        Handshake ours = host.ourHandshake();
        this.fast = handshake.supportsFast() && ours.supportsFast();
        this.extended = handshake.supportsExtensionProtocol() && ours.supportsExtensionProtocol();
    }

    boolean isSeed() {
        return host.hasMetadata() && has.cardinality() == host.pieceCount();
    }

    void send(PeerMessage m) {
        if (pendingWriteBytes() > MAX_PENDING_WRITE_BYTES) {
            if (m instanceof PeerMessage.Piece p) {
                p.release();
            }
            close("does not read: more than " + MAX_PENDING_WRITE_BYTES + " bytes waiting to be sent");
            return;
        }
        lastSent = host.now();
        transport.send(m);
    }

    private long pendingWriteBytes() {
        return transport.pendingBytes();
    }

    /** A request we no longer wait for; its block, if it still comes, is taken. */
    private void giveUp(PiecePicker.Block b) {
        released.add(b);
        if (released.size() > RELEASED_REMEMBERED) {
            var it = released.iterator();
            it.next();
            it.remove();
        }
    }

    private void sendNoFlush(PeerMessage m) {
        lastSent = host.now();
        transport.write(m);
    }

    // ---- inbound messages ----

    void handle(Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastReceived = host.now();
        try {
            if (msg instanceof PeerMessage.Piece p) {
                if (!host.hasMetadata()) {
                    p.release(); // nothing was requested yet
                    return;
                }
                onPiece(p);
            } else if (msg instanceof PeerMessage m) {
                onMessage(m);
            } else {
                ReferenceCountUtil.release(msg);
            }
        } catch (PeerProtocolException e) {
            close("protocol violation: " + e.getMessage());
        }
    }

    private void onMessage(PeerMessage m) throws PeerProtocolException {
        if (isFastMessage(m) && !fast) {
            throw new PeerProtocolException("fast extension message " + m + " without the fast extension");
        }
        if (m instanceof PeerMessage.Extended e) {
            if (!extended) {
                throw new PeerProtocolException("extended message without the extension protocol");
            }
            onExtended(e);
            return;
        }
        if (!host.hasMetadata()) {
            onMessageBeforeMetadata(m);
            return;
        }
        if (m instanceof PeerMessage.Bitfield b) {
            // BEP 3 puts it first. aria2 sends one later too (after haves), so a later bitfield
            // is taken as a list of pieces the peer has, added to what we knew.
            addPieces(b.toBitSet(host.pieceCount()));
        } else if (m instanceof PeerMessage.HaveAll) {
            BitSet all = new BitSet();
            all.set(0, host.pieceCount());
            addPieces(all);
        } else if (m instanceof PeerMessage.Have h) {
            if (h.piece() >= host.pieceCount()) {
                throw new PeerProtocolException("have of piece " + h.piece() + " of " + host.pieceCount());
            }
            if (!has.get(h.piece())) {
                has.set(h.piece());
                host.peerHasPiece(this, h.piece());
            }
        } else if (m instanceof PeerMessage.Choke) {
            peerChoking = true;
            if (fast) {
                // BEP 6: requests are not dropped by a choke; the peer rejects what it will not
                // serve. Requests in the allowed-fast set stay; the others are given to other
                // peers now rather than after the rejects (a late block is still taken).
                for (PiecePicker.Block b : new ArrayList<>(outstanding.keySet())) {
                    if (!allowedFast.get(b.piece())) {
                        outstanding.remove(b);
                        giveUp(b);
                        host.unrequest(this, b);
                    }
                }
            } else {
                dropOutstanding();
            }
        } else if (m instanceof PeerMessage.Unchoke) {
            peerChoking = false;
            requestMore();
        } else if (m instanceof PeerMessage.Interested) {
            peerInterested = true;
            host.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.NotInterested) {
            peerInterested = false;
            host.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.Request r) {
            onRequest(r);
        } else if (m instanceof PeerMessage.Cancel c) {
            PeerMessage.Request r = new PeerMessage.Request(c.piece(), c.begin(), c.length());
            if (incoming.remove(r) && fast) {
                send(new PeerMessage.RejectRequest(c.piece(), c.begin(), c.length()));
            }
        } else if (m instanceof PeerMessage.RejectRequest r) {
            PiecePicker.Block b = new PiecePicker.Block(r.piece(), r.begin() / PiecePicker.BLOCK);
            if (outstanding.remove(b) != null) {
                host.unrequest(this, b);
                requestMore();
            }
        } else if (m instanceof PeerMessage.AllowedFast a) {
            if (a.piece() < host.pieceCount()) {
                allowedFast.set(a.piece());
                if (peerChoking && has.get(a.piece()) && host.wantPiece(a.piece())) {
                    setInterested(true);
                    requestMore();
                }
            }
        } else if (m instanceof PeerMessage.SuggestPiece sp) {
            if (sp.piece() >= host.pieceCount()) {
                throw new PeerProtocolException("suggest of piece " + sp.piece() + " of " + host.pieceCount());
            }
            // a hint only: the picker's rarest-first order stands
        } else if (m instanceof PeerMessage.Port p && p.port() > 0) {
            host.dhtNode(new InetSocketAddress(address.getAddress(), p.port()));
        }
        // keep-alive, have none: nothing to do
    }

    private static boolean isFastMessage(PeerMessage m) {
        return m instanceof PeerMessage.HaveAll || m instanceof PeerMessage.HaveNone || m instanceof PeerMessage.SuggestPiece
                || m instanceof PeerMessage.RejectRequest || m instanceof PeerMessage.AllowedFast;
    }

    private void addPieces(BitSet pieces) {
        pieces.andNot(has);
        has.or(pieces);
        host.peerHasPieces(this, pieces);
    }

    /**
     * A magnet's torrent before its metadata: piece indices cannot be checked yet, so what the
     * peer has is kept for {@link #metadataArrived}; requests are refused, choking noted.
     */
    private void onMessageBeforeMetadata(PeerMessage m) {
        if (m instanceof PeerMessage.Bitfield b) {
            earlyBitfield = b;
        } else if (m instanceof PeerMessage.Have h) {
            if (h.piece() < 8 * io.jtorrent.wire.PeerWireDecoder.DEFAULT_MAX_BITFIELD_BYTES) {
                earlyHaves.set(h.piece());
            }
        } else if (m instanceof PeerMessage.HaveAll) {
            earlyHaveAll = true;
        } else if (m instanceof PeerMessage.Request r) {
            if (fast) {
                send(new PeerMessage.RejectRequest(r.piece(), r.begin(), r.length()));
            }
        } else if (m instanceof PeerMessage.Choke) {
            peerChoking = true;
        } else if (m instanceof PeerMessage.Unchoke) {
            peerChoking = false;
        } else if (m instanceof PeerMessage.Interested) {
            peerInterested = true;
        } else if (m instanceof PeerMessage.NotInterested) {
            peerInterested = false;
        } else if (m instanceof PeerMessage.Port p && p.port() > 0) {
            host.dhtNode(new InetSocketAddress(address.getAddress(), p.port()));
        }
    }

    /** The metadata arrived: what the peer said it has can be checked and counted now. */
    void metadataArrived() throws PeerProtocolException {
        BitSet pieces = new BitSet();
        if (earlyHaveAll) {
            pieces.set(0, host.pieceCount());
        }
        if (earlyBitfield != null) {
            pieces.or(earlyBitfield.toBitSet(host.pieceCount()));
        }
        if (earlyHaves.length() > host.pieceCount()) {
            throw new PeerProtocolException("have of piece " + (earlyHaves.length() - 1) + " of " + host.pieceCount());
        }
        pieces.or(earlyHaves);
        earlyBitfield = null;
        earlyHaves.clear();
        addPieces(pieces);
    }

    // ---- extension protocol (BEP 10) ----

    private void onExtended(PeerMessage.Extended e) throws PeerProtocolException {
        byte[] payload = e.payload();
        if (e.id() == 0) {
            extendedHandshake = ExtendedHandshake.decode(payload);
            extendedHandshake.client().ifPresent(v -> client = v);
            if (extendedHandshake.requestQueue() > 0) {
                queueLimit = extendedHandshake.requestQueue();
            }
            host.extendedHandshake(this, extendedHandshake);
            return;
        }
        Extension x = host.extension(e.id());
        if (x != null) {
            x.message(this, payload);
        }
        // an id we never offered: ignored, as BEP 10 asks
    }

    /** The id the peer wants {@code name} messages under, 0 if it does not speak it (or has not said yet). */
    int extensionId(String name) {
        return extendedHandshake == null ? 0 : extendedHandshake.idOf(name);
    }

    /** Sends an extension message if the peer speaks the extension; false if it does not. */
    boolean sendExtended(String name, byte[] payload) {
        int id = extensionId(name);
        if (id == 0 || closed) {
            return false;
        }
        send(new PeerMessage.Extended(id, payload));
        return true;
    }

    /**
     * The address others can reach this peer at: the one we dialled, or for a peer that dialled
     * us, its address with the listen port its extended handshake gave; null if unknown.
     */
    InetSocketAddress reachableAddress() {
        if (outgoing) {
            return address;
        }
        int port = extendedHandshake == null ? 0 : extendedHandshake.listenPort();
        return port == 0 ? null : new InetSocketAddress(address.getAddress(), port);
    }

    private void onRequest(PeerMessage.Request r) throws PeerProtocolException {
        if (r.piece() >= host.pieceCount() || (long) r.begin() + r.length() > host.pieceSize(r.piece())) {
            throw new PeerProtocolException("request outside the torrent: " + r);
        }
        boolean mayServe = (!amChoking || allowedFastForPeer.get(r.piece())) && host.havePiece(r.piece());
        if (!mayServe) {
            // BEP 3: requests while choked (or for what we lack) are dropped; BEP 6: rejected
            refuse(r);
            return;
        }
        if (incoming.size() >= host.settings().maxIncomingRequests) {
            if (fast) {
                refuse(r);
                return;
            }
            throw new PeerProtocolException("more than " + host.settings().maxIncomingRequests + " requests queued");
        }
        rejectsInARow = 0;
        incoming.add(r);
        serve();
    }

    private void reject(PeerMessage.Request r) {
        if (fast) {
            send(new PeerMessage.RejectRequest(r.piece(), r.begin(), r.length()));
        }
    }

    /** A request refused as it arrives: counted, and a peer that keeps asking in vain is closed. */
    private void refuse(PeerMessage.Request r) throws PeerProtocolException {
        if (++rejectsInARow > MAX_REJECTS) {
            throw new PeerProtocolException(MAX_REJECTS + " requests in a row we could not serve");
        }
        reject(r);
    }

    private void onPiece(PeerMessage.Piece p) throws PeerProtocolException {
        int blockIndex = p.begin() / PiecePicker.BLOCK;
        PiecePicker.Block block = new PiecePicker.Block(p.piece(), blockIndex);
        Long sentAt = outstanding.remove(block);
        if (p.piece() >= host.pieceCount() || p.begin() % PiecePicker.BLOCK != 0
                || p.length() != host.blockLength(block)) {
            p.release();
            throw new PeerProtocolException("piece message for a block that does not exist: " + p);
        }
        if (sentAt == null && !released.remove(block)) {
            // never asked for: it cannot join a piece (a liar could slip bad data in under honest peers' names)
            p.release();
            unrequestedBlocks++;
            host.unrequestedBlock(p.length());
            if (unrequestedBlocks > MAX_UNREQUESTED) {
                throw new PeerProtocolException("more than " + MAX_UNREQUESTED + " blocks we did not request");
            }
            return;
        }
        long now = host.now();
        if (sentAt != null) {
            long sample = now - sentAt;
            srtt = srtt + (sample - srtt) / 8;
            minRtt = Math.min(minRtt, sample);
        }
        lastBlockAt = now;
        snubbed = false;
        downloadMeter.add(p.length());
        host.blockReceived(this, block, p, sentAt != null); // takes ownership of the data
        long wait = host.consumeDownload(p.length());
        if (wait > 0) {
            pauseReading(wait);
        }
        requestMore();
    }

    // ---- requesting ----

    /** Tops up our request queue to the peer, if it lets us. */
    void requestMore() {
        if (closed || !amInterested) {
            return;
        }
        BitSet from = has;
        if (peerChoking) {
            // choked: only pieces the peer allows fast (BEP 6)
            if (!fast || allowedFast.isEmpty()) {
                return;
            }
            from = (BitSet) has.clone();
            from.and(allowedFast);
            if (from.isEmpty()) {
                return;
            }
        }
        int target = Math.min(queueLimit, snubbed ? 1 : queueTarget);
        int want = target - outstanding.size();
        if (want <= 0 || (outstanding.size() > 0 && want < Math.min(4, target / 4))) {
            return; // ask in batches: fewer picker passes
        }
        List<PiecePicker.Block> blocks = host.pick(this, from, want);
        if (blocks.isEmpty()) {
            return;
        }
        long now = host.now();
        for (PiecePicker.Block b : blocks) {
            outstanding.put(b, now);
            sendNoFlush(new PeerMessage.Request(b.piece(), b.begin(), host.blockLength(b)));
        }
        transport.flush();
    }

    /**
     * Re-sizes the request queue: twice the bandwidth-delay product, at least 2, at most the
     * setting. The delay is the lowest round trip seen plus a margin for scheduling, not the
     * smoothed one: requests queued at a rate-limited peer lengthen the smoothed round trip, which
     * would grow the queue, which would lengthen it again.
     */
    void adjustQueue() {
        long rate = downloadMeter.rate();
        long delay = (minRtt == Long.MAX_VALUE ? srtt : minRtt) + TimeUnit.MILLISECONDS.toNanos(50);
        long bdp = (long) (rate * (delay / 1e9));
        int target = (int) Math.min(host.settings().maxRequestQueue, 2 + 2 * bdp / PiecePicker.BLOCK);
        queueTarget = Math.max(2, outstanding.isEmpty() && rate == 0 ? INITIAL_QUEUE : target);
    }

    /** Gives back every outstanding request (choked, snubbed, closing). */
    void dropOutstanding() {
        for (PiecePicker.Block b : outstanding.keySet()) {
            giveUp(b);
            host.unrequest(this, b);
        }
        outstanding.clear();
    }

    /** Cancels one outstanding request (end game: another peer delivered it). */
    void cancel(PiecePicker.Block b) {
        if (outstanding.remove(b) != null) {
            giveUp(b);
            send(new PeerMessage.Cancel(b.piece(), b.begin(), host.blockLength(b)));
        }
    }

    void setInterested(boolean interested) {
        if (interested != amInterested) {
            amInterested = interested;
            send(interested ? PeerMessage.Interested.INSTANCE : PeerMessage.NotInterested.INSTANCE);
            if (interested) {
                requestMore();
            }
        }
    }

    /** Checked once a second by the torrent: request timeouts and snubbing. */
    void checkRequests(long now, long timeoutNanos) {
        if (!outstanding.isEmpty() && now - lastBlockAt > timeoutNanos) {
            snubbed = true;
            LOG.debug("{}: snubbed, {} requests given back", address, outstanding.size());
            dropOutstanding();
            requestMore();
        }
    }

    // ---- serving ----

    void setChoking(boolean choke) {
        if (choke == amChoking) {
            return;
        }
        amChoking = choke;
        if (choke) {
            send(PeerMessage.Choke.INSTANCE);
            // BEP 6: every request gets a piece or a reject; allowed-fast ones are still served
            for (java.util.Iterator<PeerMessage.Request> it = incoming.iterator(); it.hasNext(); ) {
                PeerMessage.Request r = it.next();
                if (!allowedFastForPeer.get(r.piece())) {
                    it.remove();
                    reject(r);
                }
            }
        } else {
            send(PeerMessage.Unchoke.INSTANCE);
        }
    }

    /** Reads queued requests from disk and sends them, within upload limits and socket buffer space. */
    void serve() {
        // while choking, the queue holds only allowed-fast requests (setChoking took the others out)
        while (!closed && !incoming.isEmpty() && readsInFlight < MAX_READS_IN_FLIGHT && transport.writable()) {
            long wait = host.uploadDelay();
            if (wait > 0) {
                scheduleServe(wait);
                return;
            }
            PeerMessage.Request r = incoming.poll();
            readsInFlight++;
            host.consumeUpload(r.length());
            host.readBlock(r, (data, error) -> {
                readsInFlight--;
                if (error != null) {
                    if (data != null) {
                        data.release();
                    }
                    host.storageError("reading piece " + r.piece() + ": " + error.getMessage());
                    return;
                }
                if (closed || (amChoking && !allowedFastForPeer.get(r.piece()))) {
                    data.release();
                    reject(r);
                    return;
                }
                uploadMeter.add(r.length());
                host.uploaded(r.length());
                send(new PeerMessage.Piece(r.piece(), r.begin(), data));
                serve();
            });
        }
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

    /** The transport's outbound buffer crossed a water mark. */
    void writabilityChanged() {
        // a peer that does not read what we send is not read from either: its requests (and our
        // answers to them) cannot pile up
        updateAutoRead();
        if (transport.writable()) {
            serve();
        }
    }

    // ---- flow control ----

    private void pauseReading(long nanos) {
        readPausedUntil = host.now() + nanos;
        updateAutoRead();
        host.owner().schedule(this::updateAutoRead, nanos);
    }

    void updateAutoRead() {
        boolean read = !host.diskBackedUp() && host.now() >= readPausedUntil && transport.writable();
        transport.reading(read);
    }

    // ---- closing ----

    void close(String reason) {
        if (!closed) {
            LOG.debug("{} {}: closing: {}", host.name(), address, reason);
            closed = true;
            host.peerClosed(this, reason);
            transport.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Releases everything this peer held in the picker; called by the torrent on close. */
    void releaseAll() {
        incoming.clear();
        outstanding.clear();
    }

    List<PiecePicker.Block> outstandingBlocks() {
        return new ArrayList<>(outstanding.keySet());
    }

    @Override
    public String toString() {
        return address + " (" + client + ")";
    }
}
