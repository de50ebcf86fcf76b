package io.jtorrent.engine.net;

import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.engine.peer.PeerHost;
import io.jtorrent.engine.peer.PeerSet;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.netty.channel.EventLoop;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of every peer connection. Outgoing: sends our handshake, checks the peer's.
 * Incoming: reads the peer's handshake, finds the torrent it names, hands the connection to that
 * torrent's event loop, then answers. Either way, once admitted, it replaces itself with a
 * {@link PeerConnection}. A connection that has not completed the handshake in time is closed.
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    /** A torrent as the handshake sees it: its loops, its peer set, and the host its peers talk to. */
    public record Target(InfoHash infoHash, EventLoop eventLoop, Loop owner, PeerSet peers, PeerHost host) {}

    /** The torrents peers may ask for, and our side of the handshake. */
    public interface Directory {
        /** The torrent with this info-hash, or null. */
        Target find(InfoHash infoHash);

        Handshake ourHandshake(InfoHash infoHash);

        java.time.Duration handshakeTimeout();

        /** Whether peers at this address are refused (a blocklist); none by default. */
        default boolean blocked(java.net.InetAddress address) {
            return false;
        }
    }

    private final Directory directory;
    private Target torrent;
    private final boolean outgoing;
    private final List<Object> early = new ArrayList<>();
    private Handshake received;
    private ScheduledFuture<?> timeout;
    /** Gives back the incoming connection's handshake slot (once the peer is admitted, or on close). */
    private final Runnable handshakeDone;

    /** {@code torrent}: the one we dial for, or null for an incoming connection. */
    public HandshakeHandler(Directory directory, Target torrent, Runnable handshakeDone) {
        this.directory = directory;
        this.torrent = torrent;
        this.outgoing = torrent != null;
        this.handshakeDone = handshakeDone;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (outgoing) {
            ctx.writeAndFlush(directory.ourHandshake(torrent.infoHash()));
        }
        timeout = ctx.executor().schedule(() -> {
            if (received == null || ctx.pipeline().get(HandshakeHandler.class) != null) {
                LOG.debug("{}: no handshake within {}", ctx.channel().remoteAddress(), directory.handshakeTimeout());
                ctx.close();
            }
        }, directory.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (received != null) {
            early.add(msg); // messages that came with the handshake, while we move to the torrent's loop
            return;
        }
        if (!(msg instanceof Handshake h)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        received = h;
        Channel ch = ctx.channel();
        if (ch.remoteAddress() instanceof InetSocketAddress remote && directory.blocked(remote.getAddress())) {
            reject(ctx, "blocklisted address");
            return;
        }
        if (outgoing) {
            if (!java.util.Arrays.equals(h.infoHash().truncated20(), torrent.infoHash().truncated20())) {
                reject(ctx, "handshake for another torrent " + h.infoHash());
                return;
            }
            admit(ctx, h);
            return;
        }
        torrent = directory.find(h.infoHash());
        if (torrent == null) {
            reject(ctx, "handshake for a torrent we do not have: " + h.infoHash());
            return;
        }
        byte[] skey = ch.attr(MseHandler.SKEY).get();
        if (skey != null && !java.util.Arrays.equals(skey, h.infoHash().truncated20())) {
            reject(ctx, "encrypted for one torrent, a handshake for another");
            return;
        }
        if (ch.eventLoop() == torrent.eventLoop()) {
            admit(ctx, h);
            return;
        }
        // hand the connection to the loop that owns the torrent; no reads until it is there
        ch.config().setAutoRead(false);
        Target target = torrent;
        ch.deregister().addListener(d -> target.eventLoop().register(ch).addListener(r -> {
            if (!r.isSuccess()) {
                ch.close();
                return;
            }
            admit(ch.pipeline().context(this), h);
            ch.config().setAutoRead(true);
        }));
    }

    private void admit(ChannelHandlerContext ctx, Handshake h) {
        InetSocketAddress address = (InetSocketAddress) ctx.channel().remoteAddress();
        String refusal = torrent.peers().admit(h.peerId(), address, outgoing);
        if (refusal != null) {
            reject(ctx, refusal);
            return;
        }
        if (!outgoing) {
            ctx.writeAndFlush(directory.ourHandshake(h.infoHash())); // the hash they named: v1, or a hybrid's v2
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        handshakeDone.run();
        PeerConnection peer = new PeerConnection(torrent.host(), new ChannelTransport(ctx.channel()), h, outgoing,
                torrent.owner().nanoTime());
        ctx.pipeline().replace(this, "peer", new PeerChannelHandler(peer));
        torrent.peers().joined(peer);
        for (Object m : early) {
            if (m instanceof PeerMessage message) {
                peer.handle(message);
            } else {
                ReferenceCountUtil.release(m);
            }
        }
        early.clear();
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        LOG.debug("{}: refused: {}", ctx.channel().remoteAddress(), reason);
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: before the handshake: {}", ctx.channel().remoteAddress(), cause.getMessage());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
