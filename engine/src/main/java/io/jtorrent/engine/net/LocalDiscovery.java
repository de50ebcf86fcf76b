package io.jtorrent.engine.net;

import io.netty.channel.socket.SocketProtocolFamily;
import io.jtorrent.net.Transport;
import io.jtorrent.engine.discovery.LsdMessage;
import io.jtorrent.metainfo.InfoHash;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local Service Discovery (BEP 14) over IPv4 multicast: announces our torrents to
 * 239.192.152.143:6771 and passes the peers others announce to their torrents. Off unless
 * {@link Settings.Builder#lsd(boolean)}: it sends to the local network, so tests run it only in a
 * network namespace of their own.
 */
public final class LocalDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDiscovery.class);

    private final DatagramChannel channel;
    private final InetSocketAddress group = new InetSocketAddress(LsdMessage.GROUP, LsdMessage.PORT);
    private final String cookie = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private final int peerPort;
    private int malformed;

    /**
     * Joins the group on the interface of {@code bind} (or the first multicast-capable one) and
     * hands every announce of another client to {@code found} (info-hash, peer address), on the
     * channel's loop.
     */
    public LocalDiscovery(EventLoopGroup loops, InetAddress bind, int peerPort, BiConsumer<InfoHash, InetSocketAddress> found)
            throws IOException {
        this.peerPort = peerPort;
        NetworkInterface nif = bind != null && !bind.isAnyLocalAddress() ? NetworkInterface.getByInetAddress(bind) : firstMulticastInterface();
        if (nif == null) {
            throw new IOException("no network interface for LSD multicast");
        }
        Bootstrap b = new Bootstrap().group(loops).channelFactory(Transport.datagram(loops, SocketProtocolFamily.INET))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.IP_MULTICAST_IF, nif)
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        byte[] bytes = ByteBufUtil.getBytes(p.content(), p.content().readerIndex(),
                                Math.min(p.content().readableBytes(), LsdMessage.MAX_BYTES + 1));
                        LsdMessage m;
                        try {
                            m = LsdMessage.parse(bytes, bytes.length);
                        } catch (IllegalArgumentException e) {
                            malformed++;
                            LOG.debug("LSD from {}: {}", p.sender(), e.getMessage());
                            return;
                        }
                        if (m.cookie().equals(cookie)) {
                            return; // our own announce, looped back
                        }
                        InetSocketAddress peer = new InetSocketAddress(p.sender().getAddress(), m.port());
                        for (InfoHash h : m.infoHashes()) {
                            found.accept(h, peer);
                        }
                    }
                });
        try {
            channel = (DatagramChannel) b.bind(new InetSocketAddress(LsdMessage.PORT)).sync().channel();
            channel.joinGroup(group, nif).sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted joining the LSD group");
        } catch (Exception e) {
            throw new IOException("cannot join the LSD multicast group on " + nif.getName() + ": " + e.getMessage(), e);
        }
    }

    private static NetworkInterface firstMulticastInterface() throws SocketException {
        for (NetworkInterface n : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && n.supportsMulticast() && n.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address)) {
                return n;
            }
        }
        return null;
    }

    /** Announces these torrents (at most {@value LsdMessage#MAX_HASHES} per datagram). */
    public void announce(List<InfoHash> hashes) {
        for (int i = 0; i < hashes.size(); i += LsdMessage.MAX_HASHES) {
            List<InfoHash> part = hashes.subList(i, Math.min(hashes.size(), i + LsdMessage.MAX_HASHES));
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new LsdMessage(peerPort, part, cookie).encode()), group));
        }
    }

    public int malformed() {
        return malformed;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
    }
}
