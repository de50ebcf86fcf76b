package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.testkit.Opentracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers that know only a tracker (opentracker, started by the test) find each other through it. */
class TrackerDiscoveryTest {
    @TempDir
    Path tmp;

    @Test
    void leecherFindsTheSeedThroughOpentracker() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = new byte[3_000_000];
        new Random(9).nextBytes(data);
        Files.write(seedDir.resolve("file.bin"), data);
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        // a dead tracker first in its own tier: the client must fall back to the next one
        Metainfo probe = TorrentBuilder.from(seedDir.resolve("file.bin")).pieceLength(32768).build().metainfo();
        try (Opentracker tracker = Opentracker.start(tmp.resolve("tracker"), List.of(probe.infoHash().hex()))) {
            Metainfo m = TorrentBuilder.from(seedDir.resolve("file.bin")).pieceLength(32768)
                    .tracker("http://127.0.0.1:1/announce").tracker(tracker.announceUrl()).build().metainfo();
            assertThat(m.infoHash()).isEqualTo(probe.infoHash());
            try (Session seed = Session.start(Swarm.loopback().build());
                 Session leech = Session.start(Swarm.loopback().build())) {
                leech.subscribe(events::add);
                seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                TorrentHandle h = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
                Swarm.await(Duration.ofSeconds(60), "the download through the tracker", () -> Swarm.status(h).isFinished());
            }
        }
        assertThat(Files.mismatch(seedDir.resolve("file.bin"), tmp.resolve("leech/file.bin"))).isEqualTo(-1L);
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.TrackerError te && te.url().contains(":1/"));
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.TrackerReply r && r.peers() > 0);
    }

    @Test
    void leecherFindsTheSeedThroughOpentrackerOverUdp() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed-udp"));
        byte[] data = new byte[2_000_000];
        new Random(10).nextBytes(data);
        Files.write(seedDir.resolve("u.bin"), data);
        Metainfo probe = TorrentBuilder.from(seedDir.resolve("u.bin")).pieceLength(32768).build().metainfo();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (Opentracker tracker = Opentracker.start(tmp.resolve("tracker-udp"), List.of(probe.infoHash().hex()))) {
            Metainfo m = TorrentBuilder.from(seedDir.resolve("u.bin")).pieceLength(32768)
                    .tracker("udp://127.0.0.1:" + tracker.port() + "/announce").build().metainfo();
            try (Session seed = Session.start(Swarm.loopback().build());
                 Session leech = Session.start(Swarm.loopback().build())) {
                List<SessionEvent> seedEvents = new CopyOnWriteArrayList<>();
                seed.subscribe(seedEvents::add);
                leech.subscribe(events::add);
                seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                // the seed is known to the tracker before the leecher asks (else the leecher's first
                // answer may hold no one, and its next announce is the tracker's interval away)
                Swarm.await(Duration.ofSeconds(30), "the seed's announce over UDP; its events: " + seedEvents,
                        () -> seedEvents.stream().anyMatch(e -> e instanceof SessionEvent.TrackerReply));
                TorrentHandle h = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech-udp")).build()).get(30, TimeUnit.SECONDS);
                try {
                    Swarm.await(Duration.ofSeconds(60), "the download through the UDP tracker", () -> Swarm.status(h).isFinished());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; leecher " + Swarm.status(h) + ", its events " + events
                            + "; the seed's events " + seedEvents, e);
                }
            }
        }
        assertThat(Files.mismatch(seedDir.resolve("u.bin"), tmp.resolve("leech-udp/u.bin"))).isEqualTo(-1L);
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.TrackerReply r && r.url().startsWith("udp://") && r.peers() > 0);
    }

    @Test
    void announcesToEveryTierAtOnceAndShowsTheTrackersCounts() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed-tiers"));
        byte[] data = new byte[500_000];
        new Random(11).nextBytes(data);
        Files.write(seedDir.resolve("t.bin"), data);
        java.net.InetSocketAddress any = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        try (io.jtorrent.trackerserver.TrackerServer a = io.jtorrent.trackerserver.TrackerServer.inMemory(any, 60);
             io.jtorrent.trackerserver.TrackerServer b = io.jtorrent.trackerserver.TrackerServer.inMemory(any, 60)) {
            Metainfo m = TorrentBuilder.from(seedDir.resolve("t.bin")).pieceLength(16384)
                    .tracker(a.announceUrl()).tracker(b.announceUrl()).build().metainfo();
            try (Session seed = Session.start(Swarm.loopback().announceToAllTiers(true).build())) {
                TorrentHandle h = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                Swarm.await(Duration.ofSeconds(20), "announces to both tiers", () -> a.announceCount() > 0 && b.announceCount() > 0);
                Swarm.await(Duration.ofSeconds(20), "the tracker's counts in the status",
                        () -> Swarm.status(h).trackerSeeders() == 1 && Swarm.status(h).trackerDownloaded() == 0);
            }
        }
    }

    @Test
    void aHybridIsAnnouncedInItsV2SwarmTooSoABtmhLinkFindsIt() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed-hybrid"));
        byte[] data = new byte[1_000_000];
        new Random(12).nextBytes(data);
        Files.write(seedDir.resolve("h.bin"), data);
        Metainfo probe = TorrentBuilder.from(seedDir.resolve("h.bin")).pieceLength(32768)
                .version(TorrentBuilder.Version.HYBRID).build().metainfo();
        String v2Swarm = probe.infoHashV2().orElseThrow().hex().substring(0, 40); // BEP 52: truncated to 20 bytes
        try (Opentracker tracker = Opentracker.start(tmp.resolve("tracker-h"), List.of(probe.infoHash().hex(), v2Swarm))) {
            Metainfo m = TorrentBuilder.from(seedDir.resolve("h.bin")).pieceLength(32768)
                    .version(TorrentBuilder.Version.HYBRID).tracker(tracker.announceUrl()).build().metainfo();
            assertThat(m.infoHash()).isEqualTo(probe.infoHash());
            // the leecher knows only the v2 hash and the tracker: it announces and asks in the v2 swarm
            String link = "magnet:?xt=urn:btmh:1220" + m.infoHashV2().orElseThrow().hex() + "&tr="
                    + java.net.URLEncoder.encode(tracker.announceUrl(), java.nio.charset.StandardCharsets.UTF_8);
            try (Session seed = Session.start(Swarm.loopback().build());
                 Session leech = Session.start(Swarm.loopback().build())) {
                List<SessionEvent> seedEvents = new CopyOnWriteArrayList<>();
                seed.subscribe(seedEvents::add);
                seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                // one reply for each swarm the seed announced to (its v1 and its v2 one)
                Swarm.await(Duration.ofSeconds(30), "the seed's announces in both swarms",
                        () -> seedEvents.stream().filter(e -> e instanceof SessionEvent.TrackerReply).count() >= 2);
                List<SessionEvent> events = new CopyOnWriteArrayList<>();
                leech.subscribe(events::add);
                TorrentHandle h = leech.add(AddTorrentParams.builder(io.jtorrent.metainfo.MagnetUri.parse(link),
                        tmp.resolve("leech-h")).build()).get(30, TimeUnit.SECONDS);
                try {
                    Swarm.await(Duration.ofSeconds(60), "the download found through the v2 swarm", () -> Swarm.status(h).isFinished());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; leecher " + Swarm.status(h) + ", its trackers " + h.trackers().get()
                            + ", its events " + events + "; the seed's events " + seedEvents, e);
                }
            }
        }
        assertThat(Files.mismatch(seedDir.resolve("h.bin"), tmp.resolve("leech-h/h.bin"))).isEqualTo(-1L);
    }
}
