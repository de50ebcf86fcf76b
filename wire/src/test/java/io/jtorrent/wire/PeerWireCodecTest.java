package io.jtorrent.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerWireCodecTest {
    private static final Handshake HANDSHAKE = new Handshake(new byte[] {0, 0, 0, 0, 0, 0x10, 0, 5},
            InfoHash.v1(new byte[20]), "-JT0010-abcdefghijkl".getBytes());

    private static byte[] encode(Object... messages) {
        EmbeddedChannel ch = new EmbeddedChannel(PeerWireEncoder.INSTANCE);
        for (Object m : messages) {
            ch.writeOutbound(m);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    private static List<Object> allMessages() {
        byte[] block = new byte[PeerMessage.MAX_BLOCK];
        new Random(1).nextBytes(block);
        BitSet have = new BitSet();
        have.set(0);
        have.set(9);
        return List.of(HANDSHAKE, PeerMessage.KeepAlive.INSTANCE, PeerMessage.Choke.INSTANCE,
                PeerMessage.Unchoke.INSTANCE, PeerMessage.Interested.INSTANCE, PeerMessage.NotInterested.INSTANCE,
                new PeerMessage.Have(7), PeerMessage.Bitfield.of(have, 10), new PeerMessage.Request(1, 16384, 16384),
                new PeerMessage.Piece(3, 0, Unpooled.wrappedBuffer(block)), new PeerMessage.Cancel(1, 16384, 16384),
                new PeerMessage.Port(6881), PeerMessage.HaveAll.INSTANCE, PeerMessage.HaveNone.INSTANCE,
                new PeerMessage.SuggestPiece(5), new PeerMessage.RejectRequest(2, 32768, 100), new PeerMessage.AllowedFast(8),
                new PeerMessage.Extended(0, "d1:md11:ut_metadatai3eee".getBytes()), new PeerMessage.Extended(3, new byte[0]),
                new PeerMessage.HashRequest(ROOT, 2, 512, 512, 5, false), new PeerMessage.HashRequest(ROOT, 0, 4, 2, 0, true),
                new PeerMessage.Hashes(ROOT, 2, 0, 2, 3, new byte[32 * 4]));
    }

    private static final byte[] ROOT = new byte[32];

    static {
        new Random(2).nextBytes(ROOT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "hash request too short       | 00000030 15",
        "hashes without a hash        | 00000031 16",
        "hashes with half a hash      | 00000041 16",
        "hashes beyond the limit      | 00041031 16",
    })
    void malformedHashMessagesCostTheConnection(String what, String hex) {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(encode(HANDSHAKE)));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex(hex.replace(" ", "")))))
                .as(what).isInstanceOf(DecoderException.class);
    }

    @Test
    void aHashRequestForNothingIsRefusedAtDecoding() {
        byte[] bad = encode(new PeerMessage.HashRequest(ROOT, 2, 0, 2, 3, false));
        bad[bad.length - 9] = 0; // count 0
        bad[bad.length - 5] = 0;
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(encode(HANDSHAKE)));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad))).isInstanceOf(DecoderException.class)
                .hasMessageContaining("count 0");
    }

    @Test
    void aBatchOfHavesIsTheSameBytesAsTheHavesOneByOneAndPassesTheEncoderAsItIs() {
        int[] pieces = {7, 0, 65535, Integer.MAX_VALUE, 3};
        ByteBuf batch = PeerWireEncoder.haves(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, pieces, 4); // the first four
        byte[] expected = encode(new PeerMessage.Have(7), new PeerMessage.Have(0), new PeerMessage.Have(65535),
                new PeerMessage.Have(Integer.MAX_VALUE));
        assertThat(encode(batch)).isEqualTo(expected);
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(encode(HANDSHAKE)));
        ch.writeInbound(Unpooled.wrappedBuffer(expected));
        assertThat(drain(ch)).containsExactly(HANDSHAKE, new PeerMessage.Have(7), new PeerMessage.Have(0),
                new PeerMessage.Have(65535), new PeerMessage.Have(Integer.MAX_VALUE));
    }

    @Test
    void everyMessageSurvivesBeingSplitAtEveryByte() {
        byte[] stream = encode(allMessages().toArray());
        // a few split points per message are enough to cross every boundary: step through all of them
        for (int split = 0; split <= stream.length; split += split < 200 ? 1 : 997) {
            EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
            ch.writeInbound(Unpooled.wrappedBuffer(stream, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, split, stream.length - split));
            List<Object> decoded = drain(ch);
            assertThat(decoded).as("split at %d", split).hasSize(allMessages().size());
            assertThat(decoded.get(0)).isEqualTo(HANDSHAKE);
            PeerMessage.Piece piece = (PeerMessage.Piece) decoded.get(9);
            assertThat(piece.piece()).isEqualTo(3);
            assertThat(piece.length()).isEqualTo(PeerMessage.MAX_BLOCK);
            assertThat(decoded.subList(1, 9)).isEqualTo(allMessages().subList(1, 9));
            assertThat(decoded.subList(10, decoded.size())).isEqualTo(allMessages().subList(10, decoded.size()));
            decoded.forEach(io.netty.util.ReferenceCountUtil::release);
        }
    }

    @Test
    void byteByByte() {
        byte[] stream = encode(allMessages().toArray());
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        for (byte b : stream) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<Object> decoded = drain(ch);
        assertThat(decoded).hasSize(allMessages().size());
        decoded.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "00000002 0000                          | message id 0 with invalid length 2",
        "0000400a 07 00000000 00000000          | message id 7 with invalid length 16394",
        "0000000d 06 00000000 00000000 00004001 | block length 16385",
        "0000000d 06 00000000 00000000 00000000 | block length 0",
        "0000000e 06 00000000 00000000 00004000 00 | message id 6 with invalid length 14",
        "00040002 05                           | message id 5 with invalid length 262146",
        "00000005 04 ffffffff                  | have piece index 4294967295 out of range",
        "00000001 63                           | unknown message id 99",
        "00000001 14                           | message id 20 with invalid length 1",
        "00100003 14                           | message id 20 with invalid length 1048579",
        "00000002 0e 00                        | message id 14 with invalid length 2",
        "00000001 11                           | message id 17 with invalid length 1",
        "00000001 12                           | unknown message id 18",
        "00000009 07 00000000 00000000         | message id 7 with invalid length 9",
    })
    void malformedFramesCloseTheConnection(String hex, String reason) {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(handshakeBytes()));
        assertThat((Object) ch.readInbound()).isEqualTo(HANDSHAKE);
        byte[] frame = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(frame)))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aConnectionThatIsNotBitTorrentFailsAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes())))
                .isInstanceOf(DecoderException.class).hasMessageContaining("protocol name length 71");
    }

    @Test
    void aHugeLengthPrefixIsRefusedBeforeAnythingArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerWireDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(handshakeBytes()));
        ch.readInbound();
        // 2 GB declared piece message: refused from its 5-byte header
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7})))
                .isInstanceOf(DecoderException.class).hasMessageContaining("invalid length");
    }

    private static byte[] handshakeBytes() {
        return encode(HANDSHAKE);
    }

    @Test
    void bitfieldsAreCheckedAgainstThePieceCount() throws Exception {
        BitSet set = new BitSet();
        set.set(0);
        set.set(8);
        set.set(9);
        PeerMessage.Bitfield b = PeerMessage.Bitfield.of(set, 10);
        assertThat(b.bits()).containsExactly(0x80, 0xc0);
        assertThat(b.toBitSet(10)).isEqualTo(set);
        assertThatThrownBy(() -> b.toBitSet(9)).hasMessageContaining("spare bit 9 set");
        assertThatThrownBy(() -> b.toBitSet(17)).hasMessageContaining("expected 3");
    }

    @Test
    void handshakeFeatureBits() {
        assertThat(HANDSHAKE.supportsExtensionProtocol()).isTrue();
        assertThat(HANDSHAKE.supportsDht()).isTrue();
        assertThat(HANDSHAKE.supportsFast()).isTrue();
        assertThat(HANDSHAKE.peerIdText()).isEqualTo("-JT0010-abcdefghijkl");
    }
}
