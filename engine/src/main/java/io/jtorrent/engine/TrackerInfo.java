package io.jtorrent.engine;

/**
 * What one tracker of a torrent last said, for programs that show trackers. Times are epoch
 * seconds, 0 for never; counts -1 when the tracker did not say.
 *
 * @param url the announce URL
 * @param tier its tier (BEP 12), from 0
 * @param announcing an announce to it is in flight
 * @param lastAnnounceTime when it last answered or failed
 * @param lastAnnounceSucceeded whether that was an answer
 * @param lastAnnounceResult "Success", or the error
 * @param lastAnnouncePeerCount peers in its last answer
 * @param nextAnnounceTime when the next regular announce is due (0 if none is scheduled)
 * @param lastScrapeTime when it last answered a scrape
 * @param seeders seeders it reported
 * @param leechers leechers it reported
 * @param downloaded completed downloads it reported
 */
public record TrackerInfo(String url, int tier, boolean announcing, long lastAnnounceTime, boolean lastAnnounceSucceeded,
                          String lastAnnounceResult, int lastAnnouncePeerCount, long nextAnnounceTime, long lastScrapeTime,
                          int seeders, int leechers, int downloaded) {}
