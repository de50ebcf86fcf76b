package io.jtorrent.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training runs of the launchers' start-up caches, each in one JVM so that one list of the
 * classes it loads ({@code -XX:DumpLoadedClassList}) serves to build a class-data archive
 * ({@code -Xshare:dump}; the lists of two runs cannot be merged on every JDK: JDK 25 numbers the
 * classes in its list). The commands' archive: what users start most often and want back at once,
 * {@code create} of a small file, then {@code info} of the torrent it made. The daemon's (argument
 * {@code daemon}): a daemon started on loopback, a torrent added and listed through its RPC, then
 * closed: it answers its first RPC in 0.7 s instead of 1.2, and idles in 1.4 MiB less.
 *
 * <pre>{@code java -XX:DumpLoadedClassList=classes.lst -cp jtorrent.jar io.jtorrent.cli.CacheTraining DIR [daemon]}</pre>
 */
public final class CacheTraining {
    private CacheTraining() {}

    /** {@code args[0]}: an empty directory to work in; {@code args[1]}, if given, {@code daemon}. Exit status 0 on success. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("daemon"))) {
            System.err.println("usage: CacheTraining EMPTY_DIRECTORY [daemon]");
            System.exit(ExitCode.BAD_INPUT);
        }
        System.exit(args.length == 2 ? trainDaemon(Path.of(args[0])) : train(Path.of(args[0])));
    }

    /** Runs both commands in {@code dir}: the exit status of the first that failed, or 0. */
    static int train(Path dir) throws java.io.IOException {
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[1 << 20]);
        Path torrent = dir.resolve("t.torrent");
        PrintWriter out = new PrintWriter(Writer.nullWriter());
        PrintWriter err = new PrintWriter(System.err, true);
        int created = Main.run(out, err, "create", data.toString(), "-o", torrent.toString(), "--no-date");
        return created == ExitCode.OK ? Main.run(out, err, "info", torrent.toString()) : created;
    }

    /** A daemon in {@code dir} with a torrent of 1 MiB there: 0 when it took the torrent and closed. */
    static int trainDaemon(Path dir) throws java.io.IOException, InterruptedException {
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[1 << 20]);
        Path torrent = Files.write(dir.resolve("t.torrent"),
                io.jtorrent.metainfo.TorrentBuilder.from(data).build().metainfo().toTorrentFile());
        return daemon(dir, torrent, new PrintWriter(Writer.nullWriter())) ? ExitCode.OK : ExitCode.INTERNAL;
    }

    /**
     * A daemon on 127.0.0.1 (no DHT, no local discovery), the torrent added from its data, listed
     * as {@code transmission-remote -l} lists, then {@code session-close}; true if it closed.
     */
    /** A JSON string literal. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Says on stderr which call got what (a test that fails shows it), and fails the training. */
    private static boolean unexpected(String call, String answer) {
        String method = call.substring(0, Math.min(call.length(), 40));
        System.err.println("CacheTraining: unexpected answer to " + method + ": "
                + answer.substring(0, Math.min(answer.length(), 400)).replace("\r\n", " | "));
        return false;
    }

    private static boolean daemon(Path dir, Path torrent, PrintWriter out) {
        int rpcPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            rpcPort = probe.getLocalPort();
        } catch (java.io.IOException e) {
            return false;
        }
        Thread daemon = new Thread(() -> Main.run(out, out, "daemon", "--rpc-port", Integer.toString(rpcPort), "--port", "0",
                "--no-dht", "--bind", "127.0.0.1", "--config-dir", dir.resolve("config").toString(),
                "-d", dir.toString()), "training-daemon");
        daemon.setDaemon(true);
        daemon.start();
        try {
            // the requests written by hand: Jackson's data binding in the training would put its
            // classes in the daemon's archive, resident in every daemon, which never uses them
            String fields = String.join("\", \"", "id", "name", "status", "error", "errorString", "eta",
                    "isFinished", "isStalled", "leftUntilDone", "metadataPercentComplete", "peersConnected",
                    "peersGettingFromUs", "peersSendingToUs", "percentDone", "queuePosition", "rateDownload", "rateUpload",
                    "recheckProgress", "seedRatioMode", "seedRatioLimit", "sizeWhenDone", "totalSize", "uploadRatio",
                    "uploadedEver", "webseedsSendingToUs");
            String[] calls = {
                "{\"method\": \"session-get\"}",
                "{\"method\": \"torrent-add\", \"arguments\": {\"metainfo\": \""
                        + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(torrent))
                        + "\", \"download-dir\": " + jsonString(dir.toString()) + "}}",
                "{\"method\": \"torrent-get\", \"arguments\": {\"fields\": [\"" + fields + "\"]}}",
                "{\"method\": \"session-stats\"}",
                "{\"method\": \"session-close\"}",
            };
            String session = "";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < calls.length && System.nanoTime() < deadline; ) {
                // HTTP/1.1 by hand over a socket: an HTTP client's classes would be in the daemon's
                // archive, and resident in every daemon, without the daemon ever using them
                try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), rpcPort)) {
                    socket.setSoTimeout(10_000);
                    byte[] body = calls[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    String head = "POST /transmission/rpc HTTP/1.1\r\nHost: 127.0.0.1:" + rpcPort
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nX-Transmission-Session-Id: " + session + "\r\nConnection: close\r\n\r\n";
                    socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().write(body);
                    socket.getOutputStream().flush();
                    String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (answer.startsWith("HTTP/1.1 409")) {
                        int at = answer.toLowerCase(java.util.Locale.ROOT).indexOf("x-transmission-session-id:");
                        if (at < 0) {
                            return unexpected(calls[i], answer);
                        }
                        session = answer.substring(at + 26, answer.indexOf('\r', at)).trim(); // asked again with it
                    } else if (answer.startsWith("HTTP/1.1 200") && answer.contains("\"result\":\"success\"")) {
                        i++;
                    } else {
                        return unexpected(calls[i], answer);
                    }
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100); // not listening yet
                }
            }
            daemon.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
            if (daemon.isAlive()) {
                System.err.println("CacheTraining: the daemon did not close within 30 s");
            }
            return !daemon.isAlive();
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }
}
