package io.jtorrent.wire.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two uTP connections on a simulated link in virtual time (every packet through the codec):
 * a clean link, a lossy and reordering one, a bottleneck that shows LEDBAT keeping its queue near
 * the target delay while filling the link, the FIN and RESET endings, and a SYN nobody answers.
 */
class UtpConnectionTest {
    private static final long MS = 1000;

    /** Two endpoints joined by a link: one-way delay, jitter, loss, and a bottleneck rate with its queue. */
    static final class Link {
        record Delivery(long at, long order, boolean toB, byte[] datagram) {}

        final PriorityQueue<Delivery> queue = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at)
                : Long.compare(x.order, y.order));
        final Random random = new Random(42);
        long now;
        long order;
        long delay = 10 * MS;
        long jitter;
        double loss;
        /** Bytes per second of the bottleneck (both directions), 0 for none. */
        long rate;
        /** Bytes the bottleneck's queue holds; a datagram that does not fit is dropped (0: no limit). */
        long queueLimit;
        long drops;
        final long[] busyUntil = new long[2];
        long maxQueueDelay;
        /** When B last got payload, and the longest time it went without, µs. */
        long lastDeliveryAtB = -1;
        long longestDeliveryGap;
        UtpConnection a;
        UtpConnection b;
        final ByteArrayOutputStream atA = new ByteArrayOutputStream();
        final ByteArrayOutputStream atB = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        /** Whether B's application takes what is delivered (false: its reading is paused). */
        boolean bReads = true;
        /** An attacker on the path: now and then A gets a STATE acknowledging far more than it sent. */
        boolean forgeAcksToA;
        int lastSeqFromA = -1;

        UtpConnection.Peer end(boolean isA) {
            return new UtpConnection.Peer() {
                @Override
                public void send(UtpPacket p) {
                    put(isA, p);
                }

                @Override
                public void deliver(byte[] data) {
                    (isA ? atA : atB).writeBytes(data);
                    if (!isA) {
                        if (lastDeliveryAtB >= 0) {
                            longestDeliveryGap = Math.max(longestDeliveryGap, now - lastDeliveryAtB);
                        }
                        lastDeliveryAtB = now;
                    }
                }

                @Override
                public void connected() {
                    events.add((isA ? "A" : "B") + " connected");
                }

                @Override
                public void closed(String reason) {
                    events.add((isA ? "A" : "B") + " closed: " + reason);
                }
            };
        }

        /** DATA packets A sent, and STATE packets (bare acks) B sent. */
        int dataFromA;
        int acksFromB;

        void put(boolean toB, UtpPacket p) {
            if (toB && p.type() == UtpPacket.Type.DATA) {
                lastSeqFromA = p.seq();
                dataFromA++;
            }
            if (!toB && p.type() == UtpPacket.Type.STATE) {
                acksFromB++;
            }
            if (loss > 0 && random.nextDouble() < loss) {
                return;
            }
            byte[] d = p.encode();
            long leave = now;
            if (rate > 0) {
                int dir = toB ? 0 : 1;
                long backlog = Math.max(0, busyUntil[dir] - now) * rate / 1_000_000;
                if (queueLimit > 0 && backlog + d.length > queueLimit) {
                    drops++;
                    return; // tail drop, as a full socket buffer does
                }
                leave = Math.max(now, busyUntil[dir]) + d.length * 1_000_000L / rate;
                maxQueueDelay = Math.max(maxQueueDelay, leave - now);
                busyUntil[dir] = leave;
            }
            long at = leave + delay + (jitter > 0 ? (long) (random.nextDouble() * jitter) : 0);
            queue.add(new Delivery(at, order++, toB, d));
        }

        /** Runs until {@code done} or {@code limit} µs of virtual time; {@code each} runs after every event. */
        void run(long limit, java.util.function.BooleanSupplier done, Runnable each) throws UtpException {
            while (!done.getAsBoolean() && now < limit) {
                long timeout = Math.min(a == null ? Long.MAX_VALUE : a.nextTimeoutMicros(),
                        b == null ? Long.MAX_VALUE : b.nextTimeoutMicros());
                Delivery next = queue.peek();
                if (next == null && timeout == Long.MAX_VALUE) {
                    break;
                }
                if (next == null || timeout < next.at) {
                    now = Math.max(now, timeout);
                    if (a != null) {
                        a.tick(now);
                    }
                    if (b != null) {
                        b.tick(now);
                    }
                } else {
                    queue.poll();
                    now = next.at;
                    UtpPacket p = UtpPacket.decode(next.datagram, 0, next.datagram.length);
                    if (next.toB) {
                        if (b == null) {
                            b = UtpConnection.accept(end(false), p, new Random(2), now);
                        } else {
                            b.receive(p, now);
                        }
                    } else {
                        a.receive(p, now);
                    }
                }
                Delivery following = queue.peek();
                if (following == null || following.at > now) { // a batch of packets ends: its acks go
                    if (a != null) {
                        a.flushAck(now);
                    }
                    if (b != null) {
                        b.flushAck(now);
                    }
                }
                // the application reads everything delivered at once
                if (a != null) {
                    a.consumed(Integer.MAX_VALUE, now);
                }
                if (b != null && bReads) {
                    b.consumed(Integer.MAX_VALUE, now);
                }
                if (forgeAcksToA && lastSeqFromA >= 0 && order % 20 == 0) {
                    a.receive(new UtpPacket(UtpPacket.Type.STATE, a.receiveId(), now, 0, 1 << 20, 0,
                            (lastSeqFromA + 300) & 0xffff, null, null), now);
                }
                each.run();
            }
        }
    }

    private static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code data} into {@code c} as it takes it. */
    static final class Writer implements Runnable {
        final UtpConnection[] c;
        final byte[] data;
        final Link link;
        int written;

        Writer(Link link, UtpConnection[] c, byte[] data) {
            this.link = link;
            this.c = c;
            this.data = data;
        }

        @Override
        public void run() {
            if (c[0] != null && written < data.length && c[0].writable()) {
                written += c[0].write(data, written, data.length - written, link.now);
            }
        }
    }

    @Test
    void bothDirectionsCarryTheirBytesOnACleanLink() throws Exception {
        Link link = new Link();
        link.a = UtpConnection.connect(link.end(true), new Random(1), 0);
        byte[] ab = data(3_000_000, 1);
        byte[] ba = data(2_000_000, 2);
        UtpConnection[] aRef = {link.a};
        UtpConnection[] bRef = {null};
        Writer wa = new Writer(link, aRef, ab);
        Writer wb = new Writer(link, bRef, ba);
        link.run(120_000 * MS, () -> link.atB.size() == ab.length && link.atA.size() == ba.length, () -> {
            bRef[0] = link.b;
            wa.run();
            wb.run();
        });
        assertThat(link.events).contains("A connected", "B connected");
        assertThat(link.atB.toByteArray()).isEqualTo(ab);
        assertThat(link.atA.toByteArray()).isEqualTo(ba);
        link.a.close(link.now);
        link.run(link.now + 10_000 * MS, () -> link.a.state() == UtpConnection.State.CLOSED
                && link.b.state() == UtpConnection.State.CLOSED, () -> { });
        assertThat(link.events).contains("B closed: closed by the peer", "A closed: closed");
    }

    /** Packets that arrive together (a window sent at once, no bottleneck) are acknowledged once, not one by one. */
    @Test
    void aBatchOfPacketsIsAcknowledgedOnce() throws Exception {
        Link link = new Link();
        link.a = UtpConnection.connect(link.end(true), new Random(9), 0);
        byte[] ab = data(2_000_000, 9);
        Writer wa = new Writer(link, new UtpConnection[] {link.a}, ab);
        link.run(60_000 * MS, () -> link.atB.size() == ab.length, wa);
        assertThat(link.atB.toByteArray()).isEqualTo(ab);
        assertThat(link.acksFromB).as("acks for %d data packets", link.dataFromA).isLessThan(link.dataFromA / 4);
    }

    @Test
    void lossAndReorderingCostTimeNotBytes() throws Exception {
        Link link = new Link();
        link.loss = 0.05;
        link.jitter = 8 * MS;
        link.a = UtpConnection.connect(link.end(true), new Random(3), 0);
        byte[] ab = data(1_500_000, 3);
        Writer wa = new Writer(link, new UtpConnection[] {link.a}, ab);
        link.run(600_000 * MS, () -> link.atB.size() == ab.length, wa);
        assertThat(link.atB.toByteArray()).isEqualTo(ab);
        assertThat(link.a.state()).isEqualTo(UtpConnection.State.CONNECTED);
    }

    /**
     * A fast link with a short queue (loopback UDP into a socket buffer the reader empties late):
     * bursts lose runs of packets, and retransmissions can be lost too. Each loss must cost about
     * a round trip or one timeout, never a timeout that doubled once per lost packet: that stalled
     * single-seed downloads on loopback for 20-60 s.
     */
    @Test
    void burstLossesAtAShortQueueCostNoLongStall() throws Exception {
        Link link = new Link();
        link.rate = 50_000_000;
        link.delay = 50;
        link.queueLimit = 8 * 1024; // seven packets
        link.loss = 0.01; // and now and then one more: a resend lost too
        link.a = UtpConnection.connect(link.end(true), new Random(8), 0);
        byte[] ab = data(16_000_000, 8);
        Writer wa = new Writer(link, new UtpConnection[] {link.a}, ab);
        link.run(600_000 * MS, () -> link.atB.size() == ab.length, wa);
        assertThat(link.atB.toByteArray()).isEqualTo(ab);
        assertThat(link.drops).as("datagrams the short queue dropped").isGreaterThan(100);
        assertThat(link.longestDeliveryGap).as("longest time without a delivery, µs").isLessThan(2_000 * MS);
        assertThat(link.now).as("time for 16 MB through 50 MB/s, µs").isLessThan(5_000 * MS);
    }

    @Test
    void ledbatFillsABottleneckWhileKeepingItsQueueNearTheTarget() throws Exception {
        Link link = new Link();
        link.rate = 1_000_000; // 1 MB/s, a queue that grows without bound if the sender does not yield
        link.delay = 20 * MS;
        link.a = UtpConnection.connect(link.end(true), new Random(4), 0);
        byte[] ab = data(20_000_000, 4);
        Writer wa = new Writer(link, new UtpConnection[] {link.a}, ab);
        long[] warm = {-1, 0};
        link.run(15_000 * MS, () -> false, () -> {
            wa.run();
            if (warm[0] < 0 && link.now > 5_000 * MS) {
                warm[0] = link.now;
                warm[1] = link.atB.size();
                link.maxQueueDelay = 0; // the start-up overshoot is not what is measured
            }
        });
        double rate = (link.atB.size() - warm[1]) / ((link.now - warm[0]) / 1e6);
        assertThat(rate).as("bytes per second through a 1 MB/s link, after warm-up").isGreaterThan(700_000);
        assertThat(link.maxQueueDelay).as("the queue it builds, µs").isLessThan(2 * UtpConnection.TARGET_DELAY_MICROS);
        assertThat(link.a.queuingDelay()).isLessThan(2 * UtpConnection.TARGET_DELAY_MICROS);
    }

    @Test
    void aResetEndsTheConnectionAndAnUnansweredSynGivesUp() throws Exception {
        Link link = new Link();
        link.a = UtpConnection.connect(link.end(true), new Random(5), 0);
        link.run(5_000 * MS, () -> link.b != null && link.b.state() == UtpConnection.State.CONNECTED
                && link.a.state() == UtpConnection.State.CONNECTED, () -> { });
        link.b.reset(link.now, "test");
        link.run(link.now + 5_000 * MS, () -> link.a.state() == UtpConnection.State.CLOSED, () -> { });
        assertThat(link.events).contains("A closed: reset by the peer");

        Link nobody = new Link();
        nobody.loss = 1.0; // every packet lost
        nobody.a = UtpConnection.connect(nobody.end(true), new Random(6), 0);
        nobody.run(600_000 * MS, () -> nobody.a.state() == UtpConnection.State.CLOSED, () -> { });
        assertThat(nobody.events).containsExactly("A closed: no answer to the uTP SYN");
    }

    @Test
    void aReaderThatPausesClosesTheWindowAndNothingPilesUp() throws Exception {
        Link link = new Link();
        link.bReads = false;
        link.a = UtpConnection.connect(link.end(true), new Random(7), 0);
        byte[] ab = data(4_000_000, 7);
        Writer wa = new Writer(link, new UtpConnection[] {link.a}, ab);
        link.run(30_000 * MS, () -> false, wa);
        assertThat(link.atB.size()).as("what B holds unread while paused")
                .isBetween(UtpConnection.RECEIVE_WINDOW - UtpPacket.MSS, UtpConnection.RECEIVE_WINDOW + 2 * UtpPacket.MSS);
        link.bReads = true;
        link.b.consumed(Integer.MAX_VALUE, link.now); // the window opens: the peer is told
        link.run(link.now + 120_000 * MS, () -> link.atB.size() == ab.length, wa);
        assertThat(link.atB.toByteArray()).isEqualTo(ab);
    }

    @Test
    void acksForDataNeverSentAreIgnored() throws Exception {
        Link link = new Link();
        link.forgeAcksToA = true;
        link.a = UtpConnection.connect(link.end(true), new Random(8), 0);
        byte[] ab = data(2_000_000, 8);
        Writer wa = new Writer(link, new UtpConnection[] {link.a}, ab);
        link.run(120_000 * MS, () -> link.atB.size() == ab.length, wa);
        assertThat(link.a.forgedAcks()).as("forged acks seen").isPositive();
        assertThat(link.atB.toByteArray()).as("every byte arrived: nothing in flight was taken as acknowledged")
                .isEqualTo(ab);
    }

    @Test
    void sequenceNumbersWrap() {
        assertThat(UtpConnection.after(1, 0xffff)).isTrue();
        assertThat(UtpConnection.after(0xffff, 1)).isFalse();
        assertThat(UtpConnection.after(5, 5)).isFalse();
    }

    /**
     * A peer that sends far ahead of a gap, then up to the gap, to a reader that never reads: what
     * the connection holds and has handed over unread stays within twice the receive window, and
     * nothing more is taken in either half.
     */
    @Test
    void aPeerFillingTheReorderHalfThenTheInOrderHalfIsHeldToTwiceTheWindow() throws Exception {
        long[] delivered = {0};
        int[] ours = {0}; // the sequence number of the connection's answer, which the attacker acknowledges
        UtpConnection.Peer peer = new UtpConnection.Peer() {
            @Override
            public void send(UtpPacket p) {
                ours[0] = p.seq();
            }

            @Override
            public void deliver(byte[] d) {
                delivered[0] += d.length;
            }

            @Override
            public void connected() {
            }

            @Override
            public void closed(String reason) {
            }
        };
        int id = 100;
        int seq = 5000;
        UtpConnection c = UtpConnection.accept(peer, new UtpPacket(UtpPacket.Type.SYN, id, 0, 0, 1 << 20, seq, 0, null, null),
                new Random(9), 0);
        int ack = (ours[0] - 1) & 0xffff; // a STATE names the next sequence number; a peer acknowledges the one before
        byte[] payload = new byte[UtpPacket.MAX_PAYLOAD];
        int gap = 200; // packets seq+1 .. seq+gap-1 withheld at first; the attacker sends seq+gap onwards
        for (int k = gap; k < UtpConnection.REORDER_LIMIT; k++) {
            c.receive(new UtpPacket(UtpPacket.Type.DATA, id, 0, 0, 1 << 20, (seq + k) & 0xffff, ack, null, payload), k);
        }
        assertThat(delivered[0]).isZero();
        assertThat(c.heldBytes()).as("the reorder half").isBetween(UtpConnection.RECEIVE_WINDOW - UtpPacket.MAX_PAYLOAD,
                UtpConnection.RECEIVE_WINDOW);
        int heldAtFirst = c.heldBytes();
        for (int k = 1; k < gap; k++) { // now up to the gap, in order; the reader reads nothing
            c.receive(new UtpPacket(UtpPacket.Type.DATA, id, 0, 0, 1 << 20, (seq + k) & 0xffff, ack, null, payload), 10_000 + k);
        }
        assertThat(delivered[0] + c.heldBytes()).as("unread and held together")
                .isLessThanOrEqualTo(2L * UtpConnection.RECEIVE_WINDOW + UtpPacket.MAX_PAYLOAD);
        assertThat(delivered[0]).as("the in-order half filled").isGreaterThan(UtpConnection.RECEIVE_WINDOW - UtpPacket.MAX_PAYLOAD);
        long before = delivered[0] + c.heldBytes();
        for (int k = 1; k < UtpConnection.REORDER_LIMIT; k++) { // everything again: nothing more is taken
            c.receive(new UtpPacket(UtpPacket.Type.DATA, id, 0, 0, 1 << 20, (seq + k) & 0xffff, ack, null, payload), 20_000 + k);
        }
        assertThat(delivered[0] + c.heldBytes()).isEqualTo(before);
        assertThat(c.heldBytes()).isLessThanOrEqualTo(heldAtFirst);
        assertThat(c.state()).isEqualTo(UtpConnection.State.CONNECTED);
    }
}
