package io.jtorrent.engine.discovery;

import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.AnnounceRequest;
import io.jtorrent.tracker.AnnounceResponse;
import io.jtorrent.tracker.ScrapeResult;
import java.util.concurrent.CompletableFuture;

/**
 * Where a torrent's announces and scrapes go: the session's HTTP/UDP tracker client, or a
 * simulation's trackers. The futures may complete on any thread.
 */
public interface Trackers {
    CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request);

    CompletableFuture<ScrapeResult> scrape(String announceUrl, InfoHash infoHash);
}
