package io.jtorrent.engine.net;

import io.jtorrent.engine.peer.PeerTransport;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerWireEncoder;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/** A {@link PeerTransport} on a Netty channel (TCP today; uTP will be another channel). */
public final class ChannelTransport implements PeerTransport {
    private static final AttributeKey<Boolean> JOINED = AttributeKey.valueOf("jtorrent.joined");

    private final Channel channel;

    public ChannelTransport(Channel channel) {
        this.channel = channel;
    }

    /** Whether a peer on this channel joined its torrent (a dial refused in the handshake never does). */
    public static boolean joined(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(JOINED).get());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public void send(PeerMessage m) {
        channel.writeAndFlush(m, channel.voidPromise());
    }

    @Override
    public void write(PeerMessage m) {
        channel.write(m, channel.voidPromise());
    }

    @Override
    public void writeHaves(int[] pieces, int count) {
        channel.write(PeerWireEncoder.haves(channel.alloc(), pieces, count), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void reading(boolean on) {
        if (channel.config().isAutoRead() != on) {
            channel.config().setAutoRead(on);
        }
    }

    @Override
    public boolean reading() {
        return channel.config().isAutoRead();
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public boolean utp() {
        return UtpChannel.isUtp(channel);
    }

    @Override
    public boolean encrypted() {
        return Boolean.TRUE.equals(channel.attr(MseHandler.ENCRYPTED).get());
    }

    @Override
    public void markJoined() {
        channel.attr(JOINED).set(Boolean.TRUE);
    }

    @Override
    public long wireReceived() {
        WireCounter wire = channel.pipeline().get(WireCounter.class);
        return wire == null ? 0 : wire.received;
    }

    @Override
    public long wireSent() {
        WireCounter wire = channel.pipeline().get(WireCounter.class);
        return wire == null ? 0 : wire.sent;
    }
}
