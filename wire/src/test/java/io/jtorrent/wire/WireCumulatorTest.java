package io.jtorrent.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The decoder's cumulation ({@link WireCumulator}): no copy for large reads, bounded for small ones, nothing lost or leaked. */
class WireCumulatorTest {
    private static final Handshake HANDSHAKE = new Handshake(new byte[8], InfoHash.v1(new byte[20]), new byte[20]);

    private static byte[] encode(List<Object> messages) {
        EmbeddedChannel ch = new EmbeddedChannel(PeerWireEncoder.INSTANCE);
        messages.forEach(ch::writeOutbound);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            all.writeBytes(b);
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    /** A direct buffer holding exactly {@code bytes[from, to)}: no room to append in place. */
    private static ByteBuf exact(byte[] bytes, int from, int to) {
        ByteBuf b = Unpooled.directBuffer(to - from, to - from);
        b.writeBytes(bytes, from, to - from);
        return b;
    }

    private static PeerWireDecoder afterHandshake(EmbeddedChannel ch) {
        PeerWireDecoder decoder = ch.pipeline().get(PeerWireDecoder.class);
        ch.writeInbound(Unpooled.wrappedBuffer(encode(List.of(HANDSHAKE))));
        assertThat((Object) ch.readInbound()).isEqualTo(HANDSHAKE);
        return decoder;
    }

    @Test
    void aBlockSplitOverTwoLargeReadsIsHandedOnWithoutACopy() {
        byte[] block = new byte[PeerMessage.MAX_BLOCK];
        new Random(3).nextBytes(block);
        byte[] stream = encode(List.of(new PeerMessage.Piece(4, 0, Unpooled.wrappedBuffer(block)), PeerMessage.Unchoke.INSTANCE));
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        afterHandshake(ch);
        int split = 8000;
        ByteBuf first = exact(stream, 0, split);
        ByteBuf second = exact(stream, split, stream.length);
        second.retain(); // kept to write into after the decoder took it
        ch.writeInbound(first);
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(second);
        PeerMessage.Piece piece = ch.readInbound();
        assertThat((Object) ch.readInbound()).isEqualTo(PeerMessage.Unchoke.INSTANCE);
        // the block's second part is the read's own memory: a byte changed there shows in the block
        int at = 12_000; // a payload offset inside the second read
        int inSecond = 13 + at - split;
        second.setByte(inSecond, ~block[at]);
        assertThat(piece.data().getByte(piece.data().readerIndex() + at)).isEqualTo((byte) ~block[at]);
        piece.release();
        second.release();
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLargeMessageTrickledInSmallAndLargeReadsIsHeldInFewPartsAndLittleRoom() {
        byte[] payload = new byte[PeerWireDecoder.MAX_EXTENDED_BYTES];
        new Random(4).nextBytes(payload);
        byte[] stream = encode(List.of(new PeerMessage.Extended(7, payload)));
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        PeerWireDecoder decoder = afterHandshake(ch);
        Random sizes = new Random(5);
        int at = 0;
        int reads = 0;
        while (at < stream.length) {
            // an attacker's mix: single bytes, just under and just over the no-copy size, whole segments
            int[] choices = {1, 7, WireCumulator.MIN_PART - 1, WireCumulator.MIN_PART, 1448, 9000};
            int n = Math.min(stream.length - at, choices[sizes.nextInt(choices.length)]);
            ch.writeInbound(exact(stream, at, at + n));
            at += n;
            reads++;
            if (at < stream.length) {
                int[] held = decoder.held();
                assertThat(held[0]).as("bytes held after %d reads", reads).isEqualTo(at);
                assertThat(held[1]).as("parts after %d reads", reads).isLessThanOrEqualTo(WireCumulator.MAX_PARTS);
                assertThat(held[2]).as("room after %d reads", reads).isLessThanOrEqualTo(2 * held[0] + 64);
            }
        }
        PeerMessage.Extended m = ch.readInbound();
        assertThat(m.payload()).isEqualTo(payload);
        assertThat(ch.finish()).isFalse();
    }

    /**
     * Any stream of messages, cut into reads of any sizes (small and large mixed), with some blocks
     * kept while later reads arrive (as pieces being assembled keep them): every message comes out
     * whole and in order, a kept block still holds its bytes when it is let go, and once all are
     * released no read's buffer is left held.
     */
    @Property(tries = 60)
    void messagesSurviveAnyReadsAndNothingLeaks(@ForAll @IntRange(min = 1, max = 40) int blocks,
                                                @ForAll long seed) {
        Random r = new Random(seed);
        List<Object> sent = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            byte[] block = new byte[1 + r.nextInt(PeerMessage.MAX_BLOCK)];
            r.nextBytes(block);
            payloads.add(block);
            sent.add(new PeerMessage.Piece(i, 0, Unpooled.wrappedBuffer(block)));
            if (r.nextInt(3) == 0) {
                sent.add(new PeerMessage.Have(i));
            }
        }
        byte[] stream = encode(sent);
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        afterHandshake(ch);
        List<ByteBuf> reads = new ArrayList<>();
        List<Object> got = new ArrayList<>();
        List<PeerMessage.Piece> kept = new ArrayList<>();
        for (int at = 0; at < stream.length; ) {
            int n = Math.min(stream.length - at, r.nextBoolean() ? 1 + r.nextInt(64) : 1 + r.nextInt(70_000));
            ByteBuf read = exact(stream, at, at + n);
            reads.add(read);
            ch.writeInbound(read);
            at += n;
            for (Object m; (m = ch.readInbound()) != null; ) {
                got.add(m);
                if (m instanceof PeerMessage.Piece p) {
                    assertThat(bytes(p)).as("block %d", p.piece()).isEqualTo(payloads.get(p.piece()));
                    if (r.nextBoolean()) {
                        kept.add(p); // held on while more arrives
                    } else {
                        p.release();
                    }
                } else {
                    assertThat(m).isEqualTo(sent.get(got.size() - 1));
                }
            }
            if (!kept.isEmpty() && r.nextInt(4) == 0) {
                PeerMessage.Piece p = kept.remove(r.nextInt(kept.size()));
                assertThat(bytes(p)).as("block %d, kept", p.piece()).isEqualTo(payloads.get(p.piece()));
                p.release();
            }
        }
        assertThat(got).hasSize(sent.size());
        for (PeerMessage.Piece p : kept) {
            assertThat(bytes(p)).as("block %d, kept to the end", p.piece()).isEqualTo(payloads.get(p.piece()));
            p.release();
        }
        assertThat(ch.finish()).isFalse();
        assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    private static byte[] bytes(PeerMessage.Piece p) {
        byte[] data = new byte[p.length()];
        p.data().getBytes(p.data().readerIndex(), data);
        return data;
    }
}
