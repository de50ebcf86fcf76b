package io.jtorrent.sim;

import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.engine.peer.PeerTransport;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One end of a simulated connection: a reliable, ordered byte stream as TCP gives the engine,
 * carrying the messages themselves rather than their encoding. What this end sends is queued
 * (its size counted as the encoder would write it) until its host's {@link Uplink} transmits it;
 * then the other end gets it after the latency. Reading can be turned off (the engine's flow
 * control): what arrives meanwhile waits, in order.
 */
final class Pipe implements PeerTransport {
    /** What went over the link in one turn. */
    record Batch(List<Object> messages, int bytes) {}

    private final Network network;
    final SimPeer owner;
    private final InetSocketAddress remote;
    Pipe other;
    /** The engine's side of this end, once the handshake is done. */
    PeerConnection peer;
    /** For the dialling end: what to tell the dialler if the connection ends before its peer joined. */
    Runnable failedBeforeJoin;
    /** Whether this end dialled. */
    boolean outgoing;

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long pending;
    private final long highWater;
    private boolean unwritable;
    boolean inReady;
    private boolean reading = true;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean closed;
    private boolean joined;
    private long wireReceived;
    private long wireSent;

    Pipe(Network network, SimPeer owner, InetSocketAddress remote, long highWater) {
        this.network = network;
        this.owner = owner;
        this.remote = remote;
        this.highWater = highWater;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void send(PeerMessage m) {
        write(m);
        flush();
    }

    @Override
    public void write(PeerMessage m) {
        enqueue(m);
    }

    void enqueue(Object m) {
        if (closed) {
            ReferenceCountUtil.release(m);
            return;
        }
        Object out = owner.behaviour().outgoing(m);
        if (out == null) {
            return;
        }
        queue.add(out);
        owner.countSent(out);
        pending += WireSize.of(out);
        if (!unwritable && pending > highWater) {
            unwritable = true;
            if (peer != null) {
                peer.writabilityChanged();
            }
        }
    }

    @Override
    public void flush() {
        if (!queue.isEmpty()) {
            owner.uplink().wake(this);
        }
    }

    boolean hasQueued() {
        return !closed && !queue.isEmpty();
    }

    /** Takes the next messages off the queue, up to {@code maxBytes} (at least one message). */
    Batch takeBatch(int maxBytes) {
        List<Object> taken = new ArrayList<>(Math.min(queue.size(), 32));
        int bytes = 0;
        while (!queue.isEmpty()) {
            int size = WireSize.of(queue.peek());
            if (!taken.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            taken.add(queue.poll());
            bytes += size;
        }
        return new Batch(taken, bytes);
    }

    /** The link sent {@code batch}: it is on its way, and the send buffer has that much more room. */
    void transmitted(Batch batch) {
        if (closed) {
            batch.messages().forEach(ReferenceCountUtil::release);
            return;
        }
        pending -= batch.bytes();
        wireSent += batch.bytes();
        network.carry(this, batch);
        if (unwritable && pending < highWater / 2) {
            unwritable = false;
            if (peer != null) {
                peer.writabilityChanged();
            }
        }
    }

    /** {@code batch} arrived from the other end. */
    void arrived(Batch batch) {
        if (closed) {
            batch.messages().forEach(ReferenceCountUtil::release);
            return;
        }
        wireReceived += batch.bytes();
        for (Object m : batch.messages()) {
            if (!reading || !held.isEmpty()) {
                held.add(m);
            } else {
                handle(m);
            }
        }
    }

    private void handle(Object m) {
        if (closed) {
            ReferenceCountUtil.release(m);
        } else if (m instanceof Handshake h) {
            network.handshake(this, h);
        } else if (peer != null) {
            network.delivered(this, (PeerMessage) m);
            peer.handle((PeerMessage) m);
        } else {
            ReferenceCountUtil.release(m); // no peer to take it: the handshake was refused
        }
    }

    @Override
    public long pendingBytes() {
        return pending;
    }

    @Override
    public boolean writable() {
        return !unwritable;
    }

    @Override
    public void reading(boolean on) {
        if (on == reading) {
            return;
        }
        reading = on;
        if (on && !held.isEmpty()) {
            owner.clock().execute(this::drain);
        }
    }

    private void drain() {
        while (reading && !closed && !held.isEmpty()) {
            handle(held.poll());
        }
    }

    @Override
    public boolean reading() {
        return reading;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        shut();
        network.closing(this);
    }

    /** The other end closed (or its host left): this end is closed too, and the engine hears of it. */
    void remoteClosed() {
        if (closed) {
            return;
        }
        shut();
        if (peer != null) {
            peer.close("connection closed");
        }
    }

    private void shut() {
        closed = true;
        pending = 0;
        queue.forEach(ReferenceCountUtil::release);
        queue.clear();
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        if (!joined && failedBeforeJoin != null) {
            Runnable failed = failedBeforeJoin;
            failedBeforeJoin = null;
            failed.run();
        }
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void markJoined() {
        joined = true;
    }

    @Override
    public long wireReceived() {
        return wireReceived;
    }

    @Override
    public long wireSent() {
        return wireSent;
    }
}
