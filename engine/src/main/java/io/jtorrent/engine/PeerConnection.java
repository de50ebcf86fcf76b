package io.jtorrent.engine;

import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
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
 * outstanding requests to it, its requests to us. Runs on the torrent's event loop only; every
 * decision that spans peers is the {@link Torrent}'s.
 */
final class PeerConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    /** Disk reads in flight for one peer's requests. */
    private static final int MAX_READS_IN_FLIGHT = 8;
    private static final int INITIAL_QUEUE = 16;

    final Torrent torrent;
    final Channel channel;
    final InetSocketAddress address;
    final byte[] peerId;
    final String client;
    final boolean outgoing;
    final long connectedAt;
    final boolean supportsDht;

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

    /** Our requests to the peer, oldest first, with the time sent. */
    final Map<PiecePicker.Block, Long> outstanding = new LinkedHashMap<>();
    /** The peer's requests to us, not yet read from disk. */
    private final ArrayDeque<PeerMessage.Request> incoming = new ArrayDeque<>();
    private int readsInFlight;
    private boolean serveScheduled;
    private long readPausedUntil;
    private boolean closed;

    PeerConnection(Torrent torrent, Channel channel, Handshake handshake, boolean outgoing, long now) {
        this.torrent = torrent;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.remoteAddress();
        this.peerId = handshake.peerId();
        this.client = handshake.peerIdText();
        this.outgoing = outgoing;
        this.connectedAt = now;
        this.lastReceived = now;
        this.lastSent = now;
        this.lastBlockAt = now;
        this.supportsDht = handshake.supportsDht();
    }

    boolean isSeed() {
        return has.cardinality() == torrent.pieceCount();
    }

    void send(PeerMessage m) {
        lastSent = torrent.now();
        channel.writeAndFlush(m, channel.voidPromise());
    }

    private void sendNoFlush(PeerMessage m) {
        lastSent = torrent.now();
        channel.write(m, channel.voidPromise());
    }

    // ---- inbound messages ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        handle(msg);
    }

    void handle(Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastReceived = torrent.now();
        try {
            if (msg instanceof PeerMessage.Piece p) {
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
        if (m instanceof PeerMessage.Bitfield b) {
            // BEP 3 puts it first. aria2 sends one later too (after haves), so a later bitfield
            // is taken as a list of pieces the peer has, added to what we knew.
            BitSet pieces = b.toBitSet(torrent.pieceCount());
            pieces.andNot(has);
            has.or(pieces);
            torrent.peerHasPieces(this, pieces);
        } else if (m instanceof PeerMessage.Have h) {
            if (h.piece() >= torrent.pieceCount()) {
                throw new PeerProtocolException("have of piece " + h.piece() + " of " + torrent.pieceCount());
            }
            if (!has.get(h.piece())) {
                has.set(h.piece());
                torrent.peerHasPiece(this, h.piece());
            }
        } else if (m instanceof PeerMessage.Choke) {
            peerChoking = true;
            dropOutstanding();
        } else if (m instanceof PeerMessage.Unchoke) {
            peerChoking = false;
            requestMore();
        } else if (m instanceof PeerMessage.Interested) {
            peerInterested = true;
            torrent.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.NotInterested) {
            peerInterested = false;
            torrent.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.Request r) {
            onRequest(r);
        } else if (m instanceof PeerMessage.Cancel c) {
            incoming.remove(new PeerMessage.Request(c.piece(), c.begin(), c.length()));
        } else if (m instanceof PeerMessage.Port p && p.port() > 0) {
            torrent.dhtNode(new InetSocketAddress(address.getAddress(), p.port()));
        }
        // keep-alive: nothing to do
    }

    private void onRequest(PeerMessage.Request r) throws PeerProtocolException {
        if (amChoking) {
            return; // BEP 3: requests while choked are dropped
        }
        if (r.piece() >= torrent.pieceCount() || (long) r.begin() + r.length() > torrent.pieceSize(r.piece())) {
            throw new PeerProtocolException("request outside the torrent: " + r);
        }
        if (!torrent.havePiece(r.piece())) {
            return; // a request for what we do not have: ignore, as libtorrent does without fast ext.
        }
        if (incoming.size() >= torrent.settings().maxIncomingRequests) {
            throw new PeerProtocolException("more than " + torrent.settings().maxIncomingRequests + " requests queued");
        }
        incoming.add(r);
        serve();
    }

    private void onPiece(PeerMessage.Piece p) throws PeerProtocolException {
        int blockIndex = p.begin() / PiecePicker.BLOCK;
        PiecePicker.Block block = new PiecePicker.Block(p.piece(), blockIndex);
        Long sentAt = outstanding.remove(block);
        if (p.piece() >= torrent.pieceCount() || p.begin() % PiecePicker.BLOCK != 0
                || p.length() != torrent.blockLength(block)) {
            p.release();
            throw new PeerProtocolException("piece message for a block that does not exist: " + p);
        }
        long now = torrent.now();
        if (sentAt != null) {
            long sample = now - sentAt;
            srtt = srtt + (sample - srtt) / 8;
            minRtt = Math.min(minRtt, sample);
        }
        lastBlockAt = now;
        snubbed = false;
        downloadMeter.add(p.length());
        torrent.blockReceived(this, block, p, sentAt != null); // takes ownership of the data
        long wait = torrent.consumeDownload(p.length());
        if (wait > 0) {
            pauseReading(wait);
        }
        requestMore();
    }

    // ---- requesting ----

    /** Tops up our request queue to the peer, if it lets us. */
    void requestMore() {
        if (closed || peerChoking || !amInterested) {
            return;
        }
        int target = snubbed ? 1 : queueTarget;
        int want = target - outstanding.size();
        if (want <= 0 || (outstanding.size() > 0 && want < Math.min(4, target / 4))) {
            return; // ask in batches: fewer picker passes
        }
        List<PiecePicker.Block> blocks = torrent.pick(this, want);
        if (blocks.isEmpty()) {
            return;
        }
        long now = torrent.now();
        for (PiecePicker.Block b : blocks) {
            outstanding.put(b, now);
            sendNoFlush(new PeerMessage.Request(b.piece(), b.begin(), torrent.blockLength(b)));
        }
        channel.flush();
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
        int target = (int) Math.min(torrent.settings().maxRequestQueue, 2 + 2 * bdp / PiecePicker.BLOCK);
        queueTarget = Math.max(2, outstanding.isEmpty() && rate == 0 ? INITIAL_QUEUE : target);
    }

    /** Gives back every outstanding request (choked, snubbed, closing). */
    void dropOutstanding() {
        for (PiecePicker.Block b : outstanding.keySet()) {
            torrent.unrequest(this, b);
        }
        outstanding.clear();
    }

    /** Cancels one outstanding request (end game: another peer delivered it). */
    void cancel(PiecePicker.Block b) {
        if (outstanding.remove(b) != null) {
            send(new PeerMessage.Cancel(b.piece(), b.begin(), torrent.blockLength(b)));
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
            incoming.clear();
            send(PeerMessage.Choke.INSTANCE);
        } else {
            send(PeerMessage.Unchoke.INSTANCE);
        }
    }

    /** Reads queued requests from disk and sends them, within upload limits and socket buffer space. */
    void serve() {
        while (!closed && !amChoking && !incoming.isEmpty() && readsInFlight < MAX_READS_IN_FLIGHT && channel.isWritable()) {
            long wait = torrent.uploadDelay();
            if (wait > 0) {
                scheduleServe(wait);
                return;
            }
            PeerMessage.Request r = incoming.poll();
            readsInFlight++;
            torrent.consumeUpload(r.length());
            torrent.readBlock(r, (data, error) -> {
                readsInFlight--;
                if (error != null) {
                    if (data != null) {
                        data.release();
                    }
                    torrent.storageError("reading piece " + r.piece() + ": " + error.getMessage());
                    return;
                }
                if (closed || amChoking) {
                    data.release();
                    return;
                }
                uploadMeter.add(r.length());
                torrent.uploaded(r.length());
                send(new PeerMessage.Piece(r.piece(), r.begin(), data));
                serve();
            });
        }
    }

    private void scheduleServe(long nanos) {
        if (!serveScheduled) {
            serveScheduled = true;
            channel.eventLoop().schedule(() -> {
                serveScheduled = false;
                serve();
            }, Math.max(1, nanos), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            serve();
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---- flow control ----

    private void pauseReading(long nanos) {
        readPausedUntil = torrent.now() + nanos;
        updateAutoRead();
        channel.eventLoop().schedule(this::updateAutoRead, nanos, TimeUnit.NANOSECONDS);
    }

    void updateAutoRead() {
        boolean read = !torrent.diskBackedUp() && torrent.now() >= readPausedUntil;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    // ---- closing ----

    void close(String reason) {
        if (!closed) {
            LOG.debug("{} {}: closing: {}", torrent.name(), address, reason);
            closed = true;
            torrent.peerClosed(this, reason);
            channel.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close("connection closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String reason = cause instanceof DecoderException ? "protocol violation: " + cause.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        close(reason);
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
