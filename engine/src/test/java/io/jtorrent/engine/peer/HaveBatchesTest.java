package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.wire.PeerMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our HAVEs go out in batches: together, ahead of our next message, within the delay, at once when done. */
class HaveBatchesTest {
    private static final long MILLI = 1_000_000L;

    /** Records what the connection writes, each batch of HAVEs as one entry, and each flush. */
    static final class Recorder extends PeerConnectionTest.Transport {
        final List<String> events = new ArrayList<>();

        @Override
        public void writeHaves(int[] pieces, int count) {
            events.add("haves " + Arrays.toString(Arrays.copyOf(pieces, count)));
        }

        @Override
        public void send(PeerMessage m) {
            write(m);
            flush();
        }

        @Override
        public void write(PeerMessage m) {
            events.add(m.getClass().getSimpleName());
        }

        @Override
        public void flush() {
            events.add("flush");
        }

        @Override
        List<String> take() {
            List<String> out = new ArrayList<>(events);
            events.clear();
            return out;
        }
    }

    private final PeerSetTest.Torrent torrent = new PeerSetTest.Torrent(10);
    private final PeerSet set = new PeerSet(torrent, new Random(1));

    private Recorder joined() {
        Recorder r = new Recorder();
        set.joined(new PeerConnection(new PeerConnectionTest.Host(4), r, PeerConnectionTest.handshake(true), false, 0));
        r.take(); // the greeting
        return r;
    }

    private void verified(int piece) {
        torrent.picker.pieceVerified(piece);
        set.pieceVerified(piece, torrent.picker);
    }

    @Test
    void piecesVerifiedCloseTogetherGoOutInOneBatchWithinTheDelayNotOneMessageEach() {
        Recorder peer = joined();
        verified(2);
        verified(0);
        torrent.loop.advance(HaveBatches.DELAY_NANOS - MILLI);
        verified(1);
        assertThat(peer.take()).as("nothing sent before the delay").isEmpty();
        torrent.loop.advance(MILLI);
        assertThat(peer.take()).containsExactly("haves [2, 0, 1]", "flush");
        torrent.loop.advance(10 * HaveBatches.DELAY_NANOS);
        assertThat(peer.take()).as("nothing twice").isEmpty();
    }

    @Test
    void aPeerWeUnchokeHearsAtOnceTheOthersWithinTheDelay() {
        Recorder choked = joined();
        Recorder unchoked = joined();
        set.peers().stream().filter(p -> p.transport == unchoked).findFirst().orElseThrow().amChoking = false;
        verified(2);
        assertThat(unchoked.take()).as("it may ask for the piece now").containsExactly("haves [2]", "flush");
        assertThat(choked.take()).isEmpty();
        torrent.loop.advance(HaveBatches.DELAY_NANOS);
        assertThat(choked.take()).containsExactly("haves [2]", "flush");
    }

    @Test
    void queuedHavesGoAheadOfTheNextMessageToThatPeer() {
        Recorder peer = joined();
        Recorder other = joined();
        verified(3);
        set.peers().stream().filter(p -> p.transport == peer).findFirst().orElseThrow()
                .send(PeerMessage.Interested.INSTANCE);
        assertThat(peer.take()).containsExactly("haves [3]", "Interested", "flush");
        torrent.loop.advance(HaveBatches.DELAY_NANOS);
        assertThat(peer.take()).as("already told").isEmpty();
        assertThat(other.take()).as("the other peer at the end of the delay").containsExactly("haves [3]", "flush");
    }

    @Test
    void theLastPieceIsToldAtOnceAndAPeerThatHasAPieceIsNotToldOfIt() {
        Recorder peer = joined();
        PeerConnection p = set.peers().iterator().next();
        p.has.set(1); // it has piece 1: no HAVE of it
        verified(0);
        verified(1);
        verified(2);
        assertThat(peer.take()).isEmpty();
        verified(3); // complete: no waiting
        assertThat(peer.take()).containsExactly("haves [0, 2, 3]", "flush");
    }

    @Test
    void aQueueNeverHoldsMoreThanItsBoundAPeerThatLeftIsToldNothing() {
        PeerConnectionTest.Host host = new PeerConnectionTest.Host(4);
        Recorder r = new Recorder();
        PeerConnection p = new PeerConnection(host, r, PeerConnectionTest.handshake(true), false, 0);
        for (int i = 0; i < 3 * HaveBatches.MAX_QUEUED; i++) {
            if (p.haves.add(i)) {
                p.flushHaves();
            }
            assertThat(p.haves.size()).isLessThan(HaveBatches.MAX_QUEUED);
        }
        assertThat(r.take()).hasSize(6); // three full batches, each flushed
        p.haves.add(1);
        p.close("test");
        p.flushHaves();
        assertThat(r.events).as("closed: nothing more").isEmpty();
    }

    @Test
    void aRecheckTellsEveryPieceInOneBatch() {
        Recorder peer = joined();
        BitSet have = new BitSet();
        have.set(0, 3);
        set.announceHave(have);
        assertThat(peer.take()).startsWith("haves [0, 1, 2]", "flush");
    }
}
