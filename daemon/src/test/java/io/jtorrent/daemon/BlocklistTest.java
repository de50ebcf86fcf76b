package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Blocklists in the formats Transmission and qBittorrent read, plain or gzipped; bad lines skipped, limits kept. */
class BlocklistTest {
    private static final String TEXT = String.join("\n",
            "# a comment",
            "Some Org, Inc.:10.0.0.0-10.0.0.255",
            "Bad-Range Corp:192.168.1.10-192.168.1.20",
            "overlapping:10.0.0.200-10.0.1.10",
            "192.0.2.0 - 192.0.2.255 , 000 , DAT entry",
            "198.51.100.0 - 198.51.100.255 , 200 , DAT allow entry (skipped)",
            "v6 net:2001:db8::-2001:db8::ffff",
            "garbage line",
            "reversed:10.9.9.9-10.9.9.1",
            "a name:example.com-example.org",
            "");

    private static boolean has(Blocklist b, String ip) throws Exception {
        return b.contains(InetAddress.getByName(ip));
    }

    @Test
    void readsP2pAndDatLinesMergesRangesAndSkipsTheRest() throws Exception {
        Blocklist b = Blocklist.read(new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)));
        assertThat(b.size()).as("10.0.0.0/24 and its overlap merged").isEqualTo(4);
        assertThat(b.skipped()).isEqualTo(4); // garbage, reversed, names, the allow entry
        assertThat(has(b, "10.0.0.0")).isTrue();
        assertThat(has(b, "10.0.1.10")).isTrue();
        assertThat(has(b, "10.0.1.11")).isFalse();
        assertThat(has(b, "192.168.1.15")).isTrue();
        assertThat(has(b, "192.168.1.21")).isFalse();
        assertThat(has(b, "192.0.2.7")).isTrue();
        assertThat(has(b, "198.51.100.7")).isFalse();
        assertThat(has(b, "2001:db8::1234")).isTrue();
        assertThat(has(b, "2001:db8::1:0")).isFalse();
        assertThat(has(b, "9.255.255.255")).isFalse();
    }

    @Test
    void gzippedListsAreReadToo() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(TEXT.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Blocklist.read(new ByteArrayInputStream(gz.toByteArray())).size()).isEqualTo(4);
    }

    @Test
    void anOverlongLineIsSkippedNotFatal() throws Exception {
        String text = "x".repeat(Blocklist.MAX_LINE + 1) + ":1.2.3.4-1.2.3.5\nok:1.2.3.4-1.2.3.5\n";
        Blocklist b = Blocklist.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.skipped()).isEqualTo(1);
        assertThatThrownBy(() -> Blocklist.read(new java.io.InputStream() {
            @Override
            public int read() {
                return 'a'; // an endless line of text: refused past the byte limit
            }
        }, 1 << 20)).hasMessageContaining("bytes of text");
    }
}
