package io.jtorrent.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A message of the peer wire protocol (BEP 3) after the handshake. Each is an immutable record
 * validated in its constructor; a peer whose bytes decode to an invalid message is disconnected.
 *
 * <p>{@link Piece} carries its block in a Netty buffer it owns: whoever receives one releases it.
 */
public sealed interface PeerMessage {
    /** The largest block a peer may request or send (BEP 3 convention every client follows). */
    int MAX_BLOCK = 16 * 1024;

    byte CHOKE = 0;
    byte UNCHOKE = 1;
    byte INTERESTED = 2;
    byte NOT_INTERESTED = 3;
    byte HAVE = 4;
    byte BITFIELD = 5;
    byte REQUEST = 6;
    byte PIECE = 7;
    byte CANCEL = 8;
    byte PORT = 9;
    /** Fast extension (BEP 6). */
    byte SUGGEST_PIECE = 13;
    byte HAVE_ALL = 14;
    byte HAVE_NONE = 15;
    byte REJECT_REQUEST = 16;
    byte ALLOWED_FAST = 17;
    /** Extension protocol (BEP 10). */
    byte EXTENDED = 20;
    /** BitTorrent v2 (BEP 52): hashes of a file's Merkle tree. */
    byte HASH_REQUEST = 21;
    byte HASHES = 22;
    byte HASH_REJECT = 23;
    /** The most hashes a hash request may ask for at its base layer (libtorrent's limit). */
    int MAX_HASH_COUNT = 8192;
    /** The most hashes a hashes message may carry: the base layer's and a proof up a tree of 2^64 leaves. */
    int MAX_HASHES = MAX_HASH_COUNT + 64;

    /** A zero-length message that keeps an idle connection open. */
    record KeepAlive() implements PeerMessage {
        public static final KeepAlive INSTANCE = new KeepAlive();
    }

    record Choke() implements PeerMessage {
        public static final Choke INSTANCE = new Choke();
    }

    record Unchoke() implements PeerMessage {
        public static final Unchoke INSTANCE = new Unchoke();
    }

    record Interested() implements PeerMessage {
        public static final Interested INSTANCE = new Interested();
    }

    record NotInterested() implements PeerMessage {
        public static final NotInterested INSTANCE = new NotInterested();
    }

    record Have(int piece) implements PeerMessage {
        public Have {
            if (piece < 0) {
                throw new IllegalArgumentException("negative piece index " + piece);
            }
        }
    }

    /**
     * The pieces a peer has, most significant bit of the first byte for piece 0. Only the length
     * is checked here; that it matches the torrent (and spare bits are zero) is checked by
     * {@link #toBitSet(int)}, which needs the piece count.
     */
    record Bitfield(byte[] bits) implements PeerMessage {
        public Bitfield {
            bits = bits.clone();
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        /** Encodes {@code have} (pieces 0..pieceCount-1) as a bitfield. */
        public static Bitfield of(BitSet have, int pieceCount) {
            byte[] b = new byte[(pieceCount + 7) / 8];
            for (int i = have.nextSetBit(0); i >= 0 && i < pieceCount; i = have.nextSetBit(i + 1)) {
                b[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
            return new Bitfield(b);
        }

        /**
         * The pieces as a set, checking the length and that spare bits are zero.
         *
         * @throws PeerProtocolException if the bitfield does not fit {@code pieceCount}
         */
        public BitSet toBitSet(int pieceCount) throws PeerProtocolException {
            int expected = (pieceCount + 7) / 8;
            if (bits.length != expected) {
                throw new PeerProtocolException("bitfield of " + bits.length + " bytes, expected " + expected
                        + " for " + pieceCount + " pieces");
            }
            BitSet set = new BitSet(pieceCount);
            for (int i = 0; i < bits.length * 8; i++) {
                if ((bits[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                    if (i >= pieceCount) {
                        throw new PeerProtocolException("bitfield has spare bit " + i + " set (only " + pieceCount + " pieces)");
                    }
                    set.set(i);
                }
            }
            return set;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield other && Arrays.equals(other.bits, bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + bits.length + " bytes]";
        }
    }

    /** A request for {@code length} bytes of piece {@code piece} from {@code begin}. */
    record Request(int piece, int begin, int length) implements PeerMessage {
        public Request {
            checkBlock(piece, begin, length);
        }
    }

    /** Withdraws an earlier {@link Request}. */
    record Cancel(int piece, int begin, int length) implements PeerMessage {
        public Cancel {
            checkBlock(piece, begin, length);
        }
    }

    /** A block of data. The receiver owns {@code data} and must {@link #release()} it. */
    record Piece(int piece, int begin, ByteBuf data) implements PeerMessage, ReferenceCounted {
        public Piece {
            checkBlock(piece, begin, data.readableBytes());
        }

        public int length() {
            return data.readableBytes();
        }

        @Override
        public int refCnt() {
            return data.refCnt();
        }

        @Override
        public Piece retain() {
            data.retain();
            return this;
        }

        @Override
        public Piece retain(int increment) {
            data.retain(increment);
            return this;
        }

        @Override
        public Piece touch() {
            data.touch();
            return this;
        }

        @Override
        public Piece touch(Object hint) {
            data.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return data.release();
        }

        @Override
        public boolean release(int decrement) {
            return data.release(decrement);
        }

        @Override
        public String toString() {
            return "Piece[piece=" + piece + ", begin=" + begin + ", length=" + length() + "]";
        }
    }

    /** The UDP port of the sender's DHT node (BEP 5). */
    record Port(int port) implements PeerMessage {
        public Port {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range");
            }
        }
    }

    /** Fast extension: the sender has every piece (instead of a full bitfield). */
    record HaveAll() implements PeerMessage {
        public static final HaveAll INSTANCE = new HaveAll();
    }

    /** Fast extension: the sender has no piece (instead of an empty bitfield). */
    record HaveNone() implements PeerMessage {
        public static final HaveNone INSTANCE = new HaveNone();
    }

    /** Fast extension: a hint that the receiver should download this piece (it is in the sender's cache). */
    record SuggestPiece(int piece) implements PeerMessage {
        public SuggestPiece {
            if (piece < 0) {
                throw new IllegalArgumentException("negative piece index " + piece);
            }
        }
    }

    /** Fast extension: the sender will not serve this request. */
    record RejectRequest(int piece, int begin, int length) implements PeerMessage {
        public RejectRequest {
            checkBlock(piece, begin, length);
        }
    }

    /**
     * BEP 52: which hashes of a file's Merkle tree (named by its {@code piecesRoot}) are asked for,
     * answered by {@link Hashes} or refused by a {@link HashRequest} of kind reject: {@code count}
     * hashes of layer {@code baseLayer} (0: the 16 KiB blocks' leaves) from {@code index}, with the
     * uncle hashes of {@code proofLayers} layers above them.
     *
     * @param reject a hash reject message (id 23) rather than a request (id 21)
     */
    record HashRequest(byte[] piecesRoot, int baseLayer, int index, int count, int proofLayers, boolean reject)
            implements PeerMessage {
        public HashRequest {
            checkHashRange(piecesRoot, baseLayer, index, count, proofLayers);
            piecesRoot = piecesRoot.clone();
        }

        @Override
        public byte[] piecesRoot() {
            return piecesRoot.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HashRequest h && Arrays.equals(h.piecesRoot, piecesRoot) && h.baseLayer == baseLayer
                    && h.index == index && h.count == count && h.proofLayers == proofLayers && h.reject == reject;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(piecesRoot) * 31 + index;
        }

        @Override
        public String toString() {
            return (reject ? "HashReject[" : "HashRequest[") + "base " + baseLayer + ", " + index + "+" + count
                    + ", proof " + proofLayers + "]";
        }
    }

    /**
     * BEP 52: the answer to a {@link HashRequest}: its fields, then {@code count} base-layer
     * hashes followed by the uncle hashes that prove them, 32 bytes each.
     */
    record Hashes(byte[] piecesRoot, int baseLayer, int index, int count, int proofLayers, byte[] hashes)
            implements PeerMessage {
        public Hashes {
            checkHashRange(piecesRoot, baseLayer, index, count, proofLayers);
            if (hashes.length % 32 != 0 || hashes.length / 32 < count || hashes.length / 32 > MAX_HASHES) {
                throw new IllegalArgumentException("hashes: " + hashes.length + " bytes for " + count + " hashes");
            }
            piecesRoot = piecesRoot.clone();
            hashes = hashes.clone();
        }

        @Override
        public byte[] piecesRoot() {
            return piecesRoot.clone();
        }

        @Override
        public byte[] hashes() {
            return hashes.clone();
        }

        /** The request this answers. */
        public HashRequest request() {
            return new HashRequest(piecesRoot, baseLayer, index, count, proofLayers, false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hashes h && request().equals(h.request()) && Arrays.equals(h.hashes, hashes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hashes);
        }

        @Override
        public String toString() {
            return "Hashes[base " + baseLayer + ", " + index + "+" + count + ", proof " + proofLayers + ", "
                    + hashes.length / 32 + " hashes]";
        }
    }

    private static void checkHashRange(byte[] piecesRoot, int baseLayer, int index, int count, int proofLayers) {
        if (piecesRoot.length != 32) {
            throw new IllegalArgumentException("pieces root of " + piecesRoot.length + " bytes, not 32");
        }
        if (baseLayer < 0 || baseLayer > 63 || index < 0 || count < 1 || count > MAX_HASH_COUNT
                || proofLayers < 0 || proofLayers > 63) {
            throw new IllegalArgumentException("hash range out of bounds: base " + baseLayer + ", index " + index
                    + ", count " + count + ", proof layers " + proofLayers);
        }
    }

    /** Fast extension: the receiver may request this piece even while choked. */
    record AllowedFast(int piece) implements PeerMessage {
        public AllowedFast {
            if (piece < 0) {
                throw new IllegalArgumentException("negative piece index " + piece);
            }
        }
    }

    /**
     * An extension protocol message (BEP 10): {@code id} 0 is the extended handshake, others are
     * the ids the receiver assigned in its handshake. The payload is bencoded, possibly followed by
     * raw data (a {@code ut_metadata} piece); its meaning is the extension's business.
     */
    record Extended(int id, byte[] payload) implements PeerMessage {
        public Extended {
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("extended message id " + id + " outside 0..255");
            }
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** The payload without a copy, for decoding only. */
        byte[] payloadUnsafe() {
            return payload;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && e.id == id && Arrays.equals(e.payload, payload);
        }

        @Override
        public int hashCode() {
            return id * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[id=" + id + ", " + payload.length + " bytes]";
        }
    }

    private static void checkBlock(int piece, int begin, int length) {
        if (piece < 0 || begin < 0) {
            throw new IllegalArgumentException("negative piece index or offset: " + piece + "/" + begin);
        }
        if (length <= 0 || length > MAX_BLOCK) {
            throw new IllegalArgumentException("block length " + length + " outside 1.." + MAX_BLOCK);
        }
    }
}
