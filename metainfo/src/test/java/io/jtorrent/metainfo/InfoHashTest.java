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
}
