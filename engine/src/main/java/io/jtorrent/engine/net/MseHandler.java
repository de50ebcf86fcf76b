package io.jtorrent.engine.net;

import io.jtorrent.engine.Settings;
import io.jtorrent.wire.PeerProtocolException;
import io.jtorrent.wire.mse.MseHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message Stream Encryption on a channel, under the peer wire. Dialling out, it runs the
 * handshake first and only then lets the channel become active above it (so the BitTorrent
 * handshake goes out encrypted). Taking a connection, it tells a plaintext BitTorrent handshake
 * from an encryption handshake by the first 20 bytes, as libtorrent does, and applies the policy
 * (required: plaintext peers are closed). Once done it replaces itself with an {@link Rc4Handler}
 * (RC4 selected) or removes itself (plaintext selected), and hands on what followed the handshake.
 */
public final class MseHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MseHandler.class);
    /**
     * Set on a channel we dial while its encryption handshake has not succeeded (so also when it
     * failed or the connection closed first): a plaintext retry may follow.
     */
    public static final AttributeKey<Boolean> FAILED = AttributeKey.valueOf("jtorrent.mse.failed");
    /** The info-hash an incoming encrypted connection named: its BitTorrent handshake must name the same. */
    public static final AttributeKey<byte[]> SKEY = AttributeKey.valueOf("jtorrent.mse.skey");
    /** Set on a channel whose payload is RC4-encrypted. */
    public static final AttributeKey<Boolean> ENCRYPTED = AttributeKey.valueOf("jtorrent.mse.encrypted");
    private static final byte[] PROTOCOL = "\u0013BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean initiator;
    private final byte[] skey;
    private final Function<byte[], byte[]> skeyByReq2;
    private final Settings.Encryption policy;
    private final Duration timeout;
    private MseHandshake handshake;
    /** Responder: the first bytes, until they tell plaintext from encrypted. */
    private ByteBuf first;
    private ScheduledFuture<?> timer;
    private boolean done;

    private MseHandler(boolean initiator, byte[] skey, Function<byte[], byte[]> skeyByReq2, Settings.Encryption policy,
                       Duration timeout) {
        this.initiator = initiator;
        this.skey = skey;
        this.skeyByReq2 = skeyByReq2;
        this.policy = policy;
        this.timeout = timeout;
    }

    /** Dialling a peer for the torrent with this (20-byte) info-hash. */
    public static MseHandler dialling(byte[] skey, Settings.Encryption policy, Duration timeout) {
        return new MseHandler(true, skey.clone(), null, policy, timeout);
    }

    /** A connection a peer made; {@code skeyByReq2} finds our torrent by {@code HASH('req2', SKEY)}. */
    public static MseHandler accepting(Function<byte[], byte[]> skeyByReq2, Settings.Encryption policy, Duration timeout) {
        return new MseHandler(false, null, skeyByReq2, policy, timeout);
    }

    private int methods() {
        return policy == Settings.Encryption.REQUIRED ? MseHandshake.RC4 : MseHandshake.RC4 | MseHandshake.PLAINTEXT;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            if (!done) {
                LOG.debug("{}: no encryption handshake within {}", ctx.channel().remoteAddress(), timeout);
                fail(ctx);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (initiator) {
            // failed until it succeeds: the channel's close future may be heard before channelInactive
            ctx.channel().attr(FAILED).set(Boolean.TRUE);
            handshake = MseHandshake.initiator(skey, methods(), RANDOM);
            flushOutput(ctx);
            // the layers above see the channel active once the handshake is done
        } else {
            ctx.fireChannelActive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || done) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (handshake == null) {
                decide(ctx, in);
                return;
            }
            byte[] bytes = ByteBufUtil.getBytes(in);
            in.release();
            handshake.receive(bytes, 0, bytes.length);
            flushOutput(ctx);
            if (handshake.done()) {
                finish(ctx);
            }
        } catch (PeerProtocolException e) {
            LOG.debug("{}: {}", ctx.channel().remoteAddress(), e.getMessage());
            fail(ctx);
        }
    }

    /** Responder: plaintext (a BitTorrent handshake) or an encryption handshake? */
    private void decide(ChannelHandlerContext ctx, ByteBuf in) throws PeerProtocolException {
        first = first == null ? in : Unpooled.wrappedBuffer(first, in);
        int n = Math.min(first.readableBytes(), PROTOCOL.length);
        byte[] head = new byte[n];
        first.getBytes(first.readerIndex(), head);
        boolean plaintextSoFar = Arrays.equals(head, Arrays.copyOf(PROTOCOL, n));
        if (plaintextSoFar && n < PROTOCOL.length) {
            return; // too early to tell
        }
        ByteBuf bytes = first;
        first = null;
        if (plaintextSoFar) {
            if (policy == Settings.Encryption.REQUIRED) {
                bytes.release();
                LOG.debug("{}: a plaintext peer, and encryption is required", ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            done = true;
            cancelTimer();
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(bytes);
            return;
        }
        handshake = MseHandshake.responder(skeyByReq2, methods(), policy == Settings.Encryption.TOLERATED, RANDOM);
        byte[] b = ByteBufUtil.getBytes(bytes);
        bytes.release();
        handshake.receive(b, 0, b.length);
        flushOutput(ctx);
        if (handshake.done()) {
            finish(ctx);
        }
    }

    private void flushOutput(ChannelHandlerContext ctx) {
        byte[] out = handshake.takeOutput();
        if (out.length > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(out));
        }
    }

    private void finish(ChannelHandlerContext ctx) {
        done = true;
        ctx.channel().attr(FAILED).set(null);
        cancelTimer();
        boolean rc4 = handshake.selected() == MseHandshake.RC4;
        if (!initiator) {
            ctx.channel().attr(SKEY).set(handshake.skey());
        }
        LOG.debug("{}: encryption handshake done, {}", ctx.channel().remoteAddress(), rc4 ? "RC4" : "plaintext");
        // what follows goes on from this place, past the cipher: the bytes are deciphered already
        // (a replaced handler's context would lead into its replacement, so the new one's is used)
        ChannelHandlerContext from = ctx;
        if (rc4) {
            ctx.channel().attr(ENCRYPTED).set(Boolean.TRUE);
            ctx.pipeline().replace(this, "rc4", new Rc4Handler(handshake.encryptor(), handshake.decryptor()));
            from = ctx.pipeline().context("rc4");
        } else {
            ctx.pipeline().remove(this);
        }
        if (initiator) {
            from.fireChannelActive();
        }
        byte[] rest = handshake.remaining();
        if (rest.length > 0) {
            from.fireChannelRead(Unpooled.wrappedBuffer(rest));
        }
    }

    private void fail(ChannelHandlerContext ctx) {
        LOG.debug("{}: encryption handshake failed", ctx.channel().remoteAddress());
        ctx.channel().attr(FAILED).set(Boolean.TRUE);
        ctx.close();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            LOG.debug("{}: closed during the encryption handshake", ctx.channel().remoteAddress());
            ctx.channel().attr(FAILED).set(Boolean.TRUE);
        }
        cancelTimer();
        if (first != null) {
            first.release();
            first = null;
        }
        if (initiator && !done) {
            return; // the layers above never saw it active
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.debug("{}: during the encryption handshake: {}", ctx.channel().remoteAddress(), cause.getMessage());
        fail(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (first != null) {
            ReferenceCountUtil.release(first);
            first = null;
        }
    }
}
