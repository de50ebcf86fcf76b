package io.jtorrent.engine.net;

import io.jtorrent.wire.utp.UtpConnection;
import io.jtorrent.wire.utp.UtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One uTP connection as a Netty channel, so the same pipeline as TCP's (encryption, peer wire,
 * handshake) runs on it. Its {@link UtpConnection} does the protocol; datagrams come from and go
 * to the session's {@link UtpSocket}. The connection's state is guarded by this channel's monitor:
 * packets, timers and writes may meet while the channel moves to its torrent's loop.
 */
public final class UtpChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final UtpSocket socket;
    private volatile InetSocketAddress remote;
    private UtpConnection connection;
    private volatile boolean open = true;
    private volatile boolean active;
    /** Delivered payload not yet handed to the pipeline (reading paused). */
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private boolean readPending;
    /** An ack flush is queued on the loop, behind the packets of this batch. */
    private boolean ackQueued;
    private ChannelPromise connectPromise;
    private ScheduledFuture<?> connectTimeout;
    private ScheduledFuture<?> timer;
    /** When {@link #timer} fires, µs. */
    private long timerAt;
    private long loggedAt;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UtpChannel.class);

    UtpChannel(UtpSocket socket, InetSocketAddress remote) {
        super(null);
        this.socket = socket;
        this.remote = remote;
    }

    private static long micros() {
        return System.nanoTime() / 1000;
    }

    /** Whether a channel is a uTP one (for the peer list's flag). */
    public static boolean isUtp(io.netty.channel.Channel ch) {
        return ch instanceof UtpChannel;
    }

    /** What the connection does: datagrams out through the socket, payload in, endings. Called under the monitor. */
    private final class Events implements UtpConnection.Peer {
        @Override
        public void send(UtpPacket packet) {
            socket.send(remote, packet);
        }

        @Override
        public void deliver(byte[] data) {
            inbound.add(data);
        }

        @Override
        public void connected() {
            active = true;
            eventLoop().execute(() -> {
                if (connectTimeout != null) {
                    connectTimeout.cancel(false);
                }
                if (connectPromise != null) {
                    connectPromise.trySuccess();
                }
                pipeline().fireChannelActive();
            });
        }

        @Override
        public void closed(String reason) {
            eventLoop().execute(() -> {
                if (connectPromise != null) {
                    connectPromise.tryFailure(new java.io.IOException("uTP: " + reason));
                }
                unsafe().close(voidPromise());
            });
        }
    }

    // ---- from the socket ----

    /** A SYN for this (incoming) channel, once it is registered: the connection is accepted. */
    void accept(UtpPacket syn) {
        synchronized (this) {
            connection = UtpConnection.accept(new Events(), syn, RANDOM, micros());
        }
        afterInput();
    }

    /** The id our packets carry, or -1 before the connection exists. */
    synchronized int sendId() {
        return connection == null ? -1 : connection.sendId();
    }

    /** A datagram for this connection, from the socket's thread. */
    void packet(UtpPacket p) {
        EventLoop loop;
        try {
            loop = eventLoop();
        } catch (IllegalStateException notRegistered) {
            return; // not on a loop (yet, or moving to its torrent's): a retransmission will come
        }
        loop.execute(() -> {
            synchronized (this) {
                if (connection == null) {
                    return;
                }
                connection.receive(p, micros());
            }
            afterInput();
            if (!ackQueued) {
                // after the packets queued with this one (a socket read hands over a batch): one ack for them all
                ackQueued = true;
                eventLoop().execute(this::flushAck);
            }
        });
    }

    private void flushAck() {
        ackQueued = false;
        synchronized (this) {
            if (connection != null) {
                connection.flushAck(micros());
            }
        }
    }

    /** After input or a timer: hand payload on, send what waits, set the next timeout. On the loop. */
    private void afterInput() {
        if (LOG.isTraceEnabled() && System.nanoTime() - loggedAt > 1_000_000_000L) {
            loggedAt = System.nanoTime();
            synchronized (this) {
                if (connection != null) {
                    LOG.trace("{}: {}", remote, connection.describe());
                }
            }
        }
        drainInbound();
        if (isActive() && unsafe().outboundBuffer() != null && !unsafe().outboundBuffer().isEmpty()) {
            unsafe().flush();
        }
        scheduleTimer();
    }

    private void drainInbound() {
        boolean read = false;
        while (config.isAutoRead() || readPending) {
            byte[] data;
            synchronized (this) {
                data = inbound.poll();
                if (data != null && connection != null) {
                    connection.consumed(data.length, micros());
                }
            }
            if (data == null) {
                break;
            }
            readPending = false;
            read = true;
            pipeline().fireChannelRead(Unpooled.wrappedBuffer(data));
        }
        if (read) {
            pipeline().fireChannelReadComplete();
        }
    }

    /**
     * Keeps a timer for the connection's next timeout: one already set for no later than that is
     * kept (it ticks, finds nothing due and sets the next), so packets do not reschedule it each time.
     */
    private void scheduleTimer() {
        long next;
        synchronized (this) {
            next = connection == null ? Long.MAX_VALUE : connection.nextTimeoutMicros();
        }
        if (next == Long.MAX_VALUE || !open || (timer != null && timerAt <= next)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = next;
        timer = eventLoop().schedule(() -> {
            if (!isRegistered()) {
                return; // deregistered while this was due: doRegister sets a new timer
            }
            timer = null;
            synchronized (this) {
                if (connection != null) {
                    connection.tick(micros());
                }
            }
            afterInput();
        }, Math.max(1, next - micros()), TimeUnit.MICROSECONDS);
    }

    // ---- the channel ----

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
                if (!promise.setUncancellable() || !isOpen()) {
                    return;
                }
                remote = (InetSocketAddress) remoteAddress;
                connectPromise = promise;
                int timeoutMillis = config.getConnectTimeoutMillis();
                if (timeoutMillis > 0) {
                    connectTimeout = eventLoop().schedule(() -> {
                        if (promise.tryFailure(new ConnectTimeoutException("uTP connection timed out: " + remote))) {
                            close(voidPromise());
                        }
                    }, timeoutMillis, TimeUnit.MILLISECONDS);
                }
                int id = socket.register(UtpChannel.this, remote);
                synchronized (UtpChannel.this) {
                    connection = UtpConnection.connect(new Events(), id, RANDOM, micros());
                }
                scheduleTimer();
            }
        };
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return socket.localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a uTP connection uses its session's socket");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        open = false;
        active = false;
        synchronized (this) {
            if (connection != null && connection.state() != UtpConnection.State.CLOSED) {
                connection.reset(micros(), "closed");
            }
            inbound.clear();
        }
        if (timer != null) {
            timer.cancel(false);
        }
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        socket.unregister(this);
    }

    /**
     * Leaving a loop (for its torrent's, after the handshake): the timer goes, so that it cannot
     * fire on the old loop while the new one runs the channel, nor find no loop to re-arm on.
     */
    @Override
    protected void doDeregister() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** On a loop again: the timer comes back, and what arrived meanwhile is handed on. */
    @Override
    protected void doRegister() {
        eventLoop().execute(this::afterInput);
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        drainInbound();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        synchronized (this) {
            while (connection != null) {
                Object msg = in.current();
                if (msg == null) {
                    break;
                }
                if (!(msg instanceof ByteBuf b)) {
                    in.remove(new UnsupportedOperationException("a uTP channel writes bytes only"));
                    continue;
                }
                int length = b.readableBytes();
                if (length == 0) {
                    in.remove();
                    continue;
                }
                byte[] bytes = new byte[length];
                b.getBytes(b.readerIndex(), bytes);
                int taken = connection.write(bytes, 0, length, micros());
                if (taken == 0) {
                    break; // the send buffer is full: written again once acks free it
                }
                in.removeBytes(taken);
                if (taken < length) {
                    break;
                }
            }
        }
        scheduleTimer();
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    int receiveIdForTests() {
        synchronized (this) {
            return connection == null ? -1 : connection.receiveId();
        }
    }
}
