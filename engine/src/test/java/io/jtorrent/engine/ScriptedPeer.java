package io.jtorrent.engine;

import io.jtorrent.metainfo.InfoHash;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A peer driven step by step by a test over a plain socket: it dials a session, handshakes with
 * the extension and fast bits, and sends and reads raw messages, to show how the session treats
 * a peer that misbehaves. Every read is bounded by a timeout.
 */
final class ScriptedPeer implements AutoCloseable {
    /** A message read: its id (-1 for keep-alive) and payload. */
    record Message(int id, byte[] payload) {}

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    ScriptedPeer(int port, InfoHash infoHash) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
        byte[] reserved = new byte[8];
        reserved[5] = 0x10;
        reserved[7] = 0x04;
        out.writeByte(19);
        out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.write(reserved);
        out.write(infoHash.truncated20());
        out.write("-XX0001-scriptedpeer".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] theirs = new byte[68];
        in.readFully(theirs);
    }

    /** Writes bytes as they are (many messages at once), without waiting for anything. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(int id, byte[] payload) throws IOException {
        out.writeInt(1 + payload.length);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    void sendExtended(int extId, byte[] payload) throws IOException {
        byte[] p = new byte[payload.length + 1];
        p[0] = (byte) extId;
        System.arraycopy(payload, 0, p, 1, payload.length);
        send(20, p);
    }

    /** The next message, or null when the connection closed. */
    Message read() throws IOException {
        try {
            int length = in.readInt();
            if (length == 0) {
                return new Message(-1, new byte[0]);
            }
            int id = in.readUnsignedByte();
            byte[] payload = new byte[length - 1];
            in.readFully(payload);
            return new Message(id, payload);
        } catch (EOFException | java.net.SocketException e) {
            return null;
        }
    }

    /** Reads until an extended message with this id of ours (or null on close); throws on timeout. */
    Message readExtended(int ourId) throws IOException {
        while (true) {
            Message m = read();
            if (m == null || (m.id() == 20 && m.payload().length > 0 && m.payload()[0] == ourId)) {
                return m;
            }
        }
    }

    /** Whether the other side closes the connection within {@code timeout}. */
    boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (read() == null) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } finally {
                socket.setSoTimeout(10_000);
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
