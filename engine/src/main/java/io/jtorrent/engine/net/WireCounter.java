package io.jtorrent.engine.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts every byte a peer connection receives and sends, payload and protocol alike; the
 * difference from the payload counters is the protocol overhead. Runs on the channel's loop.
 */
public final class WireCounter extends ChannelDuplexHandler {
    long received;
    long sent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            received += b.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            sent += b.readableBytes();
        }
        ctx.write(msg, promise);
    }
}
