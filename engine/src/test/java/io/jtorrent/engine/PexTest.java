package io.jtorrent.engine;

import io.jtorrent.engine.ext.PexExtension;
import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Peer exchange (BEP 11) between three jtorrent sessions on 127.0.0.1. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PexTest {
    @TempDir
    Path tmp;

    @Test
    void aPeerLearnsOfAnotherThroughPexAndDownloadsFromIt() throws Exception {
        Path seedDir = tmp.resolve("a");
        Metainfo m = Swarm.makeData(seedDir, "pex", 3, 32768, 3_000_000);
        List<SessionEvent> cEvents = new CopyOnWriteArrayList<>();
        // B downloads slowly (so it stays connected to A) and uploads at 8 KiB/s: C can only finish in time by finding A
        try (Session a = Session.start(Swarm.loopback().build());
             Session b = Session.start(Swarm.loopback().uploadLimit(8192).downloadLimit(65536).build());
             Session c = Session.start(Swarm.loopback().build())) {
            c.subscribe(cEvents::add);
            TorrentHandle ha = a.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle hb = b.add(AddTorrentParams.builder(m, tmp.resolve("b"))
                    .peer(new InetSocketAddress("127.0.0.1", a.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "B connected to A", () -> Swarm.status(hb).peers() > 0);
            TorrentHandle hc = c.add(AddTorrentParams.builder(m, tmp.resolve("c"))
                    .peer(new InetSocketAddress("127.0.0.1", b.listenPort())).build()).get(30, TimeUnit.SECONDS);
            try {
                // either side may dial: C learns A from B, and A learns C from B too
                String aId = new String(a.peerId(), java.nio.charset.StandardCharsets.US_ASCII);
                Swarm.await(Duration.ofSeconds(45), "C and A to connect", () -> cEvents.stream().anyMatch(e ->
                        e instanceof SessionEvent.PeerConnected p && p.client().equals(aId)));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nA at " + a.listenPort() + ", B at " + b.listenPort() + "\nB: "
                        + Swarm.status(hb) + "\nC: " + Swarm.status(hc) + "\nC's events: " + cEvents, e);
            }
            Swarm.await(Duration.ofSeconds(40), "C to finish", () -> Swarm.status(hc).isFinished());
            assertThat(Swarm.status(ha).uploaded()).as("A uploaded to C").isGreaterThan(1_000_000L);
        }
        Swarm.assertSameTree(seedDir.resolve("pex"), tmp.resolve("c").resolve("pex"));
    }

    @Test
    void privateTorrentsDoNotExchangePeers() throws Exception {
        Path seedDir = tmp.resolve("a");
        java.nio.file.Files.createDirectories(seedDir.resolve("priv"));
        java.nio.file.Files.write(seedDir.resolve("priv").resolve("f.bin"), new byte[200_000]);
        Metainfo m = io.jtorrent.metainfo.TorrentBuilder.from(seedDir.resolve("priv")).pieceLength(16384)
                .privateFlag(true).build().metainfo();
        assertThat(m.info().isPrivate()).isTrue();
        List<SessionEvent> cEvents = new CopyOnWriteArrayList<>();
        try (Session a = Session.start(Swarm.loopback().build());
             Session b = Session.start(Swarm.loopback().uploadLimit(4096).downloadLimit(8192).build());
             Session c = Session.start(Swarm.loopback().build())) {
            c.subscribe(cEvents::add);
            a.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle hb = b.add(AddTorrentParams.builder(m, tmp.resolve("b"))
                    .peer(new InetSocketAddress("127.0.0.1", a.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "B connected to A", () -> Swarm.status(hb).peers() > 0);
            TorrentHandle hc = c.add(AddTorrentParams.builder(m, tmp.resolve("c"))
                    .peer(new InetSocketAddress("127.0.0.1", b.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "C connected to B", () -> Swarm.status(hc).peers() > 0);
            Thread.sleep(4000); // past the first PEX message a public torrent would get (2 s)
            String aId = new String(a.peerId(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(cEvents).noneMatch(e -> e instanceof SessionEvent.PeerConnected p && p.client().equals(aId));
        }
    }

    @Test
    void malformedPexListsAreIgnoredAndThePeerKept() throws Exception {
        Path seedDir = tmp.resolve("a");
        Metainfo m = Swarm.makeData(seedDir, "pex", 3, 32768, 300_000);
        try (Session a = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = a.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            try (ScriptedPeer peer = new ScriptedPeer(a.listenPort(), m.infoHash())) {
                peer.sendExtended(0, "d1:md6:ut_pexi7eee".getBytes());
                peer.sendExtended(PexExtension.ID, "d5:added5:abcdee".getBytes());           // not whole entries
                peer.sendExtended(PexExtension.ID, "d5:addedi3ee".getBytes());                // not a string
                peer.sendExtended(PexExtension.ID, "l5:addede".getBytes());                   // not a dictionary
                peer.sendExtended(PexExtension.ID, "d5:added6:\u007f\u0000\u0000\u0001\u0000\u0000e".getBytes(
                        java.nio.charset.StandardCharsets.ISO_8859_1));                      // port 0
                peer.send(2, new byte[0]); // interested: it still gets served
                assertThat(peer.closedWithin(Duration.ofSeconds(3))).as("connection closed").isFalse();
                assertThat(Swarm.status(h).peers()).isEqualTo(1);
            }
        }
    }
}
