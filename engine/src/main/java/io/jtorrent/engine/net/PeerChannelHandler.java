package io.jtorrent.engine.net;

import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.wire.PeerMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/** The thin Netty side of a peer: channel events in, to the {@link PeerConnection} that speaks the protocol. */
public final class PeerChannelHandler extends ChannelInboundHandlerAdapter {
    private final PeerConnection peer;

    public PeerChannelHandler(PeerConnection peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PeerMessage m) {
            peer.handle(m);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        peer.close("connection closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        peer.close(cause instanceof DecoderException ? "protocol violation: " + cause.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
