package io.jtorrent.daemon;

import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.TorrentStatus;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /metrics} in Prometheus' text format. Names (all prefixed {@code jtorrent_}):
 * {@code torrents{state}}, {@code download_bytes_per_second}, {@code upload_bytes_per_second},
 * {@code peers}, {@code uploaded_bytes_total}, {@code downloaded_bytes_total},
 * {@code wasted_bytes_total}, {@code hash_failures_total}, {@code disk_queue_bytes}.
 */
final class Metrics {
    private final Daemon daemon;

    Metrics(Daemon daemon) {
        this.daemon = daemon;
    }

    CompletableFuture<String> render() {
        return daemon.onDaemonThread(() -> {
            Map<TorrentState, Integer> byState = new EnumMap<>(TorrentState.class);
            long down = 0;
            long up = 0;
            long peers = 0;
            long utpPeers = 0;
            long utpReceived = 0;
            long utpSent = 0;
            long uploaded = 0;
            long downloaded = 0;
            long wasted = 0;
            long failures = 0;
            for (ManagedTorrent t : daemon.all()) {
                TorrentStatus s = t.last;
                if (s == null) {
                    continue;
                }
                byState.merge(s.state(), 1, Integer::sum);
                down += s.downloadRate();
                up += s.uploadRate();
                peers += s.peers();
                utpPeers += s.utpPeers();
                utpReceived += s.utpWireReceived();
                utpSent += s.utpWireSent();
                uploaded += s.uploaded();
                downloaded += s.downloaded();
                wasted += s.wasted();
                failures += s.hashFailures();
            }
            StringBuilder b = new StringBuilder();
            b.append("# HELP jtorrent_torrents Torrents by state.\n# TYPE jtorrent_torrents gauge\n");
            for (TorrentState st : TorrentState.values()) {
                b.append("jtorrent_torrents{state=\"").append(st.name().toLowerCase(Locale.ROOT)).append("\"} ")
                        .append(byState.getOrDefault(st, 0)).append('\n');
            }
            gauge(b, "download_bytes_per_second", "Payload download rate.", down);
            gauge(b, "upload_bytes_per_second", "Payload upload rate.", up);
            gauge(b, "peers", "Connected peers.", peers);
            gauge(b, "utp_peers", "Connected peers over uTP.", utpPeers);
            counter(b, "utp_received_bytes_total", "Bytes received over uTP by the torrents present.", utpReceived);
            counter(b, "utp_sent_bytes_total", "Bytes sent over uTP by the torrents present.", utpSent);
            counter(b, "uploaded_bytes_total", "Payload uploaded by the torrents present.", uploaded);
            counter(b, "downloaded_bytes_total", "Payload downloaded by the torrents present.", downloaded);
            counter(b, "wasted_bytes_total", "Bytes received and thrown away.", wasted);
            counter(b, "hash_failures_total", "Pieces that failed their hash check.", failures);
            gauge(b, "disk_queue_bytes", "Bytes waiting to be written to disk.", daemon.session.diskQueueBytes());
            return CompletableFuture.completedFuture(b.toString());
        });
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP jtorrent_").append(name).append(' ').append(help).append("\n# TYPE jtorrent_").append(name)
                .append(" gauge\njtorrent_").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP jtorrent_").append(name).append(' ').append(help).append("\n# TYPE jtorrent_").append(name)
                .append(" counter\njtorrent_").append(name).append(' ').append(value).append('\n');
    }
}
