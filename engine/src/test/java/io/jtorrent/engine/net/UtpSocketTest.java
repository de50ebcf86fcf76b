package io.jtorrent.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.net.Transport;
import io.jtorrent.wire.utp.UtpPacket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The socket's side of uTP against a hand-driven peer (a plain UDP socket speaking the header):
 * a peer that restarted on the same port no longer knows our receive id, only the id our packets
 * carry, and its RESET with that id ends our stale connection at once (instead of leaving it to
 * time out while the peer's new self waits to be dialled again).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UtpSocketTest {
    /** A channel of {@code socket} dialled to the hand-driven {@code peer}, which accepts it. */
    private record Dialled(Channel channel, int receiveId) {}

    private static Dialled dial(NioEventLoopGroup group, UtpSocket socket, DatagramSocket peer) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        peer.setSoTimeout(5000);
        Channel ch = new Bootstrap().group(group).channelFactory(socket::newChannel)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                    }
                }).connect(new InetSocketAddress(lo, peer.getLocalPort())).channel();
        // the SYN: its connection id is our receive id; we send with that plus one
        UtpPacket syn = receive(peer);
        assertThat(syn.type()).isEqualTo(UtpPacket.Type.SYN);
        send(peer, socket, new UtpPacket(UtpPacket.Type.STATE, syn.connectionId(), System.nanoTime() / 1000, 0, 1 << 20,
                1000, syn.seq(), null, null));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ch.isActive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ch.isActive()).as("connected").isTrue();
        return new Dialled(ch, syn.connectionId());
    }

    /** Runs {@code test} with a socket on 127.0.0.1 and a peer beside it; closes both after. */
    private interface WithPeer {
        void run(NioEventLoopGroup group, UtpSocket socket, DatagramSocket peer) throws Exception;
    }

    private static void withPeer(WithPeer test) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try (DatagramSocket peer = new DatagramSocket(0, lo)) {
            UtpSocket socket = new UtpSocket(group, new InetSocketAddress(lo, 0), ch -> { });
            try {
                test.run(group, socket, peer);
            } finally {
                socket.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aResetCarryingOurSendIdEndsTheStaleConnection() throws Exception {
        withPeer((group, socket, peer) -> {
            Dialled d = dial(group, socket, peer);
            // the peer restarts: it answers our next packet with a RESET carrying that packet's id
            int ourSendId = (d.receiveId() + 1) & 0xffff;
            send(peer, socket, new UtpPacket(UtpPacket.Type.RESET, ourSendId, System.nanoTime() / 1000, 0, 0,
                    7, 0, null, null));
            assertThat(d.channel().closeFuture().await(5, TimeUnit.SECONDS)).as("the stale connection ended").isTrue();
        });
    }

    @Test
    void aResetWithAnUnrelatedIdEndsNothing() throws Exception {
        withPeer((group, socket, peer) -> {
            Dialled d = dial(group, socket, peer);
            // neither our receive id nor our send id (the id a responder's send id would be, -1)
            send(peer, socket, new UtpPacket(UtpPacket.Type.RESET, (d.receiveId() - 1) & 0xffff, System.nanoTime() / 1000,
                    0, 0, 7, 0, null, null));
            assertThat(d.channel().closeFuture().await(500, TimeUnit.MILLISECONDS)).as("still open").isFalse();
        });
    }

    /**
     * Datagrams sent before any is read (epoll reads them several to a system call, each a slice
     * of one buffer) are each answered, the answers written together (one sendmmsg on epoll):
     * every one of 40 packets for no connection gets its own RESET, and so does a packet whose
     * header and extensions alone are 2,076 bytes (what a read cut at 2,048 bytes, Netty's
     * default, would have dropped as cut short). On NIO and, where it loads, epoll.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBurstIsAnsweredPacketByPacketAndTheLongestIsReadWhole(boolean epoll) throws Exception {
        if (epoll) {
            org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "epoll is not available here");
        }
        InetAddress lo = InetAddress.getLoopbackAddress();
        EventLoopGroup group = Transport.group(1, new DefaultThreadFactory("utp-test", true), epoll);
        try (DatagramSocket peer = new DatagramSocket(0, lo)) {
            peer.setSoTimeout(5000);
            peer.setReceiveBufferSize(1 << 20);
            UtpSocket socket = new UtpSocket(group, new InetSocketAddress(lo, 0), ch -> { });
            try {
                Set<Integer> expected = new HashSet<>();
                for (int seq = 100; seq < 140; seq++) {
                    send(peer, socket, new UtpPacket(UtpPacket.Type.DATA, 5000 + seq, 0, 0, 1 << 20, seq, 0, null, new byte[1]));
                    expected.add(seq);
                }
                byte[] longest = withLongestExtensions(777, 6000);
                peer.send(new DatagramPacket(longest, longest.length, socket.localAddress()));
                expected.add(777);
                Set<Integer> answered = new HashSet<>();
                while (!answered.containsAll(expected)) {
                    UtpPacket reset = receive(peer); // SocketTimeoutException if one is missing
                    assertThat(reset.type()).isEqualTo(UtpPacket.Type.RESET);
                    assertThat(answered.add(reset.ack())).as("one answer per packet").isTrue();
                }
                assertThat(answered).isEqualTo(expected);
            } finally {
                socket.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** A DATA packet (sequence number {@code seq}) with the most extensions of the greatest length, one payload byte. */
    private static byte[] withLongestExtensions(int seq, int connectionId) {
        ByteBuffer b = ByteBuffer.allocate(UtpPacket.HEADER + UtpPacket.MAX_EXTENSIONS * 257 + 1);
        b.put((byte) (UtpPacket.Type.DATA.ordinal() << 4 | UtpPacket.VERSION)).put((byte) 2) // an extension unknown to us
                .putShort((short) connectionId).putInt(0).putInt(0).putInt(1 << 20).putShort((short) seq).putShort((short) 0);
        for (int i = 0; i < UtpPacket.MAX_EXTENSIONS; i++) {
            b.put((byte) (i + 1 < UtpPacket.MAX_EXTENSIONS ? 2 : 0)).put((byte) 255).put(new byte[255]);
        }
        b.put((byte) 'x');
        assertThat(b.remaining()).isZero();
        return b.array();
    }

    private static UtpPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket d = new DatagramPacket(new byte[2000], 2000);
        s.receive(d);
        return UtpPacket.decode(d.getData(), 0, d.getLength());
    }

    private static void send(DatagramSocket s, UtpSocket to, UtpPacket p) throws Exception {
        byte[] b = p.encode();
        s.send(new DatagramPacket(b, b.length, to.localAddress()));
    }
}
