package io.jtorrent.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Asks a UDP port whether uTP answers there: sends one uTP SYN (BEP 29's 20-byte header, version
 * 1) and waits at most {@code wait} for any reply (a STATE accepting it, or a RESET). Written out
 * here so that tests need not trust the implementation they test.
 */
public final class UtpProbe {
    private UtpProbe() {
    }

    public static boolean answers(InetAddress host, int port, Duration wait) throws IOException {
        ByteBuffer syn = ByteBuffer.allocate(20);
        syn.put((byte) 0x41) // type ST_SYN (4) << 4 | version 1
                .put((byte) 0) // no extension
                .putShort((short) 0x1234) // connection id
                .putInt((int) (System.nanoTime() / 1000)) // timestamp, microseconds
                .putInt(0) // timestamp difference
                .putInt(1 << 20) // receive window
                .putShort((short) 1) // seq_nr
                .putShort((short) 0); // ack_nr
        try (DatagramSocket s = new DatagramSocket(0, host)) {
            s.send(new DatagramPacket(syn.array(), 20, host, port));
            s.setSoTimeout((int) Math.max(1, wait.toMillis()));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            try {
                s.receive(reply);
                return reply.getLength() >= 20 && (reply.getData()[0] & 0x0f) == 1;
            } catch (SocketTimeoutException silent) {
                return false;
            }
        }
    }
}
