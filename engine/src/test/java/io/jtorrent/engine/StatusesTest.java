package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many torrents' snapshots at once, spread over several event loops, come back in the order asked. */
class StatusesTest {
    @TempDir
    Path tmp;

    @Test
    void statusesOfTorrentsOnSeveralLoopsComeInTheOrderAsked() throws Exception {
        try (Session s = Session.start(Swarm.loopback().networkThreads(3).build())) {
            List<TorrentHandle> handles = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                Metainfo m = Swarm.makeData(tmp, "t" + i, 1, 16384, 20_000 + i);
                handles.add(s.add(AddTorrentParams.builder(m, tmp).seedOnly(true).build()).get(30, TimeUnit.SECONDS));
            }
            List<TorrentHandle> asked = new ArrayList<>(handles);
            java.util.Collections.reverse(asked);
            List<TorrentStatus> got = TorrentHandle.statuses(asked).get(30, TimeUnit.SECONDS);
            assertThat(got).hasSize(7);
            for (int i = 0; i < asked.size(); i++) {
                assertThat(got.get(i).name()).isEqualTo(asked.get(i).status().get(30, TimeUnit.SECONDS).name());
            }
            assertThat(got.get(0).name()).isEqualTo("t6");
            assertThat(TorrentHandle.statuses(List.of()).get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }
}
