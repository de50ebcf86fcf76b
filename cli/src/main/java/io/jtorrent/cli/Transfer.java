package io.jtorrent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.metainfo.Metainfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs one torrent in a session until it is done (or forever, when seeding), reporting progress. */
final class Transfer {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean terminal = System.console() != null;
    private java.util.function.Consumer<io.jtorrent.metainfo.Metainfo> onMetadata = m -> { };

    /** Called once the metadata is known (at once for a torrent file, when peers sent it for a magnet link). */
    Transfer onMetadata(java.util.function.Consumer<io.jtorrent.metainfo.Metainfo> action) {
        this.onMetadata = action;
        return this;
    }

    Transfer(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    static Metainfo readTorrent(Path torrent) throws Exception {
        if (!Files.isRegularFile(torrent)) {
            throw new BadInputException(torrent + ": no such file");
        }
        return Metainfo.read(torrent);
    }

    /**
     * A .torrent fetched over http(s) (redirects followed, at most a minute and
     * {@link Metainfo#MAX_TORRENT_FILE_BYTES}); any failure is a one-line error naming the URL.
     */
    static Metainfo fetchTorrent(String url) throws Exception {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new BadInputException(url + ": not a URL");
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(20)).followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();
        byte[] body;
        try {
            java.net.http.HttpResponse<java.io.InputStream> r = client.send(java.net.http.HttpRequest.newBuilder(uri)
                    .timeout(java.time.Duration.ofMinutes(1)).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw new BadInputException(url + ": the server answered HTTP " + r.statusCode());
                }
                body = in.readNBytes(Metainfo.MAX_TORRENT_FILE_BYTES + 1);
            }
        } catch (IOException e) {
            throw new BadInputException(url + ": cannot fetch it: " + (e instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                    : e instanceof java.net.ConnectException ? "connection refused" : ErrorHandler.words(e)));
        }
        if (body.length > Metainfo.MAX_TORRENT_FILE_BYTES) {
            throw new BadInputException(url + ": larger than the " + Metainfo.MAX_TORRENT_FILE_BYTES + "-byte limit for torrent files");
        }
        try {
            return Metainfo.parse(body);
        } catch (io.jtorrent.metainfo.MetainfoException e) {
            throw new BadInputException(url + ": " + e.getMessage());
        }
    }

    static void checkSaveDir(Path saveDir) throws BadInputException {
        try {
            Files.createDirectories(saveDir);
        } catch (IOException e) {
            throw new BadInputException(saveDir + ": cannot create the directory: " + e.getMessage());
        }
        if (!Files.isWritable(saveDir)) {
            throw new BadInputException(saveDir + ": not writable");
        }
    }

    /**
     * Adds the torrent and reports until it is finished ({@code untilFinished}) or forever.
     *
     * @return the exit status
     */
    int run(SessionOptions options, AddTorrentParams params, Path saveDir, boolean untilFinished) throws Exception {
        return run(options, List.of(params), saveDir, untilFinished, -1, -1);
    }

    /** One torrent of a run, as the report loop follows it. */
    private static final class Job {
        final TorrentHandle handle;
        boolean announced;
        long size;
        long seedingSince;
        /** Finished (and seeded as asked), or failed: nothing more to wait for. */
        boolean done;
        boolean failed;
        TorrentStatus last;

        Job(TorrentHandle handle) {
            this.handle = handle;
        }
    }

    /**
     * Adds the torrents (several download side by side in one session, as aria2 does) and reports
     * until every one is finished ({@code untilFinished}) or forever. Once one is finished, with
     * {@code seedRatio} ≥ 0 or {@code seedSeconds} ≥ 0 it seeds until its upload ratio or its time
     * seeding reaches either (aria2's --seed-ratio and --seed-time). Exit status 0 when all did,
     * 1 when one failed (the others still run to their end).
     */
    int run(SessionOptions options, List<AddTorrentParams> all, Path saveDir, boolean untilFinished, double seedRatio,
            long seedSeconds) throws Exception {
        Session session;
        try {
            session = Session.start(options.settings(saveDir));
        } catch (IOException e) {
            throw new BadInputException(e.getMessage() + (options.port != 0 ? " (is another client using it? try --port 0)" : ""));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // the report loop wakes once a second, and at once when something it acts on happens (a
        // download finished, the metadata came, an error, a stop): a finished download exits then
        java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
        Thread hook = new Thread(() -> {
            session.close();
            stopped.countDown();
            wake.release();
        }, "jtorrent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            session.subscribe(e -> {
                onEvent(e);
                if (e instanceof SessionEvent.TorrentFinished || e instanceof SessionEvent.MetadataReceived
                        || e instanceof SessionEvent.StateChanged || e instanceof SessionEvent.StorageError) {
                    wake.release();
                }
            });
            List<Job> jobs = new ArrayList<>();
            for (AddTorrentParams params : all) {
                TorrentHandle handle;
                try {
                    handle = session.add(params).get();
                } catch (ExecutionException e) {
                    throw new BadInputException(e.getCause().getMessage(), e.getCause());
                }
                jobs.add(new Job(handle));
                if (!json && params.metainfo() == null) {
                    err.printf("%s: listening on port %d, fetching the metadata from peers%n", handle.infoHash().hex(),
                            session.listenPort());
                    err.flush();
                }
            }
            while (true) {
                for (Job j : jobs) {
                    if (!j.done) {
                        follow(j, session, untilFinished, seedRatio, seedSeconds);
                    }
                }
                report(jobs);
                if (jobs.stream().allMatch(j -> j.done)) {
                    return jobs.stream().anyMatch(j -> j.failed) ? ExitCode.NEGATIVE : ExitCode.OK;
                }
                if (wake.tryAcquire(1, TimeUnit.SECONDS)) {
                    wake.drainPermits();
                }
                if (stopped.getCount() == 0) {
                    return ExitCode.OK;
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                session.close();
            } catch (IllegalStateException shuttingDown) {
                stopped.await(40, TimeUnit.SECONDS); // the hook is closing it
            }
        }
    }

    /** One look at a torrent: its metadata announced once, its end (finished, seeded, failed) told once. */
    private void follow(Job j, Session session, boolean untilFinished, double seedRatio, long seedSeconds) throws Exception {
        io.jtorrent.metainfo.Metainfo m = j.handle.metainfo();
        if (m != null && !j.announced) {
            j.announced = true;
            j.size = m.info().totalLength();
            synchronized (this) {
                finishLine();
                if (!json) {
                    err.printf("%s: listening on port %d, %d pieces%n", m.info().name(), session.listenPort(), m.info().pieceCount());
                    err.flush();
                }
            }
            try {
                onMetadata.accept(m);
            } catch (java.io.UncheckedIOException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        TorrentStatus s = j.handle.status().get(10, TimeUnit.SECONDS);
        j.last = s;
        if (s.state() == TorrentState.ERROR) {
            synchronized (this) {
                finishLine();
                err.println("jtorrent: " + s.name() + ": " + s.error().orElse("failed"));
                err.flush();
            }
            j.done = true;
            j.failed = true;
            return;
        }
        if (untilFinished && s.isFinished()) {
            j.done = true;
            synchronized (this) {
                finishLine();
                if (!json) {
                    out.printf(Locale.ROOT, "%s: complete, %s downloaded, verified%n", s.name(), Sizes.format(s.wantedBytes()));
                    out.flush();
                }
            }
            return;
        }
        if ((seedRatio >= 0 || seedSeconds >= 0) && s.isFinished()) {
            j.seedingSince = j.seedingSince == 0 ? System.nanoTime() : j.seedingSince;
            boolean ratioReached = seedRatio >= 0 && s.ratio(j.size) >= seedRatio;
            boolean timeReached = seedSeconds >= 0 && System.nanoTime() - j.seedingSince >= TimeUnit.SECONDS.toNanos(seedSeconds);
            if (ratioReached || timeReached) {
                j.done = true;
                j.handle.pause(); // seeded as asked: it stops while the others go on
                synchronized (this) {
                    finishLine();
                    if (!json) {
                        out.printf(Locale.ROOT, "%s: complete and seeded (%s), ratio %.2f%n", s.name(),
                                ratioReached ? "ratio " + seedRatio + " reached" : seedSeconds + " s of seeding", s.ratio(j.size));
                        out.flush();
                    }
                }
            }
        }
    }

    private void onEvent(SessionEvent e) {
        String line = describe(e);
        if (line != null) {
            synchronized (this) {
                finishLine();
                err.println("jtorrent: " + line);
                err.flush();
            }
        }
    }

    /** The events a user should see, in words (never a record's toString); null for the others. */
    static String describe(SessionEvent e) {
        if (e instanceof SessionEvent.HashFailed h) {
            return "piece " + h.piece() + " failed its hash check (from " + addresses(h.contributors()) + "); fetching it again";
        } else if (e instanceof SessionEvent.PeerBanned b) {
            return "banned " + address(b.address()) + ": " + b.reason();
        } else if (e instanceof SessionEvent.MetadataFailed m) {
            return "the metadata from " + addresses(m.contributors()) + " does not match the info-hash; asking others";
        } else if (e instanceof SessionEvent.WebSeedError w) {
            return "web seed " + w.url() + ": " + w.message() + (w.dropped() ? " (no longer used)" : "");
        } else if (e instanceof SessionEvent.StorageError s) {
            return "disk: " + s.message();
        } else if (e instanceof SessionEvent.TrackerError t) {
            return "tracker " + t.url() + ": " + t.message();
        }
        return null;
    }

    private static String address(java.net.InetSocketAddress a) {
        return a.getAddress() == null ? a.getHostString() + ":" + a.getPort() : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String addresses(List<java.net.InetSocketAddress> list) {
        return list.isEmpty() ? "nobody" : list.stream().map(Transfer::address).collect(java.util.stream.Collectors.joining(", "));
    }

    private boolean lineOpen;

    /** The progress line (one for all the torrents: their sums), or a JSON object a torrent a second. */
    private synchronized void report(List<Job> jobs) throws IOException {
        if (json) {
            for (Job j : jobs) {
                TorrentStatus s = j.last;
                if (s == null) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                if (jobs.size() > 1) {
                    m.put("name", s.name());
                }
                m.put("state", s.state().name().toLowerCase(Locale.ROOT));
                m.put("progress", s.progress());
                m.put("downloadRate", s.downloadRate());
                m.put("uploadRate", s.uploadRate());
                m.put("peers", s.peers());
                m.put("seeds", s.seeds());
                m.put("downloaded", s.downloaded());
                m.put("uploaded", s.uploaded());
                m.put("ratio", s.ratio(j.size));
                out.println(new ObjectMapper().writeValueAsString(m));
            }
            out.flush();
            return;
        }
        if (!terminal) {
            return;
        }
        List<Job> live = jobs.stream().filter(j -> !j.done && j.last != null).toList();
        if (live.isEmpty()) {
            return;
        }
        long wanted = 0;
        long have = 0;
        long down = 0;
        long up = 0;
        int peers = 0;
        int seeds = 0;
        for (Job j : live) {
            TorrentStatus s = j.last;
            wanted += s.wantedBytes();
            have += s.doneBytes();
            down += s.downloadRate();
            up += s.uploadRate();
            peers += s.peers();
            seeds += s.seeds();
        }
        Job one = live.get(0);
        long left = wanted - have;
        String eta = down > 0 && left > 0 ? formatEta(left / down) : "-";
        String what = live.size() == 1 ? one.last.state().name().toLowerCase(Locale.ROOT) : live.size() + " torrents";
        double progress = live.size() == 1 ? one.last.progress() : wanted == 0 ? 1.0 : (double) have / wanted;
        String line = String.format(Locale.ROOT, "%-11s %5.1f%%  down %s  up %s  peers %d (%d seeds)  ratio %s  eta %s",
                what, progress * 100, Rates.format(down), Rates.format(up), peers, seeds,
                live.size() == 1 ? String.format(Locale.ROOT, "%.2f", one.last.ratio(one.size)) : "-", eta);
        err.print("\r" + line + "   ");
        err.flush();
        lineOpen = true;
    }

    private void finishLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    static String formatEta(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
