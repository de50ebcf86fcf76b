package io.jtorrent.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Handshake}s and {@link PeerMessage}s. A {@link PeerMessage.Piece}'s block is
 * passed on as it is, after a 13-byte header, never copied.
 */
@ChannelHandler.Sharable
public final class PeerWireEncoder extends MessageToMessageEncoder<Object> {
    public static final PeerWireEncoder INSTANCE = new PeerWireEncoder();

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof PeerMessage || msg instanceof Handshake;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof Handshake h) {
            ByteBuf b = ctx.alloc().buffer(Handshake.LENGTH);
            b.writeByte(19).writeBytes(Handshake.PROTOCOL).writeBytes(h.reserved())
                    .writeBytes(h.infoHash().truncated20()).writeBytes(h.peerId());
            out.add(b);
            return;
        }
        PeerMessage m = (PeerMessage) msg;
        if (m instanceof PeerMessage.Piece p) {
            ByteBuf header = ctx.alloc().buffer(13);
            header.writeInt(9 + p.length()).writeByte(PeerMessage.PIECE).writeInt(p.piece()).writeInt(p.begin());
            out.add(header);
            out.add(p.data().retain()); // the encoder releases the message once, after encode
            return;
        }
        out.add(encodeSmall(ctx, m));
    }

    private static ByteBuf encodeSmall(ChannelHandlerContext ctx, PeerMessage m) {
        if (m instanceof PeerMessage.KeepAlive) {
            return ctx.alloc().buffer(4).writeInt(0);
        }
        if (m instanceof PeerMessage.Choke) {
            return simple(ctx, PeerMessage.CHOKE);
        }
        if (m instanceof PeerMessage.Unchoke) {
            return simple(ctx, PeerMessage.UNCHOKE);
        }
        if (m instanceof PeerMessage.Interested) {
            return simple(ctx, PeerMessage.INTERESTED);
        }
        if (m instanceof PeerMessage.NotInterested) {
            return simple(ctx, PeerMessage.NOT_INTERESTED);
        }
        if (m instanceof PeerMessage.Have h) {
            return ctx.alloc().buffer(9).writeInt(5).writeByte(PeerMessage.HAVE).writeInt(h.piece());
        }
        if (m instanceof PeerMessage.Bitfield b) {
            byte[] bits = b.bits();
            return ctx.alloc().buffer(5 + bits.length).writeInt(1 + bits.length).writeByte(PeerMessage.BITFIELD).writeBytes(bits);
        }
        if (m instanceof PeerMessage.Request r) {
            return ctx.alloc().buffer(17).writeInt(13).writeByte(PeerMessage.REQUEST)
                    .writeInt(r.piece()).writeInt(r.begin()).writeInt(r.length());
        }
        if (m instanceof PeerMessage.Cancel c) {
            return ctx.alloc().buffer(17).writeInt(13).writeByte(PeerMessage.CANCEL)
                    .writeInt(c.piece()).writeInt(c.begin()).writeInt(c.length());
        }
        if (m instanceof PeerMessage.HaveAll) {
            return simple(ctx, PeerMessage.HAVE_ALL);
        }
        if (m instanceof PeerMessage.HaveNone) {
            return simple(ctx, PeerMessage.HAVE_NONE);
        }
        if (m instanceof PeerMessage.SuggestPiece s) {
            return ctx.alloc().buffer(9).writeInt(5).writeByte(PeerMessage.SUGGEST_PIECE).writeInt(s.piece());
        }
        if (m instanceof PeerMessage.AllowedFast a) {
            return ctx.alloc().buffer(9).writeInt(5).writeByte(PeerMessage.ALLOWED_FAST).writeInt(a.piece());
        }
        if (m instanceof PeerMessage.RejectRequest r) {
            return ctx.alloc().buffer(17).writeInt(13).writeByte(PeerMessage.REJECT_REQUEST)
                    .writeInt(r.piece()).writeInt(r.begin()).writeInt(r.length());
        }
        if (m instanceof PeerMessage.Extended e) {
            byte[] payload = e.payloadUnsafe();
            return ctx.alloc().buffer(6 + payload.length).writeInt(2 + payload.length).writeByte(PeerMessage.EXTENDED)
                    .writeByte(e.id()).writeBytes(payload);
        }
        if (m instanceof PeerMessage.HashRequest h) {
            ByteBuf b = ctx.alloc().buffer(53).writeInt(49).writeByte(h.reject() ? PeerMessage.HASH_REJECT : PeerMessage.HASH_REQUEST);
            return b.writeBytes(h.piecesRoot()).writeInt(h.baseLayer()).writeInt(h.index()).writeInt(h.count())
                    .writeInt(h.proofLayers());
        }
        if (m instanceof PeerMessage.Hashes h) {
            byte[] hashes = h.hashes();
            return ctx.alloc().buffer(53 + hashes.length).writeInt(49 + hashes.length).writeByte(PeerMessage.HASHES)
                    .writeBytes(h.piecesRoot()).writeInt(h.baseLayer()).writeInt(h.index()).writeInt(h.count())
                    .writeInt(h.proofLayers()).writeBytes(hashes);
        }
        PeerMessage.Port p = (PeerMessage.Port) m;
        return ctx.alloc().buffer(7).writeInt(3).writeByte(PeerMessage.PORT).writeShort(p.port());
    }

    /**
     * HAVE messages for the first {@code count} of {@code pieces}, one after another in one buffer:
     * a batch of them written as one ({@code ByteBuf}s pass through this encoder as they are).
     */
    public static ByteBuf haves(ByteBufAllocator alloc, int[] pieces, int count) {
        ByteBuf b = alloc.buffer(9 * count);
        for (int i = 0; i < count; i++) {
            b.writeInt(5).writeByte(PeerMessage.HAVE).writeInt(pieces[i]);
        }
        return b;
    }

    private static ByteBuf simple(ChannelHandlerContext ctx, byte id) {
        return ctx.alloc().buffer(5).writeInt(1).writeByte(id);
    }
}
