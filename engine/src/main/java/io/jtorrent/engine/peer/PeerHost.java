package io.jtorrent.engine.peer;

import io.jtorrent.engine.Settings;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * What a {@link PeerConnection} asks of its torrent: the layout and what we have, the picker, the
 * data, the rate limits, time, and where to report. The torrent is the host; a test brings a
 * small one, so the peer protocol is tested without a session or a socket.
 */
public interface PeerHost {
    Loop owner();

    long now();

    Settings settings();

    String name();

    /** Our handshake for this torrent (its reserved bits say which extensions we speak). */
    Handshake ourHandshake();

    boolean hasMetadata();

    int pieceCount();

    long pieceSize(int piece);

    int blockLength(PiecePicker.Block b);

    boolean havePiece(int piece);

    boolean wantPiece(int piece);

    List<PiecePicker.Block> pick(BlockSource p, BitSet from, int max);

    void unrequest(BlockSource requester, PiecePicker.Block b);

    /** A requested (or recently given-up) block arrived; takes ownership of its data. */
    void blockReceived(BlockSource from, PiecePicker.Block block, PeerMessage.Piece data, boolean requested);

    /** A block nobody asked for arrived (dropped). */
    void unrequestedBlock(int length);

    /** Reads a requested block; {@code done} gets it (to send or release) or the error. */
    void readBlock(PeerMessage.Request r, BiConsumer<PeerMessage.Piece, IOException> done);

    long uploadDelay();

    void consumeUpload(long bytes);

    void uploaded(long bytes);

    /** Nanoseconds to wait before reading more from peers (the download limit). */
    long consumeDownload(long bytes);

    boolean diskBackedUp();

    void storageError(String message);

    /**
     * Whether a read that failed may be asked again a little later: memory for its buffer was short
     * (the JVM's direct memory), the disk is fine. Such a failure is no storage error.
     */
    default boolean retryLater(IOException readError) {
        return false;
    }

    void peerHasPieces(PeerConnection p, BitSet pieces);

    void peerHasPiece(PeerConnection p, int piece);

    void peerInterestChanged(PeerConnection p);

    void peerClosed(PeerConnection p, String reason);

    /** An extension message (BEP 10) under an id we offered; an exception closes the connection. */
    void extensionMessage(PeerConnection p, int id, byte[] payload) throws PeerProtocolException;

    /** The peer is known to have sent bad data: banned and closed. */
    void ban(PeerConnection p, String reason);

    void extendedHandshake(PeerConnection p, ExtendedHandshake h);

    /** A BEP 52 hash request, reject or hashes message; an exception closes the connection. */
    default void hashMessage(PeerConnection p, io.jtorrent.wire.PeerMessage m) throws PeerProtocolException {
        if (m instanceof io.jtorrent.wire.PeerMessage.HashRequest r && !r.reject()) {
            p.send(new io.jtorrent.wire.PeerMessage.HashRequest(r.piecesRoot(), r.baseLayer(), r.index(), r.count(),
                    r.proofLayers(), true)); // a host with no v2 hashes refuses
        }
    }

    void dhtNode(InetSocketAddress node);
}
