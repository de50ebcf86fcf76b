package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTransferTest {
    @TempDir
    Path tmp;

    @Test
    void oneSeedOneLeecherMultiFile() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Metainfo m = Swarm.makeData(seedDir, "data", 1, 32768, 100_000, 3_000_000, 0, 777_777);
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (Session seed = Session.start(Swarm.loopback().build());
             Session leech = Session.start(Swarm.loopback().build())) {
            leech.subscribe(events::add);
            TorrentHandle s = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            assertThat(Swarm.status(s).state()).isEqualTo(TorrentState.SEEDING);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, leechDir)
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the leecher to finish", () -> Swarm.status(l).isFinished());
            TorrentStatus st = Swarm.status(l);
            assertThat(st.progress()).isEqualTo(1.0);
            assertThat(st.downloaded()).isGreaterThanOrEqualTo(m.info().totalLength());
            assertThat(st.hashFailures()).isZero();
            // protocol overhead: headers of every block and the handshake, a few percent at most. Blocks
            // that came twice (a stream stalled past the request timeout on a loaded machine, so they were
            // asked for again) are counted as wasted, not as overhead
            long total = m.info().totalLength();
            assertThat(st.wireReceived() - st.wasted()).as("wire bytes received less wasted; status %s", st)
                    .isGreaterThan(total).isLessThan(total + total / 50);
            assertThat(st.wasted()).as("blocks received twice at most once each").isLessThanOrEqualTo(total);
            assertThat(st.wireSent()).isPositive().isLessThan(m.info().totalLength() / 50);
        }
        Swarm.assertSameTree(seedDir.resolve("data"), leechDir.resolve("data"));
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.TorrentFinished);
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.PeerConnected);
        assertThat(events.stream().filter(e -> e instanceof SessionEvent.PieceFinished).count()).isEqualTo(m.info().pieceCount());
    }

    @Test
    void addedPausedThenResumedAndRemoved() throws Exception {
        Path seedDir = tmp.resolve("seed2");
        Metainfo m = Swarm.makeData(seedDir, "p", 2, 16384, 300_000);
        try (Session seed = Session.start(Swarm.loopback().build());
             Session leech = Session.start(Swarm.loopback().build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech2")).paused(true)
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            assertThat(Swarm.status(l).state()).isEqualTo(TorrentState.PAUSED);
            Thread.sleep(300);
            assertThat(Swarm.status(l).peers()).isZero();
            l.resume().get(5, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the resumed download", () -> Swarm.status(l).isFinished());
            l.remove().get(10, TimeUnit.SECONDS);
            assertThat(leech.torrents()).isEmpty();
        }
        Swarm.assertSameTree(seedDir.resolve("p"), tmp.resolve("leech2").resolve("p"));
    }

    @Test
    void seedOnlyRefusesIncompleteData() throws Exception {
        Path seedDir = tmp.resolve("seed3");
        Metainfo m = Swarm.makeData(seedDir, "q", 3, 16384, 100_000, 100_000);
        java.nio.file.Files.delete(seedDir.resolve("q/sub/file1.bin"));
        try (Session seed = Session.start(Swarm.loopback().build())) {
            var f = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("incomplete");
        }
    }

    @Test
    void ratesDropToZeroTheMomentATransferStops() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "rates", 12, 32768, 4_000_000);
        try (Session seed = Session.start(Swarm.loopback().uploadLimit(300_000).build());
             Session leech = Session.start(Swarm.loopback().build())) {
            TorrentHandle s = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new java.net.InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(java.time.Duration.ofSeconds(20), "data flowing", () -> Swarm.status(l).downloadRate() > 0
                    && Swarm.status(s).uploadRate() > 0);
            l.pause().get(10, TimeUnit.SECONDS);
            s.pause().get(10, TimeUnit.SECONDS);
            // no second of decay to wait for: a stopped torrent moves nothing
            assertThat(Swarm.status(l).downloadRate()).isZero();
            assertThat(Swarm.status(l).uploadRate()).isZero();
            assertThat(Swarm.status(s).uploadRate()).isZero();
        }
    }

    @Test
    void aHighPriorityTorrentIsServedFirstUnderTheSessionsLimit() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo high = Swarm.makeData(seedDir, "high", 13, 32768, 1_500_000);
        Metainfo low = Swarm.makeData(seedDir, "low", 14, 32768, 1_500_000);
        try (Session seed = Session.start(Swarm.loopback().uploadLimit(400_000).build());
             Session leech = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = seed.add(AddTorrentParams.builder(high, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = seed.add(AddTorrentParams.builder(low, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            h.setBandwidthPriority(1);
            l.setBandwidthPriority(-1);
            java.net.InetSocketAddress at = new java.net.InetSocketAddress("127.0.0.1", seed.listenPort());
            TorrentHandle gotHigh = leech.add(AddTorrentParams.builder(high, tmp.resolve("leech")).peer(at).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle gotLow = leech.add(AddTorrentParams.builder(low, tmp.resolve("leech")).peer(at).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(java.time.Duration.ofSeconds(60), "the high-priority torrent complete", () -> Swarm.status(gotHigh).progress() >= 1.0);
            // both ran the whole time against one shared 400 kB/s: equal shares would have the low one half done
            assertThat(Swarm.status(gotLow).doneBytes()).as("what the low-priority torrent got meanwhile")
                    .isLessThan(low.info().totalLength() / 4);
            Swarm.await(java.time.Duration.ofSeconds(60), "then the low one complete", () -> Swarm.status(gotLow).progress() >= 1.0);
        }
    }
}
