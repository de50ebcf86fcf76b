package io.jtorrent.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Datagrams for one UDP channel, from any thread, written together: the first one queues a task on
 * the channel's loop, and every datagram sent before that task starts goes out with it, in one
 * flush (one sendmmsg on epoll, where a flush of one datagram each was one system call each: a
 * third of a uTP seeder's CPU). At most {@value #MAX_WAITING} wait; more are dropped, as a full
 * socket buffer drops them.
 */
public final class DatagramWriter {
    public static final int MAX_WAITING = 8192;

    private final Channel channel;
    private final Queue<DatagramPacket> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    /** A drain is queued on the loop: what is sent until it starts rides with it. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();

    public DatagramWriter(Channel channel) {
        this.channel = channel;
    }

    /** Queues {@code datagram} for {@code to}; false if it was dropped ({@value #MAX_WAITING} already wait). */
    public boolean send(byte[] datagram, InetSocketAddress to) {
        if (count.incrementAndGet() > MAX_WAITING) {
            count.decrementAndGet();
            return false;
        }
        waiting.add(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to));
        if (drainQueued.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
        return true;
    }

    /** Datagrams queued and not yet handed to the channel. */
    public int waiting() {
        return count.get();
    }

    private void drain() {
        drainQueued.set(false); // first: a datagram queued from now on queues another drain
        int n = 0;
        for (DatagramPacket p; (p = waiting.poll()) != null; n++) {
            count.decrementAndGet();
            channel.write(p, channel.voidPromise());
        }
        if (n > 0) {
            channel.flush();
        }
    }
}
