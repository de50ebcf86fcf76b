package io.jtorrent.engine.net;

import io.jtorrent.wire.mse.Rc4;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * The RC4 layer of an encrypted connection: what comes in is deciphered in place (the buffer is
 * the socket's, ours); what goes out is enciphered into a new buffer (the original may be shared,
 * a cached piece's slice, say). Nothing that is not bytes may pass: it could only go out in clear.
 */
final class Rc4Handler extends ChannelDuplexHandler {
    private static final int CHUNK = 16 * 1024;

    private final Rc4 out;
    private final Rc4 in;
    private final byte[] scratch = new byte[CHUNK];

    Rc4Handler(Rc4 out, Rc4 in) {
        this.out = out;
        this.in = in;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            for (int off = b.readerIndex(), end = b.writerIndex(); off < end; off += CHUNK) {
                int n = Math.min(CHUNK, end - off);
                b.getBytes(off, scratch, 0, n);
                in.process(scratch, 0, n);
                b.setBytes(off, scratch, 0, n);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalStateException("only bytes may be written to an encrypted connection"));
            ctx.close();
            return;
        }
        int length = b.readableBytes();
        ByteBuf cipher = ctx.alloc().buffer(length);
        for (int off = b.readerIndex(), end = b.writerIndex(); off < end; off += CHUNK) {
            int n = Math.min(CHUNK, end - off);
            b.getBytes(off, scratch, 0, n);
            out.process(scratch, 0, n);
            cipher.writeBytes(scratch, 0, n);
        }
        b.release();
        ctx.write(cipher, promise);
    }
}
