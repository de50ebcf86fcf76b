package io.jtorrent.wire.utp;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * One uTP connection (BEP 29) as a state machine: packets and time in (microseconds, any clock
 * that only moves forward), packets to send and bytes for the application out, through its
 * {@link Peer}. No socket, no timer: the owner calls {@link #tick} by {@link #nextTimeoutMicros}.
 *
 * <p>Sequence and ack numbers are packets, 16 bits, wrapping. Acks are cumulative with a
 * selective-ack bitmask for what came out of order; a packet sent once is resent after three
 * duplicate acks or when three packets past it are acknowledged (every hole in the bitmask, not
 * only the first), the window halved once per round trip of losses. One retransmission timer runs
 * for the oldest packet, as TCP's (RFC 6298): restarted when an ack frees data, and on expiry it
 * doubles the timeout once (BEP 29's RTT, RTT variance and RTO, at least {@value #MIN_RTO_MICROS}
 * µs), drops the window to two packets and marks everything in flight for resending, which the
 * window then paces (a burst of resends into a full queue would only be lost again). The send
 * window is LEDBAT's, with LEDBAT++'s changes so that it really yields to TCP: the one-way delay the
 * peer reports, less the lowest seen in the last two minutes, is the queuing delay; the window
 * grows additively while it is under {@value #TARGET_DELAY_MICROS} µs (LEDBAT++'s 60 ms, not BEP
 * 29's 100) and shrinks multiplicatively above it (at most half a window per round trip); every so
 * often it slows down to two packets for two round trips (nine times as long apart as the slowdown
 * and the climb back took), so that a competing flow can grow and the base delay is measured
 * afresh; it halves on a loss and falls to two packets on a timeout (bench/ledbat.sh).
 * Everything remote input can grow is bounded: the reorder buffer by the receive window, the send
 * queue by {@value #SEND_BUFFER} bytes. What a connection delivered and its reader has not taken,
 * and what it holds past a gap, together stay under twice the receive window (and a packet): a
 * peer may fill the reorder half, then the in-order half up to the gap, and no more.
 */
public final class UtpConnection {
    public static final long TARGET_DELAY_MICROS = 60_000;
    public static final long MIN_RTO_MICROS = 500_000;
    static final long MAX_RTO_MICROS = 60_000_000;
    public static final int RECEIVE_WINDOW = 1 << 20;
    public static final int SEND_BUFFER = 1 << 20;
    static final int MIN_CWND = 2 * UtpPacket.MSS;
    static final int MAX_CWND = 4 << 20;
    /** Times a packet is sent before the connection is given up. */
    static final int MAX_TRANSMISSIONS = 8;
    /** Packets past the next expected one that may be held for reordering. */
    static final int REORDER_LIMIT = 2048;
    private static final int DUP_ACKS = 3;
    private static final long MINUTE_MICROS = 60_000_000;

    /** What the connection does outward. */
    public interface Peer {
        void send(UtpPacket packet);

        /** Payload, in order. */
        void deliver(byte[] data);

        void connected();

        /** The connection is over (closed, reset or timed out); nothing more will be sent or delivered. */
        void closed(String reason);
    }

    public enum State { SYN_SENT, CONNECTED, CLOSED }

    private static final class Sent {
        final UtpPacket packet;
        long sentAt;
        int transmissions;
        /** Taken as lost, to be sent again: not counted in {@link #bytesInFlight} meanwhile. */
        boolean resend;
        /** The sequence number of the next new packet when this one was last sent: those from it on left after it. */
        int sentBefore;

        Sent(UtpPacket packet) {
            this.packet = packet;
        }

        int size() {
            return packet.payload().length;
        }
    }

    private final Peer peer;
    private long forgedAcks;
    private final int recvId;
    private final int sendId;
    private State state;
    /** The sequence number of the next packet we send. */
    private int seqNr;
    /** The last sequence number received in order. */
    private int ackNr;
    private final LinkedHashMap<Integer, Sent> outstanding = new LinkedHashMap<>();
    private long bytesInFlight;
    /** Packets in {@link #outstanding} marked to be sent again. */
    private int resends;
    private final ArrayDeque<byte[]> sendQueue = new ArrayDeque<>();
    private int queuedBytes;
    private final Map<Integer, byte[]> reorder = new HashMap<>();
    private int reorderBytes;
    private int eofSeq = -1;
    private boolean closing;
    private boolean finSent;
    private double cwnd = MIN_CWND;
    private boolean slowStart = true;
    private long peerWindow = RECEIVE_WINDOW;
    private long rtt = -1;
    private long rttVar;
    private long rto = 1_000_000;
    /** The reply timestamp difference: when the peer's last packet came, less the time it said it sent it. */
    private long replyDiff;
    /** Lowest delays reported, per minute (the current one and the one before). */
    private long baseThisMinute = Long.MAX_VALUE;
    private long baseLastMinute = Long.MAX_VALUE;
    private long minuteStarted;
    private long lastQueuingDelay;
    private int lastAck = -1;
    private int dupAcks;
    /** When the retransmission timer started: the oldest packet's timeout is this plus {@link #rto}. */
    private long timerStart;
    /** A loss halved the window; more losses until the ack passes {@link #recoverySeq} do not halve it again. */
    private boolean recovering;
    private int recoverySeq;
    /** LEDBAT++'s periodic slowdown: the window held at its minimum until then, so others can grow and the base is re-measured. */
    private long slowdownUntil = -1;
    private long nextSlowdown = -1;
    /** After a slowdown, the window it had, to grow back to as in slow start. */
    private double rampTo;
    /** Bytes delivered that the application has not taken yet: they close the window we advertise. */
    private int unread;
    private long lastAdvertised = RECEIVE_WINDOW;
    /** Data came that no packet of ours has acknowledged yet. */
    private boolean ackOwed;

    private UtpConnection(Peer peer, int recvId, int sendId, State state) {
        this.peer = peer;
        this.recvId = recvId & 0xffff;
        this.sendId = sendId & 0xffff;
        this.state = state;
    }

    /** Dials: sends a SYN naming the id the peer will answer under. */
    public static UtpConnection connect(Peer peer, Random random, long now) {
        return connect(peer, random.nextInt(0x10000), random, now);
    }

    /** Dials with the receive id chosen by the caller (who must route packets carrying it here first). */
    public static UtpConnection connect(Peer peer, int recv, Random random, long now) {
        UtpConnection c = new UtpConnection(peer, recv, recv + 1, State.SYN_SENT);
        c.seqNr = 1 + random.nextInt(0xfffe);
        c.minuteStarted = now;
        Sent syn = new Sent(new UtpPacket(UtpPacket.Type.SYN, c.recvId, 0, 0, RECEIVE_WINDOW, c.seqNr, 0, null, null));
        c.seqNr = (c.seqNr + 1) & 0xffff;
        c.outstanding.put(syn.packet.seq(), syn);
        c.timerStart = now;
        c.transmit(syn, now);
        return c;
    }

    /** Answers a SYN a peer sent. */
    public static UtpConnection accept(Peer peer, UtpPacket syn, Random random, long now) {
        UtpConnection c = new UtpConnection(peer, syn.connectionId() + 1, syn.connectionId(), State.CONNECTED);
        c.ackNr = syn.seq();
        c.seqNr = random.nextInt(0x10000);
        c.minuteStarted = now;
        c.replyDiff = (now - syn.timestampMicros()) & 0xffffffffL;
        c.sendAck(now);
        peer.connected();
        return c;
    }

    /** The connection id packets to us carry (what a socket demultiplexes by, with the address). */
    /** Bytes held past a gap, waiting for it to be filled (for tests of the bound). */
    int heldBytes() {
        return reorderBytes;
    }

    /** Packets ignored because they acknowledged data never sent. */
    public long forgedAcks() {
        return forgedAcks;
    }

    public int receiveId() {
        return recvId;
    }

    /** The connection id packets from us carry (the peer's receive id). */
    public int sendId() {
        return sendId;
    }

    public State state() {
        return state;
    }

    /** The congestion window, bytes. */
    public long window() {
        return (long) cwnd;
    }

    /** The sending side's state in one line, for trace logs: window, flight, resends, queue, timers. */
    public String describe() {
        return "window " + (long) cwnd + " B" + (slowStart ? " (slow start)" : "") + ", in flight " + bytesInFlight + " B in "
                + outstanding.size() + " packets (" + resends + " to resend), queued " + queuedBytes + " B, peer window "
                + peerWindow + " B, rtt " + rtt + " µs, rto " + rto + " µs, queuing delay " + lastQueuingDelay + " µs";
    }

    /** The queuing delay last measured (reported delay less the base), µs. */
    public long queuingDelay() {
        return lastQueuingDelay;
    }

    /**
     * The application took {@code bytes} of what was delivered: the window we advertise opens again
     * (and the peer is told at once if it had closed).
     */
    public void consumed(int bytes, long now) {
        unread = Math.max(0, unread - bytes);
        if (state == State.CONNECTED && lastAdvertised < UtpPacket.MSS && receiveWindow() >= UtpPacket.MSS) {
            sendAck(now);
        }
    }

    /** Whether {@link #write} would take more now. */
    public boolean writable() {
        return state != State.CLOSED && !closing && queuedBytes < SEND_BUFFER;
    }

    /** Queues application bytes; returns how many were taken (the rest when {@link #writable} again). */
    public int write(byte[] data, int off, int len, long now) {
        if (!writable()) {
            return 0;
        }
        int n = Math.min(len, SEND_BUFFER - queuedBytes);
        for (int i = 0; i < n; i += UtpPacket.MSS) {
            int chunk = Math.min(UtpPacket.MSS, n - i);
            byte[] b = new byte[chunk];
            System.arraycopy(data, off + i, b, 0, chunk);
            sendQueue.add(b);
        }
        queuedBytes += n;
        flush(now);
        return n;
    }

    /** Sends a FIN once everything queued is sent; the connection closes when it is acknowledged. */
    public void close(long now) {
        if (state != State.CLOSED && !closing) {
            closing = true;
            flush(now);
        }
    }

    /** Ends the connection at once, telling the peer (RESET). */
    public void reset(long now, String reason) {
        if (state != State.CLOSED) {
            peer.send(new UtpPacket(UtpPacket.Type.RESET, sendId, now, replyDiff, 0, seqNr, ackNr, null, null));
            end(reason);
        }
    }

    public void receive(UtpPacket p, long now) {
        if (state == State.CLOSED) {
            return;
        }
        if (p.type() == UtpPacket.Type.RESET) {
            end("reset by the peer");
            return;
        }
        if (p.type() != UtpPacket.Type.SYN && after(p.ack(), (seqNr - 1) & 0xffff)) {
            // it acknowledges what we never sent: a forgery (or a broken peer); believed, it would
            // drop what is really in flight. Ignored, as libtorrent does.
            forgedAcks++;
            return;
        }
        replyDiff = (now - p.timestampMicros()) & 0xffffffffL;
        if (peerWindow < UtpPacket.MSS && p.windowSize() >= UtpPacket.MSS && !outstanding.isEmpty()) {
            markLost(outstanding.values().iterator().next()); // the window opened: what it refused goes again now
        }
        peerWindow = p.windowSize();
        if (p.type() == UtpPacket.Type.SYN) {
            if (state == State.CONNECTED && p.seq() == ackNr) {
                sendAck(now); // our answer to the SYN was lost
            }
            return;
        }
        if (state == State.SYN_SENT) {
            if (p.type() != UtpPacket.Type.STATE) {
                return;
            }
            ackNr = (p.seq() - 1) & 0xffff;
            state = State.CONNECTED;
            peer.connected();
        }
        acknowledged(p, now);
        if (state == State.CLOSED) {
            return;
        }
        if (p.type() == UtpPacket.Type.DATA || p.type() == UtpPacket.Type.FIN) {
            received(p, now);
        }
        flush(now);
    }

    /** The peer's ack and selective ack: what left the network, the round trip, the window. */
    private void acknowledged(UtpPacket p, long now) {
        long acked = 0;
        byte[] sack = p.selectiveAck();
        for (Iterator<Sent> it = outstanding.values().iterator(); it.hasNext(); ) {
            Sent s = it.next();
            int seq = s.packet.seq();
            boolean sacked = sack != null && sackBit(sack, (seq - p.ack() - 2) & 0xffff);
            if (!after(seq, p.ack()) || sacked) {
                it.remove();
                acked += s.size();
                if (!s.resend) {
                    bytesInFlight -= s.size();
                } else {
                    resends--;
                }
                if (s.transmissions == 1 && !s.resend && (seq == p.ack() || sacked)) {
                    // a round trip: sent once, and this ack is the first news of it. (Packets the
                    // cumulative ack passes below its number waited at the peer for a gap to fill:
                    // their times are that wait, and would slow the window down for seconds.)
                    rttSample(now - s.sentAt);
                }
                if (s.packet.type() == UtpPacket.Type.FIN) {
                    end("closed");
                    return;
                }
            }
        }
        if (recovering && !after(recoverySeq, p.ack())) {
            recovering = false; // everything sent when the loss was seen is acknowledged
        }
        if (acked > 0) {
            dupAcks = 0;
            timerStart = now; // data left the network: the oldest packet's timeout counts from now
            congestion(acked, p.timestampDiffMicros(), now);
        } else if (p.type() == UtpPacket.Type.STATE && p.ack() == lastAck && !outstanding.isEmpty()) {
            if (++dupAcks == DUP_ACKS) {
                Sent first = outstanding.values().iterator().next();
                if (first.transmissions == 1) {
                    lost(first);
                }
            }
        }
        if (sack != null) {
            sackLosses(p.ack(), sack);
        }
        lastAck = p.ack();
    }

    /**
     * Every packet with at least three packets sent after it acknowledged is taken as lost: a
     * burst into a full queue loses runs of packets, and each hole is resent now, not one per
     * round trip; a resent packet is lost again when three packets that left after its resend
     * have come (into the same full queue a resend is lost as easily as the packet was).
     */
    private void sackLosses(int ack, byte[] sack) {
        int bits = sack.length * 8;
        int[] after = new int[bits + 1]; // after[i]: acknowledged packets past bit i - 1
        for (int i = bits - 1; i >= 0; i--) {
            after[i] = after[i + 1] + (sackBit(sack, i) ? 1 : 0);
        }
        for (Sent s : outstanding.values()) {
            int bit = (s.packet.seq() - ack - 2) & 0xffff; // 0xffff for the first missing packet: all bits are past it
            int past = bit == 0xffff ? after[0] : bit < bits ? after[bit + 1] : 0;
            if (past < DUP_ACKS) {
                break; // packets further on have fewer acknowledged past them
            }
            if (!s.resend && s.transmissions > 1) {
                int since = (s.sentBefore - ack - 2) & 0xffff; // the first bit of what left after the resend
                past = since < bits ? after[since] : 0;
            }
            if (!s.resend && past >= DUP_ACKS) {
                lost(s);
            }
        }
    }

    /** A packet taken as lost: resent as the window allows, the window halved once per round trip of losses. */
    private void lost(Sent s) {
        markLost(s);
        if (!recovering) {
            recovering = true;
            recoverySeq = (seqNr - 1) & 0xffff;
            cwnd = Math.max(MIN_CWND, cwnd / 2);
        }
        slowStart = false;
    }

    private void markLost(Sent s) {
        if (!s.resend) {
            s.resend = true;
            resends++;
            bytesInFlight -= s.size();
        }
    }

    private void rttSample(long sample) {
        if (rtt < 0) {
            rtt = sample;
            rttVar = sample / 2;
        } else {
            rttVar += (Math.abs(rtt - sample) - rttVar) / 4;
            rtt += (sample - rtt) / 8;
        }
        rto = Math.min(MAX_RTO_MICROS, Math.max(MIN_RTO_MICROS, rtt + 4 * rttVar));
    }

    /** LEDBAT: the window follows the queuing delay our packets meet. */
    private void congestion(long bytesAcked, long delay, long now) {
        if (now - minuteStarted >= MINUTE_MICROS) {
            baseLastMinute = baseThisMinute;
            baseThisMinute = Long.MAX_VALUE;
            minuteStarted = now;
        }
        if (delay > 0) {
            baseThisMinute = Math.min(baseThisMinute, delay);
            long base = Math.min(baseThisMinute, baseLastMinute);
            lastQueuingDelay = Math.max(0, delay - base);
        }
        double offTarget = (double) (TARGET_DELAY_MICROS - lastQueuingDelay) / TARGET_DELAY_MICROS;
        long roundTrip = Math.max(rtt, 10_000);
        if (!slowStart && nextSlowdown < 0) {
            nextSlowdown = now + 2 * roundTrip;
        }
        if (nextSlowdown >= 0 && now >= nextSlowdown && slowdownUntil < 0) {
            rampTo = cwnd;
            slowdownUntil = now + 2 * roundTrip;
        }
        if (slowdownUntil >= 0) {
            if (now < slowdownUntil) {
                cwnd = MIN_CWND;
                return;
            }
            // the next slowdown after nine times as long as this one took (LEDBAT++)
            nextSlowdown = now + 9 * 2 * roundTrip + 9 * (long) (roundTrip * Math.log(Math.max(2, rampTo / MIN_CWND)) / Math.log(2));
            slowdownUntil = -1;
        }
        if (rampTo > 0) {
            cwnd += bytesAcked;
            if (cwnd >= rampTo || offTarget < 0) {
                rampTo = 0;
            }
        } else if (slowStart && offTarget > 0.5) {
            cwnd += bytesAcked;
        } else {
            slowStart = false;
            // under the target: additive growth; over it, LEDBAT++'s multiplicative decrease (at most half a window
            // per round trip), which gives way to a loss-based flow instead of holding the queue against it
            cwnd += offTarget >= 0 ? 2.0 * offTarget * bytesAcked * UtpPacket.MSS / cwnd : Math.max(-0.5, offTarget) * bytesAcked;
        }
        cwnd = Math.max(MIN_CWND, Math.min(MAX_CWND, cwnd));
    }

    /** A DATA or FIN packet: delivered in order, or held (bounded) until the gap is filled. */
    private void received(UtpPacket p, long now) {
        int seq = p.seq();
        if (p.type() == UtpPacket.Type.FIN) {
            eofSeq = seq;
        }
        if (seq == ((ackNr + 1) & 0xffff) && unread + p.payload().length > RECEIVE_WINDOW) {
            // the application is not reading: refused, sent again later. (Only what is unread counts:
            // packets held past a gap must not shut out the very packet that fills it.)
        } else if (seq == ((ackNr + 1) & 0xffff)) {
            take(p);
            while (state != State.CLOSED) {
                int next = (ackNr + 1) & 0xffff;
                if (next == eofSeq) {
                    ackNr = next;
                    break;
                }
                byte[] held = reorder.remove(next);
                if (held == null) {
                    break;
                }
                reorderBytes -= held.length;
                ackNr = next;
                unread += held.length;
                peer.deliver(held);
            }
        } else if (after(seq, ackNr) && ((seq - ackNr) & 0xffff) <= REORDER_LIMIT && p.type() == UtpPacket.Type.DATA
                && !reorder.containsKey(seq) && reorderBytes + unread + p.payload().length <= RECEIVE_WINDOW) {
            reorder.put(seq, p.payload());
            reorderBytes += p.payload().length;
        }
        if (eofSeq >= 0 && ackNr == eofSeq) {
            sendAck(now); // the FIN's ack goes now: nothing follows it
            end("closed by the peer");
        } else {
            ackOwed = true; // one ack for the owner's whole batch of packets (flushAck), or on data we send
        }
    }

    /**
     * Sends the ack the packets since the last one are owed, if data going out has not carried it.
     * The owner calls this after each batch of packets it hands in: one ack per batch, not per
     * packet, halves the packets a download sends.
     */
    public void flushAck(long now) {
        if (ackOwed && state != State.CLOSED) {
            sendAck(now);
        }
    }

    private void take(UtpPacket p) {
        ackNr = p.seq();
        if (p.type() == UtpPacket.Type.DATA && p.payload().length > 0) {
            unread += p.payload().length;
            peer.deliver(p.payload());
        }
    }

    /** Sends what the windows allow: resends first, then new data, then the FIN. */
    private void flush(long now) {
        if (state != State.CONNECTED) {
            return;
        }
        long window = Math.min((long) cwnd, peerWindow);
        for (Iterator<Sent> it = resends > 0 ? outstanding.values().iterator() : null; it != null && resends > 0; ) {
            Sent s = it.next(); // (not walked at all when nothing waits to be resent: once per ack, it was)
            if (s.resend) {
                if (bytesInFlight > 0 && bytesInFlight + s.size() > window) {
                    return; // resends first; the rest when acks open the window
                }
                bytesInFlight += s.size();
                transmit(s, now);
            }
        }
        while (!sendQueue.isEmpty() && (bytesInFlight == 0 || bytesInFlight + sendQueue.peek().length <= window)) {
            byte[] chunk = sendQueue.poll();
            queuedBytes -= chunk.length;
            Sent s = new Sent(new UtpPacket(UtpPacket.Type.DATA, sendId, 0, 0, 0, seqNr, 0, null, chunk));
            seqNr = (seqNr + 1) & 0xffff;
            if (outstanding.isEmpty()) {
                timerStart = now;
            }
            outstanding.put(s.packet.seq(), s);
            bytesInFlight += s.size();
            transmit(s, now);
        }
        if (closing && sendQueue.isEmpty() && !finSent) {
            finSent = true;
            Sent fin = new Sent(new UtpPacket(UtpPacket.Type.FIN, sendId, 0, 0, 0, seqNr, 0, null, null));
            seqNr = (seqNr + 1) & 0xffff;
            if (outstanding.isEmpty()) {
                timerStart = now;
            }
            outstanding.put(fin.packet.seq(), fin);
            transmit(fin, now);
        }
    }

    /** Sends (or resends) a packet with the current ack, timestamps and window. */
    private void transmit(Sent s, long now) {
        UtpPacket p = s.packet;
        peer.send(new UtpPacket(p.type(), p.type() == UtpPacket.Type.SYN ? recvId : sendId, now, replyDiff, receiveWindow(),
                p.seq(), ackNr, null, p.payload()));
        if (reorder.isEmpty()) {
            ackOwed = false; // it carries our ack (not a selective one: that goes in a STATE)
        }
        s.sentAt = now;
        s.sentBefore = seqNr;
        s.transmissions++;
        if (s.resend) {
            s.resend = false;
            resends--;
        }
    }

    private void sendAck(long now) {
        ackOwed = false;
        peer.send(new UtpPacket(UtpPacket.Type.STATE, sendId, now, replyDiff, receiveWindow(), seqNr, ackNr, selectiveAck(),
                null));
    }

    private long receiveWindow() {
        lastAdvertised = Math.max(0, RECEIVE_WINDOW - reorderBytes - unread);
        return lastAdvertised;
    }

    /** The bitmask of held packets past the gap (bit i: ackNr + 2 + i), or null when nothing is held. */
    private byte[] selectiveAck() {
        if (reorder.isEmpty()) {
            return null;
        }
        byte[] mask = new byte[32];
        int highest = -1;
        for (int seq : reorder.keySet()) {
            int bit = (seq - ackNr - 2) & 0xffff;
            if (bit < mask.length * 8) {
                mask[bit / 8] |= (byte) (1 << (bit % 8));
                highest = Math.max(highest, bit);
            }
        }
        if (highest < 0) {
            return null;
        }
        int bytes = ((highest / 8) / 4 + 1) * 4;
        return java.util.Arrays.copyOf(mask, bytes);
    }

    /** When {@link #tick} must run next (the oldest packet's retransmission timeout), µs; MAX_VALUE if none. */
    public long nextTimeoutMicros() {
        if (outstanding.isEmpty() || state == State.CLOSED) {
            return Long.MAX_VALUE;
        }
        return timerStart + rto;
    }

    /**
     * The retransmission timeout: the timeout doubles (once per expiry, however many packets are
     * in flight), the window falls to two packets, and everything in flight is sent again as the
     * window lets it, oldest first.
     */
    public void tick(long now) {
        if (state == State.CLOSED || outstanding.isEmpty() || now < timerStart + rto) {
            return;
        }
        Sent first = outstanding.values().iterator().next();
        if (first.transmissions >= MAX_TRANSMISSIONS) {
            end(state == State.SYN_SENT ? "no answer to the uTP SYN" : "timed out");
            return;
        }
        outstanding.values().forEach(this::markLost);
        cwnd = MIN_CWND;
        slowStart = false;
        recovering = false;
        rto = Math.min(MAX_RTO_MICROS, rto * 2);
        timerStart = now;
        if (state == State.SYN_SENT) {
            transmit(first, now);
        } else {
            flush(now);
        }
    }

    private void end(String reason) {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            outstanding.clear();
            resends = 0;
            sendQueue.clear();
            reorder.clear();
            peer.closed(reason);
        }
    }

    /** Whether {@code a} comes after {@code b} in 16-bit sequence space. */
    static boolean after(int a, int b) {
        int d = (a - b) & 0xffff;
        return d != 0 && d < 0x8000;
    }

    private static boolean sackBit(byte[] mask, int bit) {
        return bit < mask.length * 8 && (mask[bit / 8] & (1 << (bit % 8))) != 0;
    }

}
