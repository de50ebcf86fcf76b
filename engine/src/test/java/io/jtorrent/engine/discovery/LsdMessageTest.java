package io.jtorrent.engine.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsdMessageTest {
    private static LsdMessage parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return LsdMessage.parse(b, b.length);
    }

    @Test
    void roundTripAndBep14Format() {
        InfoHash h = InfoHash.v1(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
        LsdMessage m = new LsdMessage(6881, List.of(h), "c00c1e");
        String text = new String(m.encode(), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: 0102")
                .endsWith("\r\n\r\n");
        LsdMessage back = parse(text);
        assertThat(back.port()).isEqualTo(6881);
        assertThat(back.infoHashes()).containsExactly(h);
        assertThat(back.cookie()).isEqualTo("c00c1e");
    }

    @Test
    void badAnnouncesAreRefusedWithAReason() {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n\r\n")).hasMessageContaining("not an LSD announce");
        assertThatThrownBy(() -> parse("BT-SEARCH * HTTP/1.1\r\nPort: x\r\n\r\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> parse("BT-SEARCH * HTTP/1.1\r\nPort: 70000\r\n\r\n")).hasMessageContaining("valid port");
        assertThatThrownBy(() -> parse("BT-SEARCH * HTTP/1.1\r\n" + "x".repeat(1500))).hasMessageContaining("1400");
        // hashes that are not 40 hex digits are skipped, not fatal
        assertThat(parse("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: zz\r\nInfohash: " + "ab".repeat(20) + "\r\n\r\n")
                .infoHashes()).hasSize(1);
    }
}
