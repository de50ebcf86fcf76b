package io.jtorrent.engine.discovery;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.TrackerInfo;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.AnnounceRequest;
import io.jtorrent.tracker.AnnounceResponse;
import io.jtorrent.tracker.TrackerException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A torrent's announces to HTTP(S) and UDP trackers (BEP 3, BEP 15, with BEP 12 tiers): {@code started} when it starts, again at the
 * tracker's interval (never before its min interval), {@code completed} when the download ends,
 * {@code stopped} when it stops. Within a tier the URLs are shuffled once and tried in order; the
 * one that answers moves to the front of its tier. When every tracker fails, retries back off from
 * 30 s to 30 min. Errors and warnings are events; none is fatal to the torrent. Runs on the
 * torrent's event loop.
 */
public final class TrackerAnnouncer {
    private static final long SECOND = 1_000_000_000L;
    private static final long MAX_BACKOFF = 1800 * SECOND;

    /** What the announcer asks of its torrent. */
    public interface Host {
        Loop owner();

        long now();

        InfoHash infoHash();

        Settings settings();

        void post(SessionEvent e);

        /** Where the announces go. */
        Trackers trackers();

        byte[] ourPeerId();

        int listenPort();

        long uploadedTotal();

        long downloadedTotal();

        long bytesLeft();

        /** The swarm as a tracker sees it (-1 for what it did not say). */
        void trackerCounts(int seeders, int leechers, int downloaded);

        void addCandidates(List<java.net.InetSocketAddress> addresses, boolean manual);

        /**
         * The other swarms the torrent is in, announced beside its own to each tracker that
         * answers (a hybrid's v2 swarm, under its hash truncated to 20 bytes); none by default.
         */
        default List<InfoHash> otherSwarms() {
            return List.of();
        }
    }

    private final Host torrent;
    private final List<List<String>> tiers = new ArrayList<>();
    /** Proves to a tracker that a later announce from another address is still us: not guessable. */
    private final int key = new java.security.SecureRandom().nextInt();
    private String trackerId;
    private long nextAnnounce = Long.MAX_VALUE;
    private long minInterval;
    private int failures;
    private boolean started;
    private boolean inFlight;
    private AnnounceRequest.Event pending;
    /** What each tracker last said, for {@link #info}. */
    private final java.util.Map<String, Stats> stats = new java.util.HashMap<>();

    private static final class Stats {
        int tier;
        boolean announcing;
        long lastAnnounce;
        boolean succeeded;
        String result = "";
        int peers;
        long lastScrape;
        int seeders = -1;
        int leechers = -1;
        int downloaded = -1;
    }

    public TrackerAnnouncer(Host torrent, List<List<String>> trackerTiers) {
        this(torrent, trackerTiers, 0);
    }

    /** With {@code tierOffset}: the number of the first tier, when each announcer has one tier of several. */
    public TrackerAnnouncer(Host torrent, List<List<String>> trackerTiers, int tierOffset) {
        this.torrent = torrent;
        for (List<String> tier : trackerTiers) {
            List<String> shuffled = new ArrayList<>();
            for (String url : tier) {
                if (io.jtorrent.tracker.TrackerClient.supports(url)) {
                    shuffled.add(url);
                }
            }
            Collections.shuffle(shuffled);
            if (!shuffled.isEmpty()) {
                for (String url : shuffled) {
                    stats.computeIfAbsent(url, k -> new Stats()).tier = tiers.size() + tierOffset;
                }
                tiers.add(shuffled);
            }
        }
    }

    /** Each tracker's last answer, tier by tier. */
    public List<TrackerInfo> info() {
        List<TrackerInfo> out = new ArrayList<>();
        long next = nextAnnounce == Long.MAX_VALUE ? 0
                : torrent.owner().epochSeconds() + Math.max(0, (nextAnnounce - torrent.now()) / SECOND);
        for (List<String> tier : tiers) {
            for (String url : tier) {
                Stats s = stats.get(url);
                out.add(new TrackerInfo(url, s.tier, s.announcing, s.lastAnnounce, s.succeeded, s.result, s.peers,
                        started ? next : 0, s.lastScrape, s.seeders, s.leechers, s.downloaded));
            }
        }
        return out;
    }

    /** Announces now (a user's "ask for more peers"), unless one is in flight. */
    public void reannounce() {
        if (started) {
            announce(AnnounceRequest.Event.NONE);
        }
    }

    public void start() {
        if (started) {
            return; // a magnet's torrent starts announcing before its metadata arrives
        }
        started = true;
        announce(AnnounceRequest.Event.STARTED);
    }

    public void completed() {
        if (started) {
            announce(AnnounceRequest.Event.COMPLETED);
        }
    }

    public void tick(long now) {
        if (started && !inFlight && now >= nextAnnounce) {
            announce(pending != null ? pending : AnnounceRequest.Event.NONE);
        }
    }

    /** Announces {@code stopped} (bounded by the tracker timeout); completes when done either way. */
    public CompletableFuture<Void> stop() {
        if (!started || tiers.isEmpty()) {
            started = false;
            return CompletableFuture.completedFuture(null);
        }
        started = false;
        CompletableFuture<Void> done = new CompletableFuture<>();
        String url = tiers.get(0).get(0);
        for (InfoHash other : torrent.otherSwarms()) {
            torrent.trackers().announce(url, request(AnnounceRequest.Event.STOPPED, other)); // best effort
        }
        torrent.trackers().announce(url, request(AnnounceRequest.Event.STOPPED))
                .orTimeout(torrent.settings().trackerTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> done.complete(null));
        return done;
    }

    private AnnounceRequest request(AnnounceRequest.Event event) {
        return request(event, torrent.infoHash());
    }

    private AnnounceRequest request(AnnounceRequest.Event event, InfoHash swarm) {
        return new AnnounceRequest(swarm, torrent.ourPeerId(), torrent.listenPort(),
                torrent.uploadedTotal(), torrent.downloadedTotal(), torrent.bytesLeft(), event,
                event == AnnounceRequest.Event.STOPPED ? 0 : 80, key, trackerId);
    }

    private void announce(AnnounceRequest.Event event) {
        if (tiers.isEmpty()) {
            return;
        }
        if (inFlight) {
            pending = event == AnnounceRequest.Event.NONE ? pending : event;
            return;
        }
        inFlight = true;
        pending = null;
        attempt(event, 0, 0);
    }

    /** Tries tier {@code t}, URL {@code u}; on failure the next URL, then the next tier. */
    private void attempt(AnnounceRequest.Event event, int t, int u) {
        if (t >= tiers.size()) {
            inFlight = false;
            failures++;
            long backoff = Math.min(MAX_BACKOFF, 30 * SECOND * (1L << Math.min(failures - 1, 6)));
            nextAnnounce = torrent.now() + backoff;
            pending = event == AnnounceRequest.Event.NONE ? null : event;
            return;
        }
        List<String> tier = tiers.get(t);
        String url = tier.get(u);
        Stats st = stats.get(url);
        st.announcing = true;
        torrent.trackers().announce(url, request(event)).whenComplete((response, error) -> torrent.owner().execute(() -> {
            st.announcing = false;
            st.lastAnnounce = torrent.owner().epochSeconds();
            st.succeeded = error == null;
            if (!started && event != AnnounceRequest.Event.STOPPED) {
                inFlight = false;
                return;
            }
            if (error == null) {
                onResponse(url, tier, u, response, event);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String message = cause instanceof TrackerException ? cause.getMessage() : cause.toString();
            st.result = message;
            torrent.post(new SessionEvent.TrackerError(torrent.infoHash(), url, message));
            if (u + 1 < tier.size()) {
                attempt(event, t, u + 1);
            } else {
                attempt(event, t + 1, 0);
            }
        }));
    }

    private void onResponse(String url, List<String> tier, int index, AnnounceResponse r, AnnounceRequest.Event event) {
        inFlight = false;
        failures = 0;
        Stats st = stats.get(url);
        st.result = "Success";
        st.peers = r.peers().size();
        st.seeders = r.complete();
        st.leechers = r.incomplete();
        torrent.trackerCounts(r.complete(), r.incomplete(), -1);
        // scrape for what an announce does not tell: completed downloads (BEP 48 / BEP 15)
        torrent.trackers().scrape(url, torrent.infoHash()).whenComplete((s, e) -> {
            if (s != null) {
                torrent.owner().execute(() -> {
                    st.lastScrape = torrent.owner().epochSeconds();
                    st.seeders = s.complete();
                    st.leechers = s.incomplete();
                    st.downloaded = s.downloaded();
                    torrent.trackerCounts(s.complete(), s.incomplete(), s.downloaded());
                });
            }
        });
        if (index > 0) {
            tier.remove(index);
            tier.add(0, url); // BEP 12: the tracker that answered goes first in its tier
        }
        r.trackerId().ifPresent(id -> trackerId = id);
        r.warning().ifPresent(w -> torrent.post(new SessionEvent.TrackerWarning(torrent.infoHash(), url, w)));
        minInterval = r.minInterval() * SECOND;
        long interval = Math.max(r.interval() * SECOND, minInterval);
        nextAnnounce = torrent.now() + Math.max(interval, 10 * SECOND);
        torrent.post(new SessionEvent.TrackerReply(torrent.infoHash(), url, r.peers().size()));
        torrent.addCandidates(r.peers(), false);
        // the torrent's other swarms, to the tracker that answered: their peers are candidates too
        for (InfoHash other : torrent.otherSwarms()) {
            torrent.trackers().announce(url, request(event, other)).whenComplete((o, e) -> {
                if (o != null) {
                    torrent.owner().execute(() -> {
                        torrent.post(new SessionEvent.TrackerReply(torrent.infoHash(), url, o.peers().size()));
                        torrent.addCandidates(o.peers(), false);
                    });
                }
            });
        }
        if (pending != null) {
            nextAnnounce = Math.min(nextAnnounce, torrent.now() + Math.max(minInterval, SECOND));
        }
    }
}
