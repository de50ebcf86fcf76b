package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops and pauses that meet a check of the data. A session closed while a torrent's data is
 * being checked (a seeder stopped by Ctrl-C as it starts): the add ends saying so, and what the
 * cut-short check found is not taken as the torrent's state. Before, the add never ended when the
 * session's threads stopped first (the first test timed out), or the reads the closing storage
 * refused counted as missing pieces: `jtorrent seed` stopped with Ctrl-C said "the data is
 * incomplete: 13 of 28 pieces present" of whole data, and a downloading torrent stopped mid-check
 * started its transfers once the check ended.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopWhileCheckingTest {
    @TempDir
    Path tmp;

    @Test
    void closingTheSessionDuringTheCheckEndsTheAddAsStoppedNotAsIncomplete() throws Exception {
        Metainfo m = Swarm.makeData(tmp.resolve("seed"), "big", 5, 1 << 18, 160 << 20);
        Session s = Session.start(Swarm.loopback().build());
        List<SessionEvent> after = new CopyOnWriteArrayList<>();
        CountDownLatch checking = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean(); // read on the session's event thread
        s.subscribe(e -> {
            if (closed.get()) {
                after.add(e);
            }
            if (e instanceof SessionEvent.TorrentAdded) {
                checking.countDown(); // posted as the check begins
            }
        });
        CompletableFuture<TorrentHandle> added = s.add(AddTorrentParams.builder(m, tmp.resolve("seed")).seedOnly(true).build());
        assertThat(checking.await(10, TimeUnit.SECONDS)).as("the check began").isTrue();
        Assumptions.assumeFalse(added.isDone(), "the check of 160 MiB was over before the session could be closed");
        closed.set(true);
        s.close();
        try {
            added.get(10, TimeUnit.SECONDS);
            Assumptions.abort("the check ended before the close reached the torrent");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("stopped while its data was being checked")
                    .hasMessageNotContaining("incomplete");
        }
        assertThat(after).as("events after the close").noneMatch(e -> e instanceof SessionEvent.TorrentChecked
                || e instanceof SessionEvent.StateChanged c && c.state() != TorrentState.STOPPED);
    }

    /**
     * Paused while its data is checked again (Transmission's "verify" then "stop"): the check runs
     * to its end and the torrent then waits paused, as the daemon says it is. The pause was
     * dropped before (a checking torrent is not transferring), and the torrent seeded on.
     */
    @Test
    void pausedDuringARecheckItStaysPausedAfterIt() throws Exception {
        Metainfo m = Swarm.makeData(tmp.resolve("seed"), "big", 6, 1 << 18, 160 << 20);
        try (Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = s.add(AddTorrentParams.builder(m, tmp.resolve("seed")).build()).get(30, TimeUnit.SECONDS);
            assertThat(h.status().get(5, TimeUnit.SECONDS).state()).isEqualTo(TorrentState.SEEDING);
            CountDownLatch rechecked = new CountDownLatch(1);
            s.subscribe(e -> {
                if (e instanceof SessionEvent.TorrentChecked) {
                    rechecked.countDown();
                }
            });
            h.recheck().get(5, TimeUnit.SECONDS);
            h.pause().get(5, TimeUnit.SECONDS); // on the torrent's loop right after the recheck began
            assertThat(rechecked.await(30, TimeUnit.SECONDS)).as("the recheck ended").isTrue();
            TorrentStatus after = h.status().get(5, TimeUnit.SECONDS);
            assertThat(after.state()).isEqualTo(TorrentState.PAUSED);
            assertThat(after.progress()).as("every piece found again").isEqualTo(1.0);
            h.resume().get(5, TimeUnit.SECONDS);
            assertThat(h.status().get(5, TimeUnit.SECONDS).state()).isEqualTo(TorrentState.SEEDING);
        }
    }
}
