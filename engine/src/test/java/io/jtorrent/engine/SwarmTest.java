package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten leechers and one seed, every peer's upload capped: everyone ends with the whole file, and
 * the seed uploads far fewer than ten copies because the leechers trade pieces among themselves
 * (the picker spreads rare pieces; the choker rewards peers that upload).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SwarmTest {
    private static final int LEECHERS = 10;
    private static final long UPLOAD_CAP = 400 * 1024;

    @TempDir
    Path tmp;

    @Test
    void tenLeechersOneSeedAllComplete() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "swarm", 11, 32768, 2_000_000);
        List<Session> sessions = new ArrayList<>();
        try {
            Session seed = Session.start(Swarm.loopback().uploadLimit(UPLOAD_CAP).build());
            sessions.add(seed);
            for (int i = 0; i < LEECHERS; i++) {
                sessions.add(Session.start(Swarm.loopback().uploadLimit(UPLOAD_CAP)
                        .networkThreads(i % 2 == 0 ? 1 : 2).build()));
            }
            TorrentHandle seedHandle = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            List<TorrentHandle> leechers = new ArrayList<>();
            for (int i = 1; i <= LEECHERS; i++) {
                AddTorrentParams.Builder p = AddTorrentParams.builder(m, tmp.resolve("leech" + i));
                for (int j = 0; j <= LEECHERS; j++) {
                    if (j != i) {
                        p.peer(new InetSocketAddress("127.0.0.1", sessions.get(j).listenPort()));
                    }
                }
                leechers.add(sessions.get(i).add(p.build()).get(30, TimeUnit.SECONDS));
            }
            Swarm.await(Duration.ofSeconds(150), "every leecher to finish",
                    () -> leechers.stream().allMatch(h -> Swarm.status(h).isFinished()));
            double seedCopies = (double) Swarm.status(seedHandle).uploaded() / m.info().totalLength();
            assertThat(seedCopies).as("copies the seed uploaded").isLessThan(LEECHERS / 2.0);
            for (TorrentHandle h : leechers) {
                assertThat(Swarm.status(h).hashFailures()).isZero();
            }
        } finally {
            sessions.parallelStream().forEach(Session::close);
        }
        for (int i = 1; i <= LEECHERS; i++) {
            Swarm.assertSameTree(seedDir.resolve("swarm"), tmp.resolve("leech" + i).resolve("swarm"));
        }
    }
}
