package io.jtorrent.wire;

import io.jtorrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * Frames the bytes of a peer connection: first the 68-byte {@link Handshake}, then
 * length-prefixed {@link PeerMessage}s.
 *
 * <p>Limits — anything beyond them fails the decode with a {@link PeerProtocolException} as the
 * cause, which closes only this connection:
 * <table>
 *   <caption>Decoder limits</caption>
 *   <tr><th>what</th><th>limit</th></tr>
 *   <tr><td>handshake</td><td>protocol string exactly {@code BitTorrent protocol}</td></tr>
 *   <tr><td>choke, unchoke, interested, not interested</td><td>length 1</td></tr>
 *   <tr><td>have</td><td>length 5</td></tr>
 *   <tr><td>request, cancel</td><td>length 13, block of 1..16 KiB</td></tr>
 *   <tr><td>piece</td><td>length 10..16 KiB + 9 (a block of 1..16 KiB)</td></tr>
 *   <tr><td>bitfield</td><td>at most {@code maxBitfieldBytes} (default 256 KiB: 2,097,152 pieces)</td></tr>
 *   <tr><td>port</td><td>length 3</td></tr>
 *   <tr><td>have all, have none (BEP 6)</td><td>length 1</td></tr>
 *   <tr><td>suggest piece, allowed fast (BEP 6)</td><td>length 5</td></tr>
 *   <tr><td>reject request (BEP 6)</td><td>length 13, block of 1..16 KiB</td></tr>
 *   <tr><td>extended (BEP 10)</td><td>payload of at most {@link #MAX_EXTENDED_BYTES} (1 MiB)</td></tr>
 *   <tr><td>hashes (BEP 52)</td><td>at most {@link PeerMessage#MAX_HASHES} hashes (about 258 KiB)</td></tr>
 *   <tr><td>any other id</td><td>refused</td></tr>
 * </table>
 * Whether the fast and extension messages were negotiated in the handshake is the connection's
 * business: the decoder only frames them. A message is decoded only once all of it has arrived; nothing is allocated for its body before.
 * What has arrived of it is kept as {@link WireCumulator} says: large reads without a copy.
 */
public final class PeerWireDecoder extends ByteToMessageDecoder {
    public static final int DEFAULT_MAX_BITFIELD_BYTES = 256 * 1024;
    /** An extended message's payload: room for a 16 KiB metadata piece, a PEX list, a big handshake. */
    public static final int MAX_EXTENDED_BYTES = 1 << 20;

    private final int maxBitfieldBytes;
    private boolean handshakeDone;

    public PeerWireDecoder() {
        this(DEFAULT_MAX_BITFIELD_BYTES);
    }

    public PeerWireDecoder(int maxBitfieldBytes) {
        this.maxBitfieldBytes = maxBitfieldBytes;
        setCumulator(WireCumulator.INSTANCE);
    }

    /** The bytes held for a message not yet whole: how many, in how many buffers, and their room (for tests). */
    int[] held() {
        ByteBuf b = internalBuffer();
        return new int[] {b.readableBytes(), b instanceof io.netty.buffer.CompositeByteBuf c ? c.numComponents() : 1, b.capacity()};
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        try {
            if (!handshakeDone) {
                if (in.readableBytes() < Handshake.LENGTH) {
                    checkProtocolPrefix(in);
                    return;
                }
                out.add(handshake(in));
                handshakeDone = true;
            }
            while (in.readableBytes() >= 4) {
                PeerMessage m = message(in);
                if (m == null) {
                    return;
                }
                out.add(m);
            }
        } catch (PeerProtocolException e) {
            in.skipBytes(in.readableBytes());
            throw new DecoderException(e.getMessage(), e);
        } catch (IllegalArgumentException e) { // a record's own validation: a block too long, say
            in.skipBytes(in.readableBytes());
            throw new DecoderException(e.getMessage(), new PeerProtocolException(e.getMessage()));
        }
    }

    /** Fails early on a connection that is clearly not BitTorrent, before 68 bytes arrive. */
    private static void checkProtocolPrefix(ByteBuf in) throws PeerProtocolException {
        int i = in.readerIndex();
        int n = in.readableBytes();
        if (n > 0 && in.getUnsignedByte(i) != 19) {
            throw new PeerProtocolException("handshake: protocol name length " + in.getUnsignedByte(i) + ", expected 19");
        }
        for (int k = 1; k < Math.min(n, 20); k++) {
            if (in.getByte(i + k) != Handshake.PROTOCOL[k - 1]) {
                throw new PeerProtocolException("handshake: not the BitTorrent protocol");
            }
        }
    }

    private static Handshake handshake(ByteBuf in) throws PeerProtocolException {
        checkProtocolPrefix(in);
        in.skipBytes(20);
        byte[] reserved = new byte[8];
        byte[] hash = new byte[20];
        byte[] peerId = new byte[20];
        in.readBytes(reserved).readBytes(hash).readBytes(peerId);
        return new Handshake(reserved, InfoHash.v1(hash), peerId);
    }

    private PeerMessage message(ByteBuf in) throws PeerProtocolException {
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length == 0) {
            in.skipBytes(4);
            return PeerMessage.KeepAlive.INSTANCE;
        }
        if (in.readableBytes() < 5) {
            return null;
        }
        byte id = in.getByte(start + 4);
        checkLength(id, length);
        if (in.readableBytes() < 4 + length) {
            return null;
        }
        in.skipBytes(5);
        int body = (int) length - 1;
        return switch (id) {
            case PeerMessage.CHOKE -> PeerMessage.Choke.INSTANCE;
            case PeerMessage.UNCHOKE -> PeerMessage.Unchoke.INSTANCE;
            case PeerMessage.INTERESTED -> PeerMessage.Interested.INSTANCE;
            case PeerMessage.NOT_INTERESTED -> PeerMessage.NotInterested.INSTANCE;
            case PeerMessage.HAVE -> new PeerMessage.Have(nonNegative(in.readInt(), "have piece index"));
            case PeerMessage.BITFIELD -> {
                byte[] bits = new byte[body];
                in.readBytes(bits);
                yield new PeerMessage.Bitfield(bits);
            }
            case PeerMessage.REQUEST -> new PeerMessage.Request(
                    nonNegative(in.readInt(), "request piece index"), nonNegative(in.readInt(), "request offset"), in.readInt());
            case PeerMessage.CANCEL -> new PeerMessage.Cancel(
                    nonNegative(in.readInt(), "cancel piece index"), nonNegative(in.readInt(), "cancel offset"), in.readInt());
            case PeerMessage.PIECE -> {
                int piece = nonNegative(in.readInt(), "piece index");
                int begin = nonNegative(in.readInt(), "piece offset");
                yield new PeerMessage.Piece(piece, begin, in.readRetainedSlice(body - 8));
            }
            case PeerMessage.PORT -> new PeerMessage.Port(in.readUnsignedShort());
            case PeerMessage.HAVE_ALL -> PeerMessage.HaveAll.INSTANCE;
            case PeerMessage.HAVE_NONE -> PeerMessage.HaveNone.INSTANCE;
            case PeerMessage.SUGGEST_PIECE -> new PeerMessage.SuggestPiece(nonNegative(in.readInt(), "suggested piece index"));
            case PeerMessage.ALLOWED_FAST -> new PeerMessage.AllowedFast(nonNegative(in.readInt(), "allowed fast piece index"));
            case PeerMessage.REJECT_REQUEST -> new PeerMessage.RejectRequest(
                    nonNegative(in.readInt(), "reject piece index"), nonNegative(in.readInt(), "reject offset"), in.readInt());
            case PeerMessage.EXTENDED -> {
                int extId = in.readUnsignedByte();
                byte[] payload = new byte[body - 1];
                in.readBytes(payload);
                yield new PeerMessage.Extended(extId, payload);
            }
            case PeerMessage.HASH_REQUEST, PeerMessage.HASH_REJECT, PeerMessage.HASHES -> {
                byte[] root = new byte[32];
                in.readBytes(root);
                int base = in.readInt();
                int index = in.readInt();
                int count = in.readInt();
                int proof = in.readInt();
                try {
                    if (id != PeerMessage.HASHES) {
                        yield new PeerMessage.HashRequest(root, base, index, count, proof, id == PeerMessage.HASH_REJECT);
                    }
                    byte[] hashes = new byte[body - 48];
                    in.readBytes(hashes);
                    yield new PeerMessage.Hashes(root, base, index, count, proof, hashes);
                } catch (IllegalArgumentException e) {
                    throw new PeerProtocolException(e.getMessage());
                }
            }
            default -> throw new PeerProtocolException("unknown message id " + id);
        };
    }

    private void checkLength(byte id, long length) throws PeerProtocolException {
        boolean ok = switch (id) {
            case PeerMessage.CHOKE, PeerMessage.UNCHOKE, PeerMessage.INTERESTED, PeerMessage.NOT_INTERESTED -> length == 1;
            case PeerMessage.HAVE -> length == 5;
            case PeerMessage.BITFIELD -> length >= 1 && length - 1 <= maxBitfieldBytes;
            case PeerMessage.REQUEST, PeerMessage.CANCEL -> length == 13;
            case PeerMessage.PIECE -> length >= 10 && length <= 9 + PeerMessage.MAX_BLOCK;
            case PeerMessage.PORT -> length == 3;
            case PeerMessage.HAVE_ALL, PeerMessage.HAVE_NONE -> length == 1;
            case PeerMessage.SUGGEST_PIECE, PeerMessage.ALLOWED_FAST -> length == 5;
            case PeerMessage.REJECT_REQUEST -> length == 13;
            case PeerMessage.EXTENDED -> length >= 2 && length - 2 <= MAX_EXTENDED_BYTES;
            case PeerMessage.HASH_REQUEST, PeerMessage.HASH_REJECT -> length == 49;
            case PeerMessage.HASHES -> length >= 49 + 32 && length <= 49 + 32L * PeerMessage.MAX_HASHES && (length - 49) % 32 == 0;
            default -> throw new PeerProtocolException("unknown message id " + id + " (length " + length + ")");
        };
        if (!ok) {
            throw new PeerProtocolException("message id " + id + " with invalid length " + length);
        }
    }

    private static int nonNegative(int v, String what) throws PeerProtocolException {
        if (v < 0) {
            throw new PeerProtocolException(what + " " + (v & 0xffffffffL) + " out of range");
        }
        return v;
    }

    /** Hex of the first bytes, for logging what a bad peer sent. */
    static String preview(ByteBuf in) {
        return ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(32, in.readableBytes()));
    }
}
