package io.jtorrent.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtensionMessagesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void allowedFastSetMatchesTheVectorsOfBep6() throws Exception {
        byte[] hash = new byte[20];
        Arrays.fill(hash, (byte) 0xaa);
        InetAddress ip = InetAddress.getByName("80.4.4.200");
        assertThat(AllowedFastSet.compute(ip, hash, 1313, 7)).containsExactly(1059, 431, 808, 1217, 287, 376, 1188);
        assertThat(AllowedFastSet.compute(ip, hash, 1313, 9)).containsExactly(1059, 431, 808, 1217, 287, 376, 1188, 353, 508);
        // the same /24 gets the same set; a torrent smaller than k gets every piece
        assertThat(AllowedFastSet.compute(InetAddress.getByName("80.4.4.1"), hash, 1313, 7))
                .containsExactly(1059, 431, 808, 1217, 287, 376, 1188);
        assertThat(AllowedFastSet.compute(ip, hash, 3, 10)).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void extendedHandshakeRoundTrip() throws Exception {
        ExtendedHandshake h = new ExtendedHandshake(Map.of("ut_metadata", 2, "ut_pex", 1), Optional.of("jtorrent 0.1"),
                6881, 500, Optional.of(new byte[] {127, 0, 0, 1}), 31235, true);
        ExtendedHandshake back = ExtendedHandshake.decode(h.encode());
        assertThat(back.extensions()).isEqualTo(h.extensions());
        assertThat(back.client()).contains("jtorrent 0.1");
        assertThat(back.listenPort()).isEqualTo(6881);
        assertThat(back.requestQueue()).isEqualTo(500);
        assertThat(back.yourIp().get()).containsExactly(127, 0, 0, 1);
        assertThat(back.metadataSize()).isEqualTo(31235);
        assertThat(back.uploadOnly()).isTrue();
        assertThat(back.idOf("ut_metadata")).isEqualTo(2);
        assertThat(back.idOf("lt_donthave")).isZero();
    }

    @Test
    void extendedHandshakeIgnoresFieldsOfTheWrongTypeAndDisabledExtensions() throws Exception {
        // m with a disabled extension (0), a string id, an id over 255; p as a string; huge metadata_size kept for the caller to judge
        ExtendedHandshake h = ExtendedHandshake.decode(b("d1:md6:ut_hexi0e6:ut_pex3:abc8:ut_other" + "i300e11:ut_metadatai4ee"
                + "13:metadata_sizei99999999999e1:p4:6881e"));
        assertThat(h.extensions()).containsOnlyKeys("ut_metadata");
        assertThat(h.listenPort()).isZero();
        assertThat(h.metadataSize()).isEqualTo(99999999999L);
        assertThatThrownBy(() -> ExtendedHandshake.decode(b("li1ee"))).hasMessageContaining("a list where a dictionary belongs");
        assertThatThrownBy(() -> ExtendedHandshake.decode(b("d1:m"))).isInstanceOf(PeerProtocolException.class);
    }

    @Test
    void metadataMessages() throws Exception {
        byte[] data = new byte[MetadataMessage.PIECE_SIZE];
        data[5] = 9;
        MetadataMessage m = MetadataMessage.data(3, 100_000, data);
        assertThat(MetadataMessage.decode(m.encode())).isEqualTo(m);
        assertThat(MetadataMessage.decode(MetadataMessage.request(7).encode())).isEqualTo(MetadataMessage.request(7));
        assertThat(MetadataMessage.decode(MetadataMessage.reject(0).encode())).isEqualTo(MetadataMessage.reject(0));
        assertThat(new String(MetadataMessage.request(1).encode(), StandardCharsets.US_ASCII)).isEqualTo("d8:msg_typei0e5:piecei1ee");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "d8:msg_typei5e5:piecei0ee                      | unknown msg_type 5",
        "d8:msg_typei0e5:piecei1024ee                   | piece 1024 outside 0..1023",
        "d8:msg_typei0e5:piecei-1ee                     | piece -1 outside",
        "d8:msg_typei1e5:piecei0ee                      | data without an integer total_size",
        "d8:msg_typei1e5:piecei0e10:total_sizei16777217ee | total_size 16777217 outside",
        "d5:piecei0ee                                   | no integer msg_type",
        "i3e                                            | where a dictionary belongs",
    })
    void badMetadataMessages(String payload, String reason) {
        assertThatThrownBy(() -> MetadataMessage.decode(b(payload.strip()))).isInstanceOf(PeerProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aMetadataPieceLargerThan16KiBIsRefused() {
        byte[] header = b("d8:msg_typei1e5:piecei0e10:total_sizei40000ee");
        byte[] payload = Arrays.copyOf(header, header.length + MetadataMessage.PIECE_SIZE + 1);
        assertThatThrownBy(() -> MetadataMessage.decode(payload)).hasMessageContaining("16385 bytes");
    }

    @Test
    void pexRoundTrip() throws Exception {
        PexMessage m = new PexMessage(List.of(new PexMessage.Peer(new InetSocketAddress("127.0.0.1", 6881), PexMessage.FLAG_SEED),
                new PexMessage.Peer(new InetSocketAddress("::1", 7000), PexMessage.FLAG_REACHABLE)),
                List.of(new InetSocketAddress("10.0.0.2", 51413)));
        PexMessage back = PexMessage.decode(m.encode());
        assertThat(back.added()).containsExactlyElementsOf(m.added());
        assertThat(back.dropped()).containsExactly(new InetSocketAddress("10.0.0.2", 51413));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "d5:added5:abcdee                       | added of 5 bytes is not a multiple of 6",
        "d6:added617:aaaaaaaaaaaaaaaaae         | added6 of 17 bytes is not a multiple of 18",
        "d5:addedi3ee                           | added is not a byte string",
        "d7:dropped6:abcd" + "\u0000\u0000e    | port 0",
        "le                                     | where a dictionary belongs",
    })
    void malformedPexIsRefused(String payload, String reason) {
        assertThatThrownBy(() -> PexMessage.decode(b(payload.strip()))).isInstanceOf(PeerProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void pexListsAreBounded() throws Exception {
        String peers = "\u007f\u0000\u0000\u0001\u001a\u00e1".repeat(PexMessage.MAX_PEERS + 1);
        assertThatThrownBy(() -> PexMessage.decode(b("d5:added" + peers.length() + ":" + peers + "e")))
                .hasMessageContaining("201 peers, more than 200");
        // flags of the wrong length are ignored, the peers kept
        String one = "\u007f\u0000\u0000\u0001\u001a\u00e1";
        assertThat(PexMessage.decode(b("d5:added6:" + one + "7:added.f2:xxe")).added()).hasSize(1);
    }
}
