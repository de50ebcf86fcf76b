package io.jtorrent.daemon;

import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.TorrentStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /metrics}: Prometheus' text format, from the Prometheus Java client. The JVM's own
 * (memory, GC, threads, classes, CPU: {@code jvm_*}, {@code process_*}) and the daemon's, all
 * prefixed {@code jtorrent_}: {@code torrents{state}}, {@code download_bytes_per_second},
 * {@code upload_bytes_per_second}, {@code peers}, {@code utp_peers}, {@code disk_queue_bytes}
 * (gauges); {@code uploaded_bytes_total}, {@code downloaded_bytes_total},
 * {@code wasted_bytes_total}, {@code hash_failures_total}, {@code utp_received_bytes_total},
 * {@code utp_sent_bytes_total} (counters of this run of the daemon, which keep what a removed
 * torrent had moved: they never go down while the daemon runs).
 *
 * <p>Each scrape reads the torrents on the daemon's thread, as the RPC does.
 */
final class Metrics {
    private final Daemon daemon;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    /** The torrents' figures at this scrape (written and read on the daemon's thread). */
    private Figures now = new Figures();
    /** What removed torrents had moved in this run: added to the counters so they never go down. */
    private final Figures departed = new Figures();

    /** Sums over torrents. */
    private static final class Figures {
        final Map<TorrentState, Integer> byState = new EnumMap<>(TorrentState.class);
        long down;
        long up;
        long peers;
        long utpPeers;
        long utpReceived;
        long utpSent;
        long uploaded;
        long downloaded;
        long wasted;
        long failures;

        void add(TorrentStatus s) {
            byState.merge(s.state(), 1, Integer::sum);
            down += s.downloadRate();
            up += s.uploadRate();
            peers += s.peers();
            utpPeers += s.utpPeers();
            utpReceived += s.utpWireReceived();
            utpSent += s.utpWireSent();
            uploaded += s.uploadedThisSession();
            downloaded += s.downloadedThisSession();
            wasted += s.wasted();
            failures += s.hashFailures();
        }
    }

    Metrics(Daemon daemon) {
        this.daemon = daemon;
        GaugeWithCallback.builder().name("jtorrent_torrents").help("Torrents by state.").labelNames("state")
                .callback(cb -> {
                    for (TorrentState st : TorrentState.values()) {
                        cb.call(now.byState.getOrDefault(st, 0), st.name().toLowerCase(Locale.ROOT));
                    }
                }).register(registry);
        gauge("jtorrent_download_bytes_per_second", "Payload download rate.", () -> now.down);
        gauge("jtorrent_upload_bytes_per_second", "Payload upload rate.", () -> now.up);
        gauge("jtorrent_peers", "Connected peers.", () -> now.peers);
        gauge("jtorrent_utp_peers", "Connected peers over uTP.", () -> now.utpPeers);
        gauge("jtorrent_disk_queue_bytes", "Bytes waiting to be written to disk.", daemon.session::diskQueueBytes);
        counter("jtorrent_uploaded_bytes", "Payload uploaded since the daemon started.", () -> now.uploaded + departed.uploaded);
        counter("jtorrent_downloaded_bytes", "Payload downloaded since the daemon started.", () -> now.downloaded + departed.downloaded);
        counter("jtorrent_wasted_bytes", "Bytes received and thrown away.", () -> now.wasted + departed.wasted);
        counter("jtorrent_hash_failures", "Pieces that failed their hash check.", () -> now.failures + departed.failures);
        counter("jtorrent_utp_received_bytes", "Bytes received over uTP.", () -> now.utpReceived + departed.utpReceived);
        counter("jtorrent_utp_sent_bytes", "Bytes sent over uTP.", () -> now.utpSent + departed.utpSent);
    }

    private void gauge(String name, String help, java.util.function.LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    private void counter(String name, String help, java.util.function.LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    /** A torrent is being removed: what it moved stays in the counters. On the daemon's thread. */
    void departed(TorrentStatus last) {
        if (last != null) {
            departed.add(last);
        }
    }

    /** The content type of what {@link #render} returns. */
    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** The JVM's metrics, registered at the first scrape: a daemon nobody scrapes loads none of their classes. */
    private boolean jvmRegistered;

    CompletableFuture<String> render() {
        return daemon.onDaemonThread(() -> {
            if (!jvmRegistered) {
                JvmMetrics.builder().register(registry); // counts since the JVM started, whenever registered
                jvmRegistered = true;
            }
            Figures f = new Figures();
            for (ManagedTorrent t : daemon.all()) {
                if (t.last != null) {
                    f.add(t.last);
                }
            }
            now = f;
            ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
            try {
                writer.write(out, registry.scrape());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return CompletableFuture.completedFuture(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        });
    }
}
