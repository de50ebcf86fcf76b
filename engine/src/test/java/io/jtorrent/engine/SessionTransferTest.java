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
        }
        Swarm.assertSameTree(seedDir.resolve("data"), leechDir.resolve("data"));
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.TorrentFinished);
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.PeerConnected);
        assertThat(events.stream().filter(e -> e instanceof SessionEvent.PieceFinished).count()).isEqualTo(m.info().pieceCount());
    }
}
