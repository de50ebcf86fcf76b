package io.jtorrent.wire.utp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The uTP header, both ways, and every malformed datagram a peer can send refused with a reason. */
class UtpPacketTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void encodeAndDecodeAgreeWithTheHeaderLayout() throws Exception {
        UtpPacket p = new UtpPacket(UtpPacket.Type.DATA, 0x1234, 0x01020304L, 0x0a0b0c0dL, 1 << 20, 0xfffe, 7,
                new byte[] {1, 0, 0, 0}, new byte[] {'h', 'i'});
        byte[] wire = p.encode();
        // type 0 / version 1, extension 1 (selective ack), id, timestamps, window, seq, ack; then the extension and payload
        assertThat(HexFormat.of().formatHex(wire))
                .isEqualTo("0101" + "1234" + "01020304" + "0a0b0c0d" + "00100000" + "fffe" + "0007" + "0004" + "01000000" + "6869");
        assertThat(UtpPacket.decode(wire, 0, wire.length)).isEqualTo(p);
        assertThat(UtpPacket.looksLikeUtp(wire, 0, wire.length)).isTrue();
        byte[] krpc = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe".getBytes();
        assertThat(UtpPacket.looksLikeUtp(krpc, 0, krpc.length)).as("a DHT query is not uTP").isFalse();
    }

    @Test
    void unknownExtensionsAreSkipped() throws Exception {
        // extension 7 (unknown, 2 bytes) then selective ack
        byte[] wire = hex("2107 0001 00000000 00000000 00000400 0005 0004 0102 aabb 0004 02000000");
        UtpPacket p = UtpPacket.decode(wire, 0, wire.length);
        assertThat(p.type()).isEqualTo(UtpPacket.Type.STATE);
        assertThat(p.selectiveAck()).containsExactly(2, 0, 0, 0);
    }

    /**
     * libtorrent sizes its selective ack to the bits it needs, not to BEP 29's multiple of four:
     * DATA packets (its requests) came with masks of 1, 17 and 36 bytes. Each is read, and the
     * packet's payload with it.
     */
    @Test
    void aSelectiveAckOfAnyLengthIsRead() throws Exception {
        String header = "00000000 00000000 00100000 0009 0004";
        for (int length : new int[] {1, 3, 17, 36, 255}) {
            String mask = "80" + "00".repeat(length - 1); // bit 7: ack + 2 + 7
            byte[] wire = hex("0101 0001 " + header + String.format(" 00%02x ", length) + mask + " 6869");
            UtpPacket p = UtpPacket.decode(wire, 0, wire.length);
            assertThat(p.type()).isEqualTo(UtpPacket.Type.DATA);
            assertThat(p.selectiveAck()).hasSize(length).startsWith((byte) 0x80);
            assertThat(p.payload()).containsExactly('h', 'i');
            assertThat(UtpPacket.decode(p.encode(), 0, wire.length)).isEqualTo(p);
        }
        byte[] empty = hex("0101 0001 " + header + " 0000 6869");
        assertThat(UtpPacket.decode(empty, 0, empty.length).selectiveAck()).as("an empty mask is none").isNull();
    }

    @Test
    void malformedDatagramsAreRefused() {
        String header = "00000000 00000000 00000400 0005 0004";
        for (String[] c : new String[][] {
                {"2100 0001", "shorter than its header"},
                {"2200 0001 " + header, "version 2"},
                {"7100 0001 " + header, "type 7"},
                {"2101 0001 " + header + " 0008 01", "extension of 8 bytes"},
                {"2101 0001 " + header + " 01", "cut short"},
                {"2102 0001 " + header + " 0200 0200 0200 0200 0200 0200 0200 0200 0200", "more than 8"},
                {"2100 0001 " + header + " 6869", "STATE packet with a payload"},
        }) {
            byte[] wire = hex(c[0]);
            assertThatThrownBy(() -> UtpPacket.decode(wire, 0, wire.length)).as(c[0]).isInstanceOf(UtpException.class)
                    .hasMessageContaining(c[1]);
        }
    }
}
