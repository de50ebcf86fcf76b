package io.jtorrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeIdTest {
    /** BEP 42's examples: IP, random byte, the first 21 bits of the id (as 5 hex digits + 1 bit). */
    @ParameterizedTest(name = "{0} rand {1}")
    @CsvSource({
        "124.31.75.21, 1, 5fbfb",
        "21.75.31.124, 86, 5a3ce",
        "65.23.51.170, 22, a5d43",
        "84.124.73.14, 65, 1b032",
        "43.213.53.83, 90, e56f6",
    })
    void bep42Vectors(String ip, int rand, String prefix) throws Exception {
        // a random source that hands out the vector's byte first
        Random r = new Random() {
            private boolean first = true;

            @Override
            public int nextInt(int bound) {
                if (first) {
                    first = false;
                    return rand;
                }
                return super.nextInt(bound);
            }
        };
        NodeId id = NodeId.bep42(InetAddress.getByName(ip), r);
        String hex = HexFormat.of().formatHex(id.bytes());
        assertThat(hex).startsWith(prefix).endsWith(String.format("%02x", rand));
        assertThat(NodeId.bep42Valid(id, InetAddress.getByName(ip))).isTrue();
        assertThat(NodeId.bep42Valid(id, InetAddress.getByName("8.8.4.4"))).isFalse();
        assertThat(NodeId.bep42Valid(NodeId.random(new Random(1)), InetAddress.getByName("127.0.0.1"))).as("loopback exempt").isTrue();
    }

    @Test
    void distancesAndPrefixes() {
        Random r = new Random(4);
        NodeId a = NodeId.random(r);
        for (int p = 0; p < 160; p += 7) {
            assertThat(a.commonPrefixLength(a.randomWithPrefix(p, r))).isEqualTo(p);
        }
        NodeId near = a.randomWithPrefix(100, r);
        NodeId far = a.randomWithPrefix(3, r);
        assertThat(a.compareDistance(near, far)).isNegative();
        assertThat(a.commonPrefixLength(a)).isEqualTo(160);
    }
}
