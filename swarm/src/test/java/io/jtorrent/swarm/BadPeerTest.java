package io.jtorrent.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peer that sends corrupt blocks costs only itself: pieces are fetched again, and it is banned. */
class BadPeerTest {
    @TempDir
    Path tmp;

    @Test
    void corruptBlocksAreRedownloadedFromAnHonestPeerAndTheSenderBanned() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Files.createDirectories(seedDir.resolve("data"));
        byte[] bytes = new byte[3_000_000];
        new Random(3).nextBytes(bytes);
        Files.write(seedDir.resolve("data/file.bin"), bytes);
        Metainfo m = TorrentBuilder.from(seedDir.resolve("data")).pieceLength(65536).build().metainfo();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (CorruptingPeer bad = new CorruptingPeer(m, seedDir);
             Session honest = Session.start(loopback().uploadLimit(2_000_000).build());
             Session leech = Session.start(loopback().build())) {
            leech.subscribe(events::add);
            honest.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            // the corrupt peer first, so that it is the first to serve
            TorrentHandle h = leech.add(AddTorrentParams.builder(m, leechDir).peer(bad.address()).build()).get(30, TimeUnit.SECONDS);
            await(Duration.ofSeconds(20), "a corrupt block to arrive", () -> bad.bytesSent() > 0);
            h.addPeer(new InetSocketAddress("127.0.0.1", honest.listenPort())).get(5, TimeUnit.SECONDS);
            await(Duration.ofSeconds(90), "the download to finish despite the bad peer", () -> status(h).isFinished());
            TorrentStatus st = status(h);
            assertThat(st.hashFailures()).isPositive();
            assertThat(st.wasted()).isPositive();
            await(Duration.ofSeconds(5), "the ban event", () -> events.stream().anyMatch(e -> e instanceof SessionEvent.PeerBanned));
            assertThat(events).filteredOn(e -> e instanceof SessionEvent.PeerBanned)
                    .allMatch(e -> ((SessionEvent.PeerBanned) e).address().getPort() == bad.address().getPort());
            assertThat(events).anyMatch(e -> e instanceof SessionEvent.HashFailed);
            int connectionsAtBan = bad.connections();
            Thread.sleep(1500); // a banned peer is not dialled again
            assertThat(bad.connections()).isEqualTo(connectionsAtBan);
        }
        assertThat(Files.mismatch(seedDir.resolve("data/file.bin"), leechDir.resolve("data/file.bin"))).isEqualTo(-1L);
    }

    private static Settings.Builder loopback() {
        return Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress());
    }

    private static TorrentStatus status(TorrentHandle h) {
        try {
            return h.status().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        io.jtorrent.testkit.Await.until(timeout, what, condition::getAsBoolean);
    }
}
