package io.jtorrent.sim;

import io.jtorrent.engine.discovery.Trackers;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.AnnounceRequest;
import io.jtorrent.tracker.AnnounceResponse;
import io.jtorrent.tracker.ScrapeResult;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The swarm's tracker, one round trip away: it keeps who announced (in the order they came, so
 * answers depend only on the run's seed) and answers each announce with up to {@code numwant}
 * others picked at random, as opentracker does. Only the tracker is simulated; the announcing is
 * the engine's own {@code TrackerAnnouncer}.
 */
final class SimTracker {
    static final String URL = "http://tracker.sim/announce";
    private static final int DEFAULT_NUMWANT = 50;

    private final Scheduler clock;
    private final long roundTripNanos;
    private final int intervalSeconds;
    private final Random random;
    private final Map<InetSocketAddress, Boolean> peers = new LinkedHashMap<>();
    private int completed;
    int announces;

    SimTracker(Scheduler clock, long roundTripNanos, int intervalSeconds, Random random) {
        this.clock = clock;
        this.roundTripNanos = roundTripNanos;
        this.intervalSeconds = intervalSeconds;
        this.random = random;
    }

    /** The tracker as the peer at {@code from} reaches it. */
    Trackers from(InetSocketAddress from) {
        return new Trackers() {
            @Override
            public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
                CompletableFuture<AnnounceResponse> f = new CompletableFuture<>();
                clock.at(clock.now() + roundTripNanos / 2, () -> {
                    AnnounceResponse r = answer(new InetSocketAddress(from.getAddress(), request.port()), request);
                    clock.at(clock.now() + roundTripNanos / 2, () -> f.complete(r));
                });
                return f;
            }

            @Override
            public CompletableFuture<ScrapeResult> scrape(String announceUrl, InfoHash infoHash) {
                CompletableFuture<ScrapeResult> f = new CompletableFuture<>();
                clock.at(clock.now() + roundTripNanos, () -> f.complete(counts()));
                return f;
            }
        };
    }

    private AnnounceResponse answer(InetSocketAddress who, AnnounceRequest request) {
        announces++;
        if (request.event() == AnnounceRequest.Event.STOPPED) {
            peers.remove(who);
            return new AnnounceResponse(intervalSeconds, 0, Optional.empty(), 0, 0, List.of(), Optional.empty());
        }
        if (request.event() == AnnounceRequest.Event.COMPLETED) {
            completed++;
        }
        peers.put(who, request.left() == 0);
        int want = request.numWant() < 0 ? DEFAULT_NUMWANT : Math.min(request.numWant(), 200);
        List<InetSocketAddress> others = new ArrayList<>(peers.size());
        for (InetSocketAddress a : peers.keySet()) {
            if (!a.equals(who)) {
                others.add(a);
            }
        }
        // a partial Fisher-Yates shuffle: the first `want` are a uniform sample
        int n = Math.min(want, others.size());
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(others.size() - i);
            InetSocketAddress t = others.get(i);
            others.set(i, others.get(j));
            others.set(j, t);
        }
        ScrapeResult c = counts();
        return new AnnounceResponse(intervalSeconds, 0, Optional.empty(), c.complete(), c.incomplete(),
                others.subList(0, n), Optional.empty());
    }

    private ScrapeResult counts() {
        int seeds = 0;
        for (boolean s : peers.values()) {
            if (s) {
                seeds++;
            }
        }
        return new ScrapeResult(seeds, peers.size() - seeds, completed);
    }
}
