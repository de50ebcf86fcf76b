package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What `download` and `seed` print of the session's events: words, never a record's toString or a class name. */
class TransferEventsTest {
    private static final InfoHash HASH = InfoHash.v1Of(new byte[] {1});
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.9", 6881);

    @Test
    void eventsAreDescribedInWords() {
        List<String> lines = List.of(
                Transfer.describe(new SessionEvent.TrackerError(HASH, "http://tracker.example/announce", "connection refused")),
                Transfer.describe(new SessionEvent.PeerBanned(HASH, PEER, "sent corrupt data in piece 3")),
                Transfer.describe(new SessionEvent.HashFailed(HASH, 3, List.of(PEER))),
                Transfer.describe(new SessionEvent.MetadataFailed(HASH, List.of(PEER))),
                Transfer.describe(new SessionEvent.WebSeedError(HASH, "http://seed.example/f", "HTTP 404", true)),
                Transfer.describe(new SessionEvent.StorageError(HASH, "No space left on device")));
        assertThat(lines).containsExactly(
                "tracker http://tracker.example/announce: connection refused",
                "banned 192.0.2.9:6881: sent corrupt data in piece 3",
                "piece 3 failed its hash check (from 192.0.2.9:6881); fetching it again",
                "the metadata from 192.0.2.9:6881 does not match the info-hash; asking others",
                "web seed http://seed.example/f: HTTP 404 (no longer used)",
                "disk: No space left on device");
        for (String l : lines) {
            assertThat(l).doesNotContain("Error[", "[infoHash", "io.jtorrent", "java.");
        }
        assertThat(Transfer.describe(new SessionEvent.PieceFinished(HASH, 1))).as("not shown").isNull();
    }
}
