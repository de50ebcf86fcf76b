package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InfoHashTest {
    @Test
    void hexAndBase32FormsDescribeTheSameHash() {
        InfoHash h = InfoHash.v1Of("d4:name1:ae".getBytes(StandardCharsets.US_ASCII));
        assertThat(h.hex()).hasSize(40).matches("[0-9a-f]+");
        assertThat(h.base32()).hasSize(32).matches("[A-Z2-7]+");
        assertThat(InfoHash.parse(h.hex())).isEqualTo(h);
        assertThat(InfoHash.parse(h.hex().toUpperCase())).isEqualTo(h);
        assertThat(InfoHash.parse(h.base32())).isEqualTo(h);
        assertThat(h.bytes()).hasSize(20);
    }

    @Test
    void knownVector() {
        // RFC 4648 test vector for base32, and SHA-1 of "abc"
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(InfoHash.v1Of("abc".getBytes(StandardCharsets.US_ASCII)).hex())
                .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    @Test
    void v2HashesAreDistinctFromV1() {
        byte[] info = "d4:name1:ae".getBytes(StandardCharsets.US_ASCII);
        InfoHash v2 = InfoHash.v2Of(info);
        assertThat(v2.version()).isEqualTo(InfoHash.Version.V2);
        assertThat(v2.hex()).hasSize(64);
        assertThat(v2.truncated20()).hasSize(20);
        assertThat(InfoHash.parse(v2.hex())).isEqualTo(v2);
        assertThat(v2).isNotEqualTo(InfoHash.v1Of(info));
    }

    @Test
    void badTextIsRejectedWithAReason() {
        assertThatThrownBy(() -> InfoHash.parse("abc")).hasMessageContaining("40 hex digits");
        assertThatThrownBy(() -> InfoHash.parse("g".repeat(40))).hasMessageContaining("not valid hex");
        assertThatThrownBy(() -> InfoHash.v1(new byte[19])).hasMessageContaining("20 bytes");
    }

    @Test
    void theSmallSha1AgreesWithTheJdksAtEveryPaddingBoundaryAndOnRandomInput() throws Exception {
        java.util.Random r = new java.util.Random(42);
        java.util.List<Integer> lengths = new java.util.ArrayList<>();
        for (int n = 0; n <= 300; n++) {
            lengths.add(n); // every place the 0x80 byte and the length can fall in the last one or two blocks
        }
        for (int i = 0; i < 50; i++) {
            lengths.add(r.nextInt(SmallSha1.MAX + 1));
        }
        lengths.add(SmallSha1.MAX);
        lengths.add(SmallSha1.MAX + 1); // the JDK's, through the same door
        for (int n : lengths) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            byte[] jdk = java.security.MessageDigest.getInstance("SHA-1").digest(data);
            assertThat(InfoHash.v1Of(data).bytes()).as("%d bytes", n).isEqualTo(jdk);
            if (n <= SmallSha1.MAX) {
                assertThat(SmallSha1.digest(data)).as("%d bytes", n).isEqualTo(jdk);
            }
        }
    }
}
