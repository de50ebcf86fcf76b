package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.metainfo.TorrentBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `download` and `seed` as a user runs them: results, JSON progress, and one-line errors with status 2. */
class DownloadCommandTest {
    @TempDir
    Path tmp;

    private Path torrentOf(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("album"));
        Random r = new Random(4);
        for (String name : new String[] {"a.flac", "b.flac", "c.txt"}) {
            byte[] b = new byte[name.endsWith("txt") ? 1000 : 400_000];
            r.nextBytes(b);
            Files.write(dir.resolve("album").resolve(name), b);
        }
        return Files.write(tmp.resolve("album.torrent"), TorrentBuilder.from(dir.resolve("album")).pieceLength(16384).build().bytes());
    }

    @Test
    void downloadsFromAPeerAndSelectsFiles() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path torrent = torrentOf(seedDir);
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            seed.add(AddTorrentParams.builder(io.jtorrent.metainfo.Metainfo.read(torrent), seedDir).seedOnly(true).build())
                    .get(30, TimeUnit.SECONDS);
            String peer = "127.0.0.1:" + seed.listenPort();
            Cli all = Cli.run("download", torrent.toString(), "-d", tmp.resolve("all").toString(), "--port", "0", "--no-dht",
                    "--bind", "127.0.0.1", "--peer", peer, "--json-progress");
            assertThat(all.status()).as(all.err()).isZero();
            assertThat(all.out().lines().reduce((a, b) -> b).orElseThrow()).contains("\"state\":\"seeding\"", "\"progress\":1.0");
            assertThat(Files.mismatch(seedDir.resolve("album/b.flac"), tmp.resolve("all/album/b.flac"))).isEqualTo(-1L);

            Cli some = Cli.run("download", torrent.toString(), "-d", tmp.resolve("some").toString(), "--port", "0", "--no-dht",
                    "--bind", "127.0.0.1", "--peer", peer, "--select", "2");
            assertThat(some.status()).as(some.err()).isZero();
            assertThat(Files.mismatch(seedDir.resolve("album/c.txt"), tmp.resolve("some/album/c.txt"))).isEqualTo(-1L);
            assertThat(tmp.resolve("some/album/a.flac")).doesNotExist();
        }
    }

    @Test
    void severalTorrentsDownloadSideBySide() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path album = torrentOf(seedDir);
        Files.createDirectories(seedDir.resolve("film"));
        byte[] film = new byte[700_000];
        new Random(5).nextBytes(film);
        Files.write(seedDir.resolve("film/film.mkv"), film);
        Path filmTorrent = Files.write(tmp.resolve("film.torrent"),
                TorrentBuilder.from(seedDir.resolve("film/film.mkv")).pieceLength(32768).build().bytes());
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            for (Path t : new Path[] {album, filmTorrent}) {
                seed.add(AddTorrentParams.builder(io.jtorrent.metainfo.Metainfo.read(t), t == album ? seedDir : seedDir.resolve("film"))
                        .seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            }
            String peer = "127.0.0.1:" + seed.listenPort();
            Cli both = Cli.run("download", album.toString(), filmTorrent.toString(), "-d", tmp.resolve("both").toString(),
                    "--port", "0", "--no-dht", "--bind", "127.0.0.1", "--peer", peer, "--json-progress");
            assertThat(both.status()).as(both.err()).isZero();
            assertThat(both.out()).contains("\"name\":\"album\"", "\"name\":\"film.mkv\"");
            assertThat(Files.mismatch(seedDir.resolve("album/b.flac"), tmp.resolve("both/album/b.flac"))).isEqualTo(-1L);
            assertThat(Files.mismatch(seedDir.resolve("film/film.mkv"), tmp.resolve("both/film.mkv"))).isEqualTo(-1L);
            Cli words = Cli.run("download", album.toString(), filmTorrent.toString(), "-d", tmp.resolve("w").toString(),
                    "--port", "0", "--no-dht", "--bind", "127.0.0.1", "--peer", peer);
            assertThat(words.status()).as(words.err()).isZero();
            assertThat(words.out()).contains("album: complete", "film.mkv: complete");
            Cli select = Cli.run("download", album.toString(), filmTorrent.toString(), "--select", "1");
            assertThat(select.status()).isEqualTo(2);
            assertThat(select.err()).contains("--select names one torrent");
        }
    }

    @Test
    void errorsAreWordsNotJavaClassNames() throws Exception {
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close();
            Cli refused = Cli.run("download", "http://127.0.0.1:" + port + "/a.torrent", "-d", tmp.resolve("r").toString());
            assertThat(refused.status()).isEqualTo(2);
            assertThat(refused.err()).contains("cannot fetch it").doesNotContain("java.", "Exception", "Error[", "\tat ");
        }
        assertThat(ErrorHandler.words(new java.util.concurrent.CompletionException(new java.net.ConnectException("Connection refused"))))
                .isEqualTo("Connection refused");
        assertThat(ErrorHandler.words(new IllegalStateException("io.netty.channel.AbstractChannel$AnnotatedConnectException: "
                + "Connection refused: /127.0.0.1:1"))).isEqualTo("Connection refused: /127.0.0.1:1");
        assertThat(ErrorHandler.words(new RuntimeException("java.lang.IllegalArgumentException"))).isEqualTo("failed");
        Cli bare = Cli.run();
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).contains("a command is required", "create", "info", "verify", "download", "demo", "tracker", "dht",
                "seed", "daemon", "Run as a service");
    }

    @Test
    void seedTimeSeedsForAWhileThenExits() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path torrent = torrentOf(seedDir);
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            seed.add(AddTorrentParams.builder(io.jtorrent.metainfo.Metainfo.read(torrent), seedDir).seedOnly(true).build())
                    .get(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            Cli dl = Cli.run("download", torrent.toString(), "-d", tmp.resolve("st").toString(), "--port", "0", "--no-dht",
                    "--bind", "127.0.0.1", "--peer", "127.0.0.1:" + seed.listenPort(), "--seed-time", "0.05");
            assertThat(dl.status()).as(dl.err()).isZero();
            assertThat(dl.out()).contains("complete and seeded (3 s of seeding)");
            assertThat(System.nanoTime() - t0).as("it seeded before it left").isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(3));
            assertThat(Files.mismatch(seedDir.resolve("album/a.flac"), tmp.resolve("st/album/a.flac"))).isEqualTo(-1L);
        }
        Cli both = Cli.run("download", torrent.toString(), "--seed", "--seed-ratio", "1");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("choose one");
        assertThat(Cli.run("download", torrent.toString(), "--seed-time", "-1").err()).contains("0 or more");
    }

    @Test
    void downloadsATorrentGivenByItsHttpUrl() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path torrent = torrentOf(seedDir);
        byte[] bytes = Files.readAllBytes(torrent);
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/album.torrent", x -> {
            x.sendResponseHeaders(200, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        });
        http.start();
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            seed.add(AddTorrentParams.builder(io.jtorrent.metainfo.Metainfo.read(torrent), seedDir).seedOnly(true).build())
                    .get(30, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            Cli dl = Cli.run("download", base + "/album.torrent", "-d", tmp.resolve("web").toString(), "--port", "0",
                    "--no-dht", "--bind", "127.0.0.1", "--peer", "127.0.0.1:" + seed.listenPort());
            assertThat(dl.status()).as(dl.err()).isZero();
            assertThat(Files.mismatch(seedDir.resolve("album/a.flac"), tmp.resolve("web/album/a.flac"))).isEqualTo(-1L);
            Cli missing = Cli.run("download", base + "/nothing.torrent", "-d", tmp.resolve("web2").toString());
            assertThat(missing.status()).isEqualTo(2);
            assertThat(missing.err()).contains("HTTP 404").doesNotContain("Exception");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void downloadsAMagnetLinkSavesItsTorrentAndInfoFetchesIt() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path torrent = torrentOf(seedDir);
        io.jtorrent.metainfo.Metainfo m = io.jtorrent.metainfo.Metainfo.read(torrent);
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            String magnet = "magnet:?xt=urn:btih:" + m.infoHash().hex() + "&dn=album&x.pe=127.0.0.1:" + seed.listenPort();

            Cli info = Cli.run("info", magnet, "--fetch", "--json", "--port", "0", "--no-dht", "--bind", "127.0.0.1",
                    "--timeout", "60");
            assertThat(info.status()).as(info.err()).isZero();
            assertThat(info.out()).contains("\"pieceCount\" : " + m.info().pieceCount(), "a.flac", "c.txt");

            Path saved = tmp.resolve("saved.torrent");
            Cli dl = Cli.run("download", magnet, "-d", tmp.resolve("mag").toString(), "--port", "0", "--no-dht",
                    "--bind", "127.0.0.1", "--save-torrent", saved.toString(), "--select", "1");
            assertThat(dl.status()).as(dl.err()).isZero();
            assertThat(dl.err()).contains("fetching the metadata");
            assertThat(io.jtorrent.metainfo.Metainfo.read(saved).infoHash()).isEqualTo(m.infoHash());
            assertThat(Files.mismatch(seedDir.resolve("album/b.flac"), tmp.resolve("mag/album/b.flac"))).isEqualTo(-1L);
            assertThat(tmp.resolve("mag/album/a.flac")).doesNotExist();
        }
        // nobody to ask: a clear error after the timeout, status 2
        Cli none = Cli.run("info", "magnet:?xt=urn:btih:" + m.infoHash().hex(), "--fetch", "--port", "0", "--no-dht",
                "--bind", "127.0.0.1", "--timeout", "1");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("no peer sent the metadata");
        assertThat(Cli.run("seed", "magnet:?xt=urn:btih:" + m.infoHash().hex()).err()).contains("needs the .torrent file");
    }

    @Test
    void badInputIsAOneLineErrorWithStatus2() throws Exception {
        Path torrent = torrentOf(tmp.resolve("data"));
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli r = Cli.run("download", torrent.toString(), "-d", tmp.resolve("x").toString(), "--bind", "127.0.0.1", "--no-dht",
                    "--port", Integer.toString(busy.getLocalPort()));
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("cannot listen").doesNotContain("\tat ");
        }
        assertThat(Cli.run("download", torrent.toString(), "--max-up", "12x").status()).isEqualTo(2);
        assertThat(Cli.run("download", tmp.resolve("missing.torrent").toString()).status()).isEqualTo(2);
        assertThat(Cli.run("download", torrent.toString(), "--peer", "nohost").status()).isEqualTo(2);
        assertThat(Cli.run("download", torrent.toString(), "--select", "9", "-d", tmp.resolve("y").toString()).err())
                .contains("--select");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(Cli.run("download", torrent.toString(), "-d", file.resolve("sub").toString()).status()).isEqualTo(2);
        // seeding data that is not there is refused
        Cli seed = Cli.run("seed", torrent.toString(), "-d", tmp.resolve("empty").toString(), "--port", "0", "--no-dht", "--bind", "127.0.0.1");
        assertThat(seed.status()).isEqualTo(2);
        assertThat(seed.err()).contains("incomplete");
        // and in seed mode too: only pieces whose files are there are taken as had
        Cli trusting = Cli.run("seed", torrent.toString(), "-d", tmp.resolve("empty").toString(), "--port", "0", "--no-dht",
                "--bind", "127.0.0.1", "--seed-mode");
        assertThat(trusting.status()).isEqualTo(2);
        assertThat(trusting.err()).contains("incomplete");
    }
}
