package io.jtorrent.tracker;

/**
 * A tracker's counts for one torrent (BEP 48 / BEP 15 scrape).
 *
 * @param complete seeders
 * @param incomplete leechers
 * @param downloaded completed downloads the tracker has counted
 */
public record ScrapeResult(int complete, int incomplete, int downloaded) {}
