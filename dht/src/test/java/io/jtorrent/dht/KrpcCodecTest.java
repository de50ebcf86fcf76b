package io.jtorrent.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KrpcCodecTest {
    private static final Random R = new Random(1);
    private static final NodeId A = NodeId.random(R);
    private static final NodeId B = NodeId.random(R);
    private static final byte[] T = {'a', 'a'};

    @Test
    void everyMessageRoundTrips() throws Exception {
        List<KrpcMessage> messages = List.of(
                KrpcMessage.Query.ping(T, A),
                KrpcMessage.Query.findNode(T, A, B),
                KrpcMessage.Query.getPeers(T, A, B),
                KrpcMessage.Query.announcePeer(T, A, B, 6881, new byte[] {1, 2}, false),
                KrpcMessage.Query.announcePeer(T, A, B, 0, new byte[] {1, 2}, true),
                new KrpcMessage.Response(T, A, List.of(new NodeInfo(B, new InetSocketAddress("127.0.0.1", 1)),
                        new NodeInfo(B, new InetSocketAddress("::1", 2))),
                        List.of(new InetSocketAddress("127.0.0.2", 3), new InetSocketAddress("::1", 4)), new byte[] {9}, null),
                new KrpcMessage.Error(T, 203, "Protocol Error"));
        for (KrpcMessage m : messages) {
            assertThat(KrpcCodec.decode(KrpcCodec.encode(m))).isEqualTo(m);
        }
    }

    @Test
    void decodesBep5Examples() throws Exception {
        // the ping query and response of BEP 5, byte for byte
        KrpcMessage q = KrpcCodec.decode("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe".getBytes(StandardCharsets.US_ASCII));
        assertThat(q).isInstanceOf(KrpcMessage.Query.class);
        assertThat(((KrpcMessage.Query) q).method()).isEqualTo(KrpcMessage.Method.PING);
        KrpcMessage r = KrpcCodec.decode("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re".getBytes(StandardCharsets.US_ASCII));
        assertThat(((KrpcMessage.Response) r).sender()).isEqualTo(NodeId.of("mnopqrstuvwxyz123456".getBytes(StandardCharsets.US_ASCII)));
        KrpcMessage e = KrpcCodec.decode("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee".getBytes(StandardCharsets.US_ASCII));
        assertThat(((KrpcMessage.Error) e).code()).isEqualTo(201);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:q          | 203 | invalid bencode",
        "li1ee                                                              | 203 | not a dictionary",
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe                  | 203 | transaction id",
        "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe                              | 203 | 'id' must be 20 bytes",
        "d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe                               | 203 | missing or malformed 'id'",
        "d1:ad2:id20:abcdefghij0123456789e1:q6:vote!!1:t2:aa1:y1:qe          | 204 | method unknown",
        "d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:aa1:y1:qe       | 203 | 'target'",
        "d1:rd2:id20:abcdefghij01234567895:nodes5:abcdee1:t2:aa1:y1:re      | 203 | not a multiple of 26",
        "d1:t2:aa1:y1:ze                                                     | 203 | unknown message type",
        "d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe | 203 | bad port",
        "d1:t17:aaaaaaaaaaaaaaaaa1:y1:qe                                     | 203 | transaction id of 17 bytes",
    })
    void malformedPacketsAreRefusedWithACode(String packet, int code, String message) {
        assertThatThrownBy(() -> KrpcCodec.decode(packet.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(KrpcException.class).hasMessageContaining(message)
                .matches(t -> ((KrpcException) t).code() == code);
    }

    @Test
    void hugeFieldsAreBounded() throws Exception {
        byte[] big = new byte[2000];
        assertThatThrownBy(() -> KrpcCodec.decode(big)).hasMessageContaining("datagram of 2000 bytes");
        // 50 nodes fit in a datagram; we keep them (MAX_NODES 64) but never more
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            nodes.append("abcdefghij0123456789").append("\u007f\0\0\u0001").append("\u0000\u0001");
        }
        String packet = "d1:rd2:id20:abcdefghij01234567895:nodes" + nodes.length() + ":" + nodes + "e1:t2:aa1:y1:re";
        KrpcMessage.Response r = (KrpcMessage.Response) KrpcCodec.decode(packet.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.nodes()).hasSize(50);
        assertThat(KrpcCodec.transactionIdOf("d1:t2:xye".getBytes())).containsExactly('x', 'y');
        assertThat(KrpcCodec.transactionIdOf("garbage".getBytes())).isNull();
    }
}
