package io.jtorrent.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * opentracker (Debian's build) on 127.0.0.1 for a test: HTTP and UDP on one free port, a
 * whitelist of the info-hashes the test uses (Debian's build refuses all others), stopped by PID.
 */
public final class Opentracker implements AutoCloseable {
    private final Process process;
    private final int port;

    private Opentracker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts it in {@code dir} (its chroot), allowing the given hex info-hashes; returns once it
     * answers on TCP and on UDP. A free TCP port's number may be taken for UDP (by another test's
     * uTP or DHT socket), and opentracker binds UDP after it listens on TCP: a port whose UDP side
     * does not answer a BEP 15 connect is given up for another, three times at most.
     */
    public static Opentracker start(Path dir, List<String> hexInfoHashes) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Opentracker t = startOnce(dir, hexInfoHashes);
            if (answersUdp(t.port, java.time.Duration.ofSeconds(5))) {
                return t;
            }
            t.close();
            last = new IOException("opentracker did not answer on UDP port " + t.port);
        }
        throw last;
    }

    /** Whether a BEP 15 connect to 127.0.0.1:{@code port} gets its answer within {@code wait}. */
    private static boolean answersUdp(int port, java.time.Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(200);
            int tx = 0x6a74;
            byte[] connect = java.nio.ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(tx).array();
            java.net.InetSocketAddress to = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
            while (System.nanoTime() < deadline) {
                s.send(new java.net.DatagramPacket(connect, connect.length, to));
                byte[] in = new byte[64];
                java.net.DatagramPacket reply = new java.net.DatagramPacket(in, in.length);
                try {
                    s.receive(reply);
                } catch (java.net.SocketTimeoutException | java.net.PortUnreachableException e) {
                    continue;
                }
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(in, 0, reply.getLength());
                if (reply.getLength() >= 16 && b.getInt(0) == 0 && b.getInt(4) == tx) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Opentracker startOnce(Path dir, List<String> hexInfoHashes) throws IOException {
        Path binary = ExternalProgram.require("opentracker", "opentracker");
        Files.createDirectories(dir);
        Files.write(dir.resolve("whitelist.txt"), hexInfoHashes);
        int port = ReferencePeer.freePort();
        // paths inside the config are relative to tracker.rootdir, where it chroots
        Files.writeString(dir.resolve("opentracker.conf"), String.join("\n",
                "listen.tcp 127.0.0.1:" + port, "listen.udp 127.0.0.1:" + port,
                "access.whitelist whitelist.txt", "tracker.rootdir " + dir.toAbsolutePath(), ""));
        Process p = new ProcessBuilder(binary.toString(), "-f", dir.resolve("opentracker.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("opentracker.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ExternalProgram.awaitListening(p, port, java.time.Duration.ofSeconds(10), dir.resolve("opentracker.log"));
        return new Opentracker(p, port);
    }

    public String announceUrl() {
        return "http://127.0.0.1:" + port + "/announce";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        ExternalProgram.kill(process);
    }
}
