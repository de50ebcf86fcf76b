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

/** A peer that sends corrupt blocks costs only itself: pieces are fetched again, and it is banned. */
class BadPeerTest {
    @TempDir
    Path tmp;

    @Test
    void corruptBlocksAreRedownloadedFromAnHonestPeerAndTheSenderBanned() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Metainfo m = Swarm.makeData(seedDir, "data", 3, 65536, 2_000_000, 1_000_000);
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (FakePeer bad = new FakePeer(m, seedDir);
             Session honest = Session.start(Swarm.loopback().uploadLimit(2_000_000).build());
             Session leech = Session.start(Swarm.loopback().build())) {
            leech.subscribe(events::add);
            honest.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            // the corrupt peer first, so that it is the first to serve
            TorrentHandle h = leech.add(AddTorrentParams.builder(m, leechDir).peer(bad.address()).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "a corrupt block to arrive", () -> bad.blocksSent.get() > 0);
            h.addPeer(new InetSocketAddress("127.0.0.1", honest.listenPort())).get(5, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(90), "the download to finish despite the bad peer", () -> Swarm.status(h).isFinished());
            TorrentStatus st = Swarm.status(h);
            assertThat(st.hashFailures()).isPositive();
            assertThat(st.wasted()).isPositive();
            Swarm.await(Duration.ofSeconds(5), "the ban event", () -> events.stream().anyMatch(e -> e instanceof SessionEvent.PeerBanned));
            assertThat(events).filteredOn(e -> e instanceof SessionEvent.PeerBanned)
                    .allMatch(e -> ((SessionEvent.PeerBanned) e).address().getPort() == bad.address().getPort());
            assertThat(events).anyMatch(e -> e instanceof SessionEvent.HashFailed);
            int connectionsAtBan = bad.connections.get();
            Thread.sleep(1500); // a banned peer is not dialled again
            assertThat(bad.connections.get()).isEqualTo(connectionsAtBan);
        }
        Swarm.assertSameTree(seedDir.resolve("data"), leechDir.resolve("data"));
    }
}
