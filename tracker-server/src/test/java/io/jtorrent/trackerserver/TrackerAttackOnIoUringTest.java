package io.jtorrent.trackerserver;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every attack of {@link TrackerAttackTest} again with the HTTP tracker on io_uring (the
 * launcher's transport for `tracker`): stalled connections closed, full stores and capped
 * addresses answered with a reason, a paused Redis not hanging the answers. Skipped where
 * io_uring does not load.
 */
@ExtendWith(AskedTransport.IoUring.class)
class TrackerAttackOnIoUringTest extends TrackerAttackTest {
}
