package io.jtorrent.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datagrams sent from several threads at once each leave once, whatever the batching; and while
 * the channel's loop is busy at most {@value DatagramWriter#MAX_WAITING} wait, the rest refused.
 * On NIO and, where it loads, epoll.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DatagramWriterTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyDatagramLeavesOnceAndTheQueueIsBounded(boolean epoll) throws Exception {
        if (epoll) {
            org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "epoll is not available here");
        }
        InetAddress lo = InetAddress.getLoopbackAddress();
        EventLoopGroup group = Transport.group(1, new DefaultThreadFactory("writer-test", true), epoll);
        try (DatagramSocket receiver = new DatagramSocket(0, lo)) {
            receiver.setReceiveBufferSize(1 << 22);
            receiver.setSoTimeout(5000);
            Channel channel = new Bootstrap().group(group).channelFactory(Transport.datagram(group, null))
                    .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(lo, 0)).sync().channel();
            DatagramWriter writer = new DatagramWriter(channel);
            InetSocketAddress to = new InetSocketAddress(lo, receiver.getLocalPort());
            Thread[] senders = new Thread[4];
            for (int t = 0; t < senders.length; t++) {
                int first = t * 250;
                senders[t] = new Thread(() -> {
                    for (int i = first; i < first + 250; i++) {
                        assertThat(writer.send(ByteBuffer.allocate(4).putInt(i).array(), to)).isTrue();
                    }
                });
                senders[t].start();
            }
            for (Thread t : senders) {
                t.join();
            }
            Set<Integer> got = new HashSet<>();
            DatagramPacket d = new DatagramPacket(new byte[16], 16);
            while (got.size() < 1000) {
                receiver.receive(d); // SocketTimeoutException if one never comes
                assertThat(d.getLength()).isEqualTo(4);
                assertThat(got.add(ByteBuffer.wrap(d.getData(), 0, 4).getInt())).as("each datagram once").isTrue();
            }

            CountDownLatch release = new CountDownLatch(1);
            channel.eventLoop().execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS); // the loop busy: nothing is drained
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int taken = 0;
            for (int i = 0; i < DatagramWriter.MAX_WAITING + 100; i++) {
                taken += writer.send(new byte[] {1}, to) ? 1 : 0;
            }
            assertThat(taken).isEqualTo(DatagramWriter.MAX_WAITING);
            assertThat(writer.waiting()).isEqualTo(DatagramWriter.MAX_WAITING);
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.waiting() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(writer.waiting()).as("drained once the loop is free").isZero();
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
