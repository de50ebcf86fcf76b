package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.engine.time.ManualLoop;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.PeerMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The torrent's peers as a set, in virtual time: whom it dials, and what a peer's news sets off. */
class PeerSetTest {
    private static final long SECOND = 1_000_000_000L;

    /** The torrent side of the set: four pieces, none had; dials are recorded, never completed. */
    static final class Torrent implements PeerSet.Host {
        final ManualLoop loop = new ManualLoop();
        final Settings settings;
        final PiecePicker<BlockSource> picker = new PiecePicker<>(4, 32768, 4 * 32768L, new Random(1));
        final List<InetSocketAddress> dialled = new ArrayList<>();

        Torrent(int maxPeers) {
            settings = Settings.builder().maxConnectionsPerTorrent(maxPeers).build();
        }

        @Override
        public Loop owner() {
            return loop;
        }

        @Override
        public long now() {
            return loop.nanoTime();
        }

        @Override
        public Settings settings() {
            return settings;
        }

        @Override
        public InfoHash infoHash() {
            return InfoHash.v1Of(new byte[] {1});
        }

        @Override
        public String name() {
            return "t";
        }

        @Override
        public boolean active() {
            return true;
        }

        @Override
        public boolean seeding() {
            return false;
        }

        @Override
        public boolean hasMetadata() {
            return true;
        }

        @Override
        public PiecePicker<BlockSource> picker() {
            return picker;
        }

        @Override
        public byte[] ourPeerId() {
            return "-JT0010-ourselves000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public int dhtPort() {
            return -1;
        }

        @Override
        public ExtendedHandshake ourExtendedHandshake(PeerConnection p) {
            return new ExtendedHandshake(Map.of(), Optional.empty(), 6881, 250, Optional.empty(), 0, false);
        }

        @Override
        public void post(SessionEvent e) {
        }

        @Override
        public boolean mayDial() {
            return true;
        }

        @Override
        public void dial(InetSocketAddress address, int hints, IntConsumer connected, Runnable failed) {
            dialled.add(address);
        }

        @Override
        public void peerLeft(PeerConnection p) {
        }
    }

    private static List<InetSocketAddress> addresses(int n) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new InetSocketAddress("192.0.2." + (i + 1), 6881));
        }
        return out;
    }

    private static PeerConnection incoming(PeerConnectionTest.Transport transport) {
        return new PeerConnection(new PeerConnectionTest.Host(4), transport, PeerConnectionTest.handshake(true), false, 0);
    }

    @Test
    void whilePeersDialUsHalfTheSlotsWaitForThemThenTheRestAreDialled() {
        Torrent t = new Torrent(10);
        PeerSet set = new PeerSet(t, new Random(1));
        set.addCandidates(addresses(30), false);
        set.connect();
        // a crowd arriving together: had every peer dialled all it was given, the first to fill up
        // would refuse the rest, and the unlucky would wait seconds for their redials
        assertThat(t.dialled).as("dialled at once").hasSize(5);
        t.loop.advance(3 * SECOND);
        set.joined(incoming(new PeerConnectionTest.Transport())); // someone dialled us
        t.loop.advance(4 * SECOND);
        set.connect();
        assertThat(t.dialled).as("peers still dial in: the other half waits").hasSize(5);
        t.loop.advance(2 * SECOND); // nobody dialled in for five seconds (behind a NAT, say): fill up
        set.connect();
        assertThat(t.dialled).as("the limit less the peer that came and the dials under way").hasSize(9);
    }

    @Test
    void aTorrentStartedAgainLongAfterWaitsForThoseWhoDialInAsANewOneDoes() {
        Torrent t = new Torrent(10);
        PeerSet set = new PeerSet(t, new Random(1));
        set.addCandidates(addresses(30), false);
        set.connect();
        assertThat(t.dialled).hasSize(5);
        set.closeAll("torrent stopped");
        t.loop.advance(3600 * SECOND);
        set.connect(); // started again an hour later (the first five dials still count as under way here)
        assertThat(t.dialled).as("no more than half the limit under way").hasSize(5);
        t.loop.advance(6 * SECOND);
        set.connect();
        assertThat(t.dialled).hasSize(10);
    }

    @Test
    void aHaveFromAPeerThatUnchokesUsBringsRequestsAtOnceNotAtTheNextTick() {
        Torrent t = new Torrent(10);
        PeerSet set = new PeerSet(t, new Random(1));
        PeerConnectionTest.Transport transport = new PeerConnectionTest.Transport();
        PeerConnection p = incoming(transport);
        set.joined(p);
        p.handle(new PeerMessage.Have(0));
        set.hasPiece(p, 0); // (the connection's host in this test is its own: the set hears of the have here)
        p.handle(PeerMessage.Unchoke.INSTANCE);
        transport.take();
        // it had one piece: both blocks asked; the queue has room, but nothing more to ask of it
        assertThat(p.requests.size()).isEqualTo(2);
        p.has.set(1);
        set.hasPiece(p, 1);
        assertThat(transport.take()).containsExactly("request 1/0", "request 1/1");
    }

    @Test
    void aPeerThatDialsAgainFromItsHostReplacesItsOldConnectionAndNoOtherHostCanPushItOut() {
        Torrent t = new Torrent(10);
        PeerSet set = new PeerSet(t, new Random(1));
        PeerConnectionTest.Transport first = new PeerConnectionTest.Transport();
        set.joined(incoming(first)); // peer id all zeros, from 192.0.2.7:6881
        byte[] id = new byte[20];
        assertThat(set.admit(id, new InetSocketAddress("198.51.100.9", 6881), false))
                .as("the same id from another host").isEqualTo("already connected to this peer");
        assertThat(first.closed).isFalse();
        // the peer's connection died on its side; it dials again (uTP: from the same address and port)
        assertThat(set.admit(id, new InetSocketAddress("192.0.2.7", 6881), false)).isNull();
        assertThat(first.closed).as("the connection it gave up is closed").isTrue();
    }
}
