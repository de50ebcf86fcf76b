package io.jtorrent.tracker;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A tracker's answer to an announce.
 *
 * @param interval seconds until the next regular announce
 * @param minInterval seconds the client must wait at least before announcing again (0 if unset)
 * @param trackerId to send back in later announces, if given
 * @param complete seeders, -1 if unknown
 * @param incomplete leechers, -1 if unknown
 * @param peers peers to try, IPv4 and IPv6
 * @param warning a {@code warning message}, if any
 */
public record AnnounceResponse(int interval, int minInterval, Optional<String> trackerId, int complete, int incomplete,
                               List<InetSocketAddress> peers, Optional<String> warning) {
    public AnnounceResponse {
        peers = List.copyOf(peers);
    }
}
