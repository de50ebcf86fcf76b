package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.net.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every test of {@link TrackerServerTest} again with the HTTP tracker on io_uring (the launcher's
 * transport for `tracker`): announces, refusals, pipelining, and a client that never reads
 * stopping the reading of its connection. Skipped where io_uring does not load.
 */
@ExtendWith(AskedTransport.IoUring.class)
class TrackerServerOnIoUringTest extends TrackerServerTest {
    @Test
    void theServerRunsOnIoUring() throws Exception {
        try (TrackerServer t = TrackerServer.inMemory(new java.net.InetSocketAddress("127.0.0.1", 0), 60)) {
            assertThat(t.transport()).isEqualTo(Transport.Kind.IO_URING);
        }
    }
}
