package io.jtorrent.engine.peer;

import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.rate.RateMeter;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer of one torrent, after the handshake: the protocol state of both directions, our
 * outstanding requests to it, its requests to us. It does no I/O of its own: messages come in
 * through {@link #handle}, go out through its {@link PeerTransport}, and everything else is asked
 * of its {@link PeerHost} (the torrent), so it runs, and is tested, without a socket. Runs on the
 * host's loop only; every decision that spans peers is the host's. {@code engine.net} holds its
 * Netty side.
 */
public final class PeerConnection implements BlockSource {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    /**
     * Requests rejected in a row (while we choke the peer, for pieces we lack, over its queue) before
     * the peer is taken as abusive and closed: libtorrent's {@code max_rejects}, with room for the
     * requests an honest peer had in flight when our choke reached it.
     */
    static final int MAX_REJECTS = 1000;
    /** Blocks we never asked for (nor gave up asking for) that a peer may send before it is closed. */
    public static final int MAX_UNREQUESTED = 64;
    /** Bytes waiting in our send buffer to a peer; past this it is closed (we also stop reading from it once unwritable). */
    static final long MAX_PENDING_WRITE_BYTES = 16 << 20;

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
    /** The connection is encrypted (MSE, RC4). */
    final boolean encrypted;
    /** Both ends set the extension protocol bit (BEP 10). */
    final boolean extended;
    /** The peer's extended handshake, once it came. */
    ExtendedHandshake extendedHandshake;
    /** Pieces the peer lets us request while it chokes us (BEP 6 allowed fast). */
    final BitSet allowedFast = new BitSet();
    /** Pieces we let the peer request while we choke it. */
    final BitSet allowedFastForPeer = new BitSet();
    /** Super seeding (BEP 16): the pieces offered to the peer and not yet passed on, or null when not super seeding. */
    BitSet superOffers;
    /** Every piece ever offered to it: it may have any of them, and it would not tell us (to it we have them). */
    BitSet superOffered;
    long superOfferedAt;
    /** A seed suggesting pieces ({@link SeedHints}): ours to the peer it has not asked for yet, and the pieces it asked for; else null. */
    SeedHints seedHints;
    BitSet hinted;
    BitSet askedOfUs;
    /** Pieces the peer suggested to us (BEP 6), oldest first, the latest {@value #MAX_SUGGESTED}: the picker takes them first. */
    private final LinkedHashSet<Integer> suggested = new LinkedHashSet<>();
    static final int MAX_SUGGESTED = 64;

    /** Before a magnet's metadata: what the peer said it has, kept until the piece count is known. */
    private EarlyPieces early = new EarlyPieces();

    final BitSet has = new BitSet();
    /** HAVEs of pieces we verified that the peer lacks, not yet sent: they go ahead of our next message. */
    final HaveBatches.Queue haves = new HaveBatches.Queue();
    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;
    int roundsUnchoked;

    final RateMeter downloadMeter = new RateMeter();
    final RateMeter uploadMeter = new RateMeter();
    long lastReceived;
    long lastSent;
    /** Our requests to the peer, and the blocks they bring. */
    final Requests requests;
    /** The peer's requests to us, and serving them. */
    private final Uploads uploads;
    private long readPausedUntil;
    private boolean closed;

    public PeerConnection(PeerHost host, PeerTransport transport, Handshake handshake, boolean outgoing, long now) {
        this.host = host;
        this.transport = transport;
        this.address = transport.remoteAddress();
        this.peerId = handshake.peerId();
        this.client = handshake.peerIdText();
        this.outgoing = outgoing;
        this.connectedAt = now;
        this.lastReceived = now;
        this.lastSent = now;
        this.requests = new Requests(this, host, now);
        this.supportsDht = handshake.supportsDht();
        Handshake ours = host.ourHandshake();
        this.fast = handshake.supportsFast() && ours.supportsFast();
        this.extended = handshake.supportsExtensionProtocol() && ours.supportsExtensionProtocol();
        this.uploads = new Uploads(this, host);
        this.encrypted = transport.encrypted();
    }

    public boolean isSeed() {
        return host.hasMetadata() && has.cardinality() == host.pieceCount();
    }

    public void send(PeerMessage m) {
        if (pendingWriteBytes() > MAX_PENDING_WRITE_BYTES) {
            if (m instanceof PeerMessage.Piece p) {
                p.release();
            }
            close("does not read: more than " + MAX_PENDING_WRITE_BYTES + " bytes waiting to be sent");
            return;
        }
        lastSent = host.now();
        haves.writeTo(transport);
        transport.send(m);
    }

    private long pendingWriteBytes() {
        return transport.pendingBytes();
    }

    void sendNoFlush(PeerMessage m) {
        lastSent = host.now();
        haves.writeTo(transport);
        transport.write(m);
    }

    /** Sends the HAVEs queued for this peer now ({@link HaveBatches}). */
    void flushHaves() {
        if (!closed && haves.writeTo(transport)) {
            lastSent = host.now();
            transport.flush();
        }
    }

    // ---- inbound messages ----

    /** A message from the peer; a block's data is owned from here on. */
    public void handle(PeerMessage msg) {
        if (closed) {
            if (msg instanceof PeerMessage.Piece p) {
                p.release();
            }
            return;
        }
        lastReceived = host.now();
        try {
            if (msg instanceof PeerMessage.Piece p) {
                if (!host.hasMetadata()) {
                    p.release(); // nothing was requested yet
                    return;
                }
                requests.onPiece(p);
            } else {
                onMessage(msg);
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
        if (m instanceof PeerMessage.HashRequest || m instanceof PeerMessage.Hashes) {
            host.hashMessage(this, m); // BEP 52: needed before the metadata is complete, for a v2 magnet's piece layers
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
            suggested.clear(); // a seed's suggestions hold while it unchokes us (SeedHints takes them back)
            if (fast) {
                // BEP 6: requests are not dropped by a choke; the peer rejects what it will not
                // serve. Requests in the allowed-fast set stay; the others are given to other
                // peers now rather than after the rejects (a late block is still taken).
                for (PiecePicker.Block b : requests.giveUpAll(allowedFast)) {
                    host.unrequest(this, b);
                }
            } else {
                requests.dropOutstanding();
            }
        } else if (m instanceof PeerMessage.Unchoke) {
            peerChoking = false;
            requests.requestMore();
        } else if (m instanceof PeerMessage.Interested) {
            peerInterested = true;
            host.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.NotInterested) {
            peerInterested = false;
            host.peerInterestChanged(this);
        } else if (m instanceof PeerMessage.Request r) {
            uploads.requested(r);
        } else if (m instanceof PeerMessage.Cancel c) {
            PeerMessage.Request r = new PeerMessage.Request(c.piece(), c.begin(), c.length());
            if (uploads.cancelled(r) && fast) {
                send(new PeerMessage.RejectRequest(c.piece(), c.begin(), c.length()));
            }
        } else if (m instanceof PeerMessage.RejectRequest r) {
            PiecePicker.Block b = new PiecePicker.Block(r.piece(), r.begin() / PiecePicker.BLOCK);
            if (peerChoking) {
                allowedFast.clear(r.piece()); // it will not give it while choking us after all: not asked again
            }
            if (requests.remove(b)) {
                host.unrequest(this, b);
                requests.requestMore();
            }
        } else if (m instanceof PeerMessage.AllowedFast a) {
            if (a.piece() < host.pieceCount()) {
                allowedFast.set(a.piece());
                if (peerChoking && has.get(a.piece()) && host.wantPiece(a.piece())) {
                    setInterested(true);
                    requests.requestMore();
                }
            }
        } else if (m instanceof PeerMessage.SuggestPiece sp) {
            if (sp.piece() >= host.pieceCount()) {
                throw new PeerProtocolException("suggest of piece " + sp.piece() + " of " + host.pieceCount());
            }
            if (suggested.add(sp.piece()) && suggested.size() > MAX_SUGGESTED) { // the picker starts these first
                suggested.remove(suggested.iterator().next());
            }
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
        if (early.note(m)) {
            return;
        }
        if (m instanceof PeerMessage.Request r) {
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
        BitSet pieces = early.pieces(host.pieceCount());
        early = new EarlyPieces();
        addPieces(pieces);
    }

    // ---- extension protocol (BEP 10) ----

    private void onExtended(PeerMessage.Extended e) throws PeerProtocolException {
        byte[] payload = e.payload();
        if (e.id() == 0) {
            extendedHandshake = ExtendedHandshake.decode(payload);
            extendedHandshake.client().ifPresent(v -> client = v);
            if (extendedHandshake.requestQueue() > 0) {
                requests.limit(extendedHandshake.requestQueue());
            }
            host.extendedHandshake(this, extendedHandshake);
            return;
        }
        host.extensionMessage(this, e.id(), payload); // an id we never offered is ignored, as BEP 10 asks
    }

    /** The id the peer wants {@code name} messages under, 0 if it does not speak it (or has not said yet). */
    public int extensionId(String name) {
        return extendedHandshake == null ? 0 : extendedHandshake.idOf(name);
    }

    /** Sends an extension message if the peer speaks the extension; false if it does not. */
    public boolean sendExtended(String name, byte[] payload) {
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
    public InetSocketAddress reachableAddress() {
        if (outgoing) {
            return address;
        }
        int port = extendedHandshake == null ? 0 : extendedHandshake.listenPort();
        return port == 0 ? null : new InetSocketAddress(address.getAddress(), port);
    }


    void setInterested(boolean interested) {
        if (interested != amInterested) {
            amInterested = interested;
            send(interested ? PeerMessage.Interested.INSTANCE : PeerMessage.NotInterested.INSTANCE);
            if (interested) {
                requests.requestMore();
            }
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
            uploads.choked();
        } else {
            send(PeerMessage.Unchoke.INSTANCE);
        }
    }


    /** The transport's outbound buffer crossed a water mark. */
    public void writabilityChanged() {
        // a peer that does not read what we send is not read from either: its requests (and our
        // answers to them) cannot pile up
        updateAutoRead();
        if (transport.writable()) {
            uploads.serve();
        }
    }

    /** Serves what the peer asked for, as far as the limits and the socket allow. */
    void serve() {
        uploads.serve();
    }

    // ---- flow control ----

    void pauseReading(long nanos) {
        readPausedUntil = host.now() + nanos;
        updateAutoRead();
        host.owner().schedule(this::updateAutoRead, nanos);
    }

    void updateAutoRead() {
        boolean read = !host.diskBackedUp() && host.now() >= readPausedUntil && transport.writable();
        transport.reading(read);
    }

    // ---- closing ----

    public void close(String reason) {
        if (!closed) {
            LOG.debug("{} {}: closing: {}", host.name(), address, reason);
            closed = true;
            host.peerClosed(this, reason);
            transport.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Releases everything this peer held in the picker; called by the torrent on close. */
    void releaseAll() {
        uploads.clear();
        requests.clear();
    }

    List<PiecePicker.Block> outstandingBlocks() {
        return requests.blocks();
    }

    // ---- as a source of blocks ----

    @Override
    public void deliveredElsewhere(PiecePicker.Block block) {
        requests.cancel(block);
    }

    @Override
    public void contributedToBadPiece(int piece, boolean sole) {
        if (sole) {
            host.ban(this, "sole source of a piece that failed its hash check");
        }
    }

    @Override
    public void sentCorruptBlock(int piece) {
        host.ban(this, "sent corrupt data in piece " + piece);
    }

    @Override
    public void sentBadBlock(int piece, int block) {
        host.ban(this, "sent block " + block + " of piece " + piece + ", which does not match its v2 hash");
    }

    @Override
    public InetSocketAddress peerAddress() {
        return address;
    }

    @Override
    public Collection<Integer> suggested() {
        return suggested;
    }

    public InetSocketAddress address() {
        return address;
    }

    public boolean outgoing() {
        return outgoing;
    }

    public boolean encrypted() {
        return encrypted;
    }

    /** The connection is uTP (else TCP). */
    public boolean utp() {
        return transport.utp();
    }

    @Override
    public String toString() {
        return address + " (" + client + ")";
    }
}
