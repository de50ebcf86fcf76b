package io.jtorrent.tracker;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Announces to a tracker of any kind the client supports, by the URL's scheme: http, https, udp. */
public final class TrackerClient implements AutoCloseable {
    private final HttpTrackerClient http;
    private final UdpTrackerClient udp;
    private final Resolver resolver = new Resolver();

    public TrackerClient(EventLoopGroup group, Duration httpTimeout, Duration udpBase, int udpRetries, String userAgent) {
        this.http = new HttpTrackerClient(group, httpTimeout, userAgent, null, resolver);
        this.udp = new UdpTrackerClient(group, udpBase, udpRetries, resolver);
    }

    /** Host-name lookups off the event loops, shared with whoever else connects by name (web seeds, DHT nodes). */
    public Resolver resolver() {
        return resolver;
    }

    public static boolean supports(String url) {
        return url.startsWith("http://") || url.startsWith("https://") || url.startsWith("udp://");
    }

    public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
        return url.startsWith("udp://") ? udp.announce(url, request) : http.announce(url, request);
    }

    /** Scrapes one torrent from the tracker of {@code announceUrl} (HTTP by BEP 48's URL convention, or UDP). */
    public CompletableFuture<ScrapeResult> scrape(String announceUrl, io.jtorrent.metainfo.InfoHash infoHash) {
        return announceUrl.startsWith("udp://") ? udp.scrape(announceUrl, infoHash) : http.scrape(announceUrl, infoHash);
    }

    @Override
    public void close() {
        udp.close();
        resolver.close();
    }
}
