package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.Settings;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.engine.time.ManualLoop;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The peer protocol as tables, without a socket or a session: messages in, messages out, what
 * it asks of its torrent. Pieces are written as strings ({@code "1100"}: we have pieces 0 and 1).
 */
class PeerConnectionTest {
    private static final int PIECES = 4;
    private static final int PIECE_SIZE = 32768; // two blocks

    /** The torrent side: what we have and want, and a log of what the peer asked of it. */
    static final class Host implements PeerHost {
        final BitSet have;
        final BitSet want;
        final List<String> log = new ArrayList<>();
        /** Virtual time that never moves unless a test moves it; timers wait for that. */
        final ManualLoop loop = new ManualLoop();
        final int pieces;

        Host(String have) {
            this(have, PIECES);
        }

        /** A torrent of {@code pieces} pieces, none had, all wanted. */
        Host(int pieces) {
            this("", pieces);
        }

        private Host(String have, int pieces) {
            this.pieces = pieces;
            this.have = bits(have);
            this.want = new BitSet();
            this.want.set(0, pieces);
            this.want.andNot(this.have);
        }

        @Override
        public Loop owner() {
            return loop;
        }

        @Override
        public long now() {
            return loop.nanoTime();
        }

        @Override
        public Settings settings() {
            return Settings.builder().build();
        }

        @Override
        public String name() {
            return "t";
        }

        @Override
        public Handshake ourHandshake() {
            return handshake(true);
        }

        @Override
        public boolean hasMetadata() {
            return true;
        }

        @Override
        public int pieceCount() {
            return pieces;
        }

        @Override
        public long pieceSize(int piece) {
            return PIECE_SIZE;
        }

        @Override
        public int blockLength(PiecePicker.Block b) {
            return PiecePicker.BLOCK;
        }

        @Override
        public boolean havePiece(int piece) {
            return have.get(piece);
        }

        @Override
        public boolean wantPiece(int piece) {
            return want.get(piece);
        }

        @Override
        public List<PiecePicker.Block> pick(BlockSource p, BitSet from, int max) {
            List<PiecePicker.Block> out = new ArrayList<>();
            BitSet candidates = (BitSet) from.clone();
            candidates.and(want);
            for (int piece = candidates.nextSetBit(0); piece >= 0 && out.size() < max; piece = candidates.nextSetBit(piece + 1)) {
                for (int b = 0; b < 2 && out.size() < max; b++) {
                    out.add(new PiecePicker.Block(piece, b));
                }
                want.clear(piece); // asked once
            }
            log.add("pick " + out.size());
            return out;
        }

        @Override
        public void unrequest(BlockSource requester, PiecePicker.Block b) {
            log.add("unrequest " + b.piece() + "/" + b.index());
        }

        @Override
        public void blockReceived(BlockSource from, PiecePicker.Block block, PeerMessage.Piece data, boolean requested) {
            log.add("block " + block.piece() + "/" + block.index());
            data.release();
        }

        @Override
        public void unrequestedBlock(int length) {
            log.add("unrequested block");
        }

        /** Errors the next reads end with, one each, before reads succeed again. */
        final java.util.ArrayDeque<IOException> readErrors = new java.util.ArrayDeque<>();
        /** Errors {@link #retryLater} says may be tried again (memory was short). */
        final List<IOException> retryable = new ArrayList<>();

        @Override
        public void readBlock(PeerMessage.Request r, BiConsumer<PeerMessage.Piece, IOException> done) {
            IOException e = readErrors.poll();
            if (e != null) {
                done.accept(null, e);
                return;
            }
            done.accept(new PeerMessage.Piece(r.piece(), r.begin(), Unpooled.buffer(r.length()).writeZero(r.length())), null);
        }

        @Override
        public boolean retryLater(IOException readError) {
            return retryable.contains(readError);
        }

        @Override
        public long uploadDelay() {
            return 0;
        }

        @Override
        public void consumeUpload(long bytes) {
        }

        @Override
        public void uploaded(long bytes) {
        }

        @Override
        public long consumeDownload(long bytes) {
            return 0;
        }

        @Override
        public boolean diskBackedUp() {
            return false;
        }

        @Override
        public void storageError(String message) {
            log.add("storage error");
        }

        @Override
        public void peerHasPieces(PeerConnection p, BitSet pieces) {
            log.add("has " + pieces);
            BitSet interesting = (BitSet) p.has.clone();
            interesting.and(want);
            p.setInterested(!interesting.isEmpty());
        }

        @Override
        public void peerHasPiece(PeerConnection p, int piece) {
            log.add("has " + piece);
            if (want.get(piece)) {
                p.setInterested(true);
            }
        }

        @Override
        public void peerInterestChanged(PeerConnection p) {
            log.add("interested " + p.peerInterested);
        }

        @Override
        public void peerClosed(PeerConnection p, String reason) {
            log.add("closed: " + reason);
        }

        @Override
        public void extensionMessage(PeerConnection p, int id, byte[] payload) {
            log.add("extension message " + id);
        }

        @Override
        public void ban(PeerConnection p, String reason) {
            log.add("ban: " + reason);
        }

        @Override
        public void extendedHandshake(PeerConnection p, ExtendedHandshake h) {
        }

        @Override
        public void dhtNode(InetSocketAddress node) {
        }
    }

    /** The wire side: what was sent, whether it is read from, whether it was closed. */
    static class Transport implements PeerTransport {
        final List<PeerMessage> sent = new ArrayList<>();
        boolean reading = true;
        boolean closed;
        boolean writable = true;

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("192.0.2.7", 6881);
        }

        @Override
        public void send(PeerMessage m) {
            sent.add(m);
        }

        @Override
        public void write(PeerMessage m) {
            sent.add(m);
        }

        @Override
        public void flush() {
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public void reading(boolean on) {
            reading = on;
        }

        @Override
        public boolean reading() {
            return reading;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void markJoined() {
        }

        @Override
        public long wireReceived() {
            return 0;
        }

        @Override
        public long wireSent() {
            return 0;
        }

        /** What was sent, as short names ("request 2/0", "reject 1/0", "piece 3/0", "interested"...), and cleared. */
        List<String> take() {
            List<String> out = new ArrayList<>();
            for (PeerMessage m : sent) {
                out.add(describe(m));
            }
            sent.clear();
            return out;
        }
    }

    private static String describe(PeerMessage m) {
        if (m instanceof PeerMessage.Request r) {
            return "request " + r.piece() + "/" + r.begin() / PiecePicker.BLOCK;
        } else if (m instanceof PeerMessage.RejectRequest r) {
            return "reject " + r.piece() + "/" + r.begin() / PiecePicker.BLOCK;
        } else if (m instanceof PeerMessage.Piece p) {
            p.release();
            return "piece " + p.piece() + "/" + p.begin() / PiecePicker.BLOCK;
        } else if (m instanceof PeerMessage.Cancel c) {
            return "cancel " + c.piece() + "/" + c.begin() / PiecePicker.BLOCK;
        } else if (m instanceof PeerMessage.Interested) {
            return "interested";
        } else if (m instanceof PeerMessage.NotInterested) {
            return "not interested";
        } else if (m instanceof PeerMessage.Choke) {
            return "choke";
        } else if (m instanceof PeerMessage.Unchoke) {
            return "unchoke";
        }
        return m.getClass().getSimpleName();
    }

    static BitSet bits(String s) {
        return io.jtorrent.testkit.Bits.of(s);
    }

    static Handshake handshake(boolean fast) {
        byte[] reserved = new byte[8];
        reserved[Handshake.EXTENSION_PROTOCOL_BYTE] |= Handshake.EXTENSION_PROTOCOL_MASK;
        if (fast) {
            reserved[Handshake.FAST_BYTE] |= Handshake.FAST_MASK;
        }
        return new Handshake(reserved, InfoHash.v1Of(new byte[] {1}), new byte[20]);
    }

    private final Transport transport = new Transport();

    private PeerConnection peer(Host host, boolean fast) {
        return new PeerConnection(host, transport, handshake(fast), false, 0);
    }

    private static PeerMessage.Request request(int piece, int block) {
        return new PeerMessage.Request(piece, block * PiecePicker.BLOCK, PiecePicker.BLOCK);
    }

    @Test
    void requestsWhileChokedAreRejectedExceptAllowedFastOnes() {
        Host host = new Host("1111");
        PeerConnection p = peer(host, true);
        p.allowedFastForPeer.set(3);
        p.handle(request(1, 0)); // we choke it (the start): rejected
        p.handle(request(3, 1)); // allowed fast: served while choked
        assertThat(transport.take()).containsExactly("reject 1/0", "piece 3/1");
        p.setChoking(false);
        p.handle(request(1, 0));
        assertThat(transport.take()).containsExactly("unchoke", "piece 1/0");
    }

    @Test
    void aReadThatFoundNoMemoryIsReadAgainLaterAndIsNoStorageError() {
        Host host = new Host("1111");
        host.loop.advance(1L << 50); // a clock far from zero, as System.nanoTime's often is
        IOException noMemory = new IOException("out of memory: Cannot reserve 4194304 bytes of direct buffer memory");
        host.readErrors.add(noMemory);
        host.retryable.add(noMemory);
        PeerConnection p = peer(host, true);
        p.setChoking(false);
        transport.take();
        p.handle(request(1, 0));
        p.handle(request(2, 0));
        assertThat(transport.take()).as("the first read failed: reads wait a while").isEmpty();
        host.loop.advance(Uploads.RETRY_NANOS - 1);
        assertThat(transport.take()).isEmpty();
        host.loop.advance(1);
        assertThat(transport.take()).as("then both, in order").containsExactly("piece 1/0", "piece 2/0");
        assertThat(host.log).doesNotContain("storage error");
        assertThat(transport.closed).isFalse();
    }

    @Test
    void aReadThatTheDiskFailedIsAStorageError() {
        Host host = new Host("1111");
        host.loop.advance(1L << 50);
        host.readErrors.add(new IOException("Input/output error"));
        PeerConnection p = peer(host, true);
        p.setChoking(false);
        transport.take();
        p.handle(request(1, 0));
        assertThat(host.log).contains("storage error");
        host.loop.advance(Uploads.RETRY_NANOS);
        assertThat(transport.take()).as("not read again").isEmpty();
    }

    @Test
    void aRequestForAPieceWeLackIsRejectedOrWithoutTheFastExtensionIgnored() {
        Host host = new Host("1100");
        PeerConnection fast = peer(host, true);
        fast.setChoking(false);
        transport.take();
        fast.handle(request(2, 0));
        assertThat(transport.take()).containsExactly("reject 2/0");
        PeerConnection plain = new PeerConnection(host, transport, handshake(false), false, 0);
        plain.setChoking(false);
        transport.take();
        plain.handle(request(2, 0));
        assertThat(transport.take()).as("BEP 3: dropped without a word").isEmpty();
        assertThat(transport.closed).isFalse();
    }

    @Test
    void haveThenALateBitfieldInterestUnchokeRequestsAndAChokeGivesThemBack() {
        Host host = new Host("1000");
        PeerConnection p = peer(host, true);
        p.handle(new PeerMessage.Have(0)); // a piece we have: no interest
        assertThat(transport.take()).isEmpty();
        p.handle(PeerMessage.Bitfield.of(bits("0110"), PIECES)); // late, after a have: added to what we knew
        assertThat(p.has).isEqualTo(bits("1110"));
        assertThat(transport.take()).containsExactly("interested");
        p.handle(PeerMessage.Unchoke.INSTANCE);
        assertThat(transport.take()).containsExactly("request 1/0", "request 1/1", "request 2/0", "request 2/1");
        p.handle(PeerMessage.Choke.INSTANCE); // BEP 6: not in the allowed-fast set, so given to others at once
        assertThat(host.log).contains("unrequest 1/0", "unrequest 1/1", "unrequest 2/0", "unrequest 2/1");
        // a block that was given up may still arrive, and is taken; one never asked for is not
        p.handle(new PeerMessage.Piece(1, 0, Unpooled.buffer(PiecePicker.BLOCK).writeZero(PiecePicker.BLOCK)));
        p.handle(new PeerMessage.Piece(3, 0, Unpooled.buffer(PiecePicker.BLOCK).writeZero(PiecePicker.BLOCK)));
        assertThat(host.log).contains("block 1/0", "unrequested block");
        assertThat(host.log).doesNotContain("block 3/0");
    }

    @Test
    void aPeerThatSendsNothingForTheRequestTimeoutIsSnubbedItsRequestsCancelledAndGivenBack() {
        Host host = new Host("0000");
        PeerConnection p = peer(host, true);
        p.handle(PeerMessage.Bitfield.of(bits("1111"), PIECES));
        p.handle(PeerMessage.Unchoke.INSTANCE);
        assertThat(transport.take()).containsExactly("interested", "request 0/0", "request 0/1", "request 1/0",
                "request 1/1", "request 2/0", "request 2/1", "request 3/0", "request 3/1");
        long timeout = host.settings().requestTimeout.toNanos();
        p.requests.checkRequests(host.now() + timeout, timeout);
        assertThat(p.requests.snubbed).isFalse();
        host.want.set(0, PIECES); // the picker may hand the blocks out again
        p.requests.checkRequests(host.now() + timeout + 1, timeout);
        assertThat(p.requests.snubbed).isTrue();
        assertThat(host.log).contains("unrequest 0/0", "unrequest 3/1");
        // cancelled, so that a peer that was only slow does not send them twice; then one request at a time
        assertThat(transport.take()).containsExactly("cancel 0/0", "cancel 0/1", "cancel 1/0", "cancel 1/1",
                "cancel 2/0", "cancel 2/1", "cancel 3/0", "cancel 3/1", "request 0/0");
        // that request has a whole timeout: not cancelled at the next second's check
        p.requests.checkRequests(host.now() + timeout + 1 + 1_000_000_000L, timeout);
        assertThat(transport.take()).isEmpty();
        // a block asked for before the snub still arrives late: taken, and the peer is no longer snubbing
        p.handle(new PeerMessage.Piece(1, 0, Unpooled.buffer(PiecePicker.BLOCK).writeZero(PiecePicker.BLOCK)));
        assertThat(host.log).contains("block 1/0");
        assertThat(p.requests.snubbed).isFalse();
    }

    @Test
    void anAllowedFastPieceTheChokingPeerRejectsIsNotAskedForAgain() {
        Host host = new Host("0000");
        PeerConnection p = peer(host, true);
        p.handle(PeerMessage.Bitfield.of(bits("1111"), PIECES));
        p.handle(new PeerMessage.AllowedFast(2));
        assertThat(transport.take()).containsExactly("interested", "request 2/0", "request 2/1");
        p.handle(new PeerMessage.RejectRequest(2, 0, PiecePicker.BLOCK)); // a seed that gave piece 2 to others already
        p.handle(new PeerMessage.RejectRequest(2, PiecePicker.BLOCK, PiecePicker.BLOCK));
        assertThat(p.allowedFast.get(2)).isFalse();
        assertThat(transport.take()).as("no request until it unchokes us").isEmpty();
    }

    @Test
    void aChokeTakesThePeersSuggestionsBack() {
        Host host = new Host("0000");
        PeerConnection p = peer(host, true);
        p.handle(new PeerMessage.SuggestPiece(3));
        p.handle(new PeerMessage.SuggestPiece(1));
        assertThat(p.suggested()).containsExactly(3, 1);
        p.handle(PeerMessage.Choke.INSTANCE);
        assertThat(p.suggested()).isEmpty();
    }

    @Test
    void aPeerIsHeldToItsLatestSuggestions() {
        Host host = new Host(200);
        PeerConnection p = peer(host, true);
        for (int piece = 0; piece < 150; piece++) {
            p.handle(new PeerMessage.SuggestPiece(piece));
        }
        p.handle(new PeerMessage.SuggestPiece(149)); // again: not counted twice
        java.util.List<Integer> latest = new java.util.ArrayList<>();
        for (int piece = 150 - PeerConnection.MAX_SUGGESTED; piece < 150; piece++) {
            latest.add(piece);
        }
        assertThat(p.suggested()).as("the oldest dropped").containsExactlyElementsOf(latest);
    }

    @Test
    void aPeerThatKeepsAskingInVainIsClosed() {
        Host host = new Host("0000");
        PeerConnection p = peer(host, true);
        for (int i = 0; i <= PeerConnection.MAX_REJECTS; i++) {
            p.handle(request(i % PIECES, 0));
        }
        assertThat(transport.closed).isTrue();
        assertThat(host.log).anyMatch(l -> l.startsWith("closed: ") && l.contains("could not serve"));
    }

    @Test
    void aPeerWeCannotWriteToIsNotReadFrom() {
        Host host = new Host("1111");
        PeerConnection p = peer(host, true);
        transport.writable = false;
        p.writabilityChanged();
        assertThat(transport.reading).isFalse();
        transport.writable = true;
        p.writabilityChanged();
        assertThat(transport.reading).isTrue();
    }

    @Test
    void messagesOfTheFastExtensionWithoutItCloseTheConnection() {
        Host host = new Host("0000");
        PeerConnection p = new PeerConnection(host, transport, handshake(false), false, 0);
        p.handle(PeerMessage.HaveAll.INSTANCE);
        assertThat(transport.closed).isTrue();
        assertThat(host.log).anyMatch(l -> l.contains("protocol violation"));
    }
}
