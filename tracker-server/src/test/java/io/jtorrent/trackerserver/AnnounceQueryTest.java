package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The one-pass announce parser reads what the general query-string parser reads: the same values
 * for every way of escaping them, and the same refusals.
 */
class AnnounceQueryTest {
    private static final String ID = "-AA0001-aaaaaaaaaaaa";
    private static final String HASH = "%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20";

    @Test
    void escapedNamesPlusSignsAndEscapedDigitsAreRead() throws Exception {
        AnnounceQuery a = AnnounceQuery.parse("info%5Fhash=" + HASH + "&peer_id=-AA0001-aaaaaaa+aaaa&p%6Frt=%36%38%38%31"
                + "&left=0&numwant=999&compact=0&event=started&key=x&&");
        assertThat(a.infoHash).hasSize(20).startsWith(1, 2, 3);
        assertThat(new String(a.peerId, StandardCharsets.ISO_8859_1)).isEqualTo("-AA0001-aaaaaaa aaaa");
        assertThat(a.port).isEqualTo(6881);
        assertThat(a.left).isZero();
        assertThat(a.numWant).isEqualTo(TrackerServer.MAX_NUMWANT);
        assertThat(a.compact).isFalse();
        assertThat(a.event).isEqualTo(SwarmStore.Event.STARTED);
        AnnounceQuery b = AnnounceQuery.parse("/announce?info_hash=" + HASH + "&peer_id=" + ID + "&port=1", "/announce?".length());
        assertThat(b.compact).isTrue();
        assertThat(b.numWant).isEqualTo(TrackerServer.DEFAULT_NUMWANT);
        assertThat(b.left).isEqualTo(-1);
    }

    @Test
    void refusalsNameTheirCause() {
        String ok = "info_hash=" + HASH + "&peer_id=" + ID;
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=99999999999999999999")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=9223372036854775808")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=%3")).hasMessageContaining("bad percent-escape");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=1&uploaded=-5")).hasMessageContaining("uploaded is not a number");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=0")).hasMessageContaining("invalid port 0");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok)).hasMessageContaining("missing port");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=1&event=" + "x".repeat(100))).hasMessageContaining("unknown event");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=1&k=\u00e9")).hasMessageContaining("non-ASCII");
        assertThatThrownBy(() -> AnnounceQuery.parse(ok + "&port=1" + "&a".repeat(QueryString.MAX_PARAMETERS))).hasMessageContaining("too many");
    }

    @Property(tries = 300)
    void readsWhatTheGeneralParserReads(@ForAll("queries") String query) {
        AnnounceQuery fast;
        try {
            fast = AnnounceQuery.parse(query);
        } catch (QueryString.BadRequest e) {
            fast = null;
        }
        byte[] hash = null;
        byte[] id = null;
        String port = null;
        boolean numbers = true; // every numeric parameter, the last or not, must be a number
        try {
            for (QueryString.Param p : QueryString.parse(query)) {
                String v = new String(p.value(), StandardCharsets.ISO_8859_1);
                switch (p.name()) {
                    case "info_hash" -> hash = p.value();
                    case "peer_id" -> id = p.value();
                    case "port" -> port = v;
                    default -> { }
                }
                if (p.name().equals("port") || p.name().equals("left")) {
                    numbers &= v.matches("[0-9]{1,18}");
                }
            }
        } catch (QueryString.BadRequest e) {
            assertThat(fast).as("the general parser refused %s", query).isNull();
            return;
        }
        boolean valid = numbers && hash != null && hash.length == 20 && id != null && id.length == 20 && port != null
                && port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
        assertThat(fast != null).as(query).isEqualTo(valid);
        if (fast != null) {
            assertThat(fast.infoHash).isEqualTo(hash);
            assertThat(fast.peerId).isEqualTo(id);
            assertThat(fast.port).isEqualTo(Long.parseLong(port));
        }
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.of("info_hash", "peer_id", "port", "left", "x", "info%5Fhash", "po%72t");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(20).map(AnnounceQueryTest::escapeSome),
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(22).map(AnnounceQueryTest::escapeSome),
                Arbitraries.integers().between(0, 70000).map(String::valueOf),
                Arbitraries.of("%zz", "%4", "+", "1%30", ""));
        Arbitrary<String> param = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        return param.list().ofMinSize(0).ofMaxSize(8).map(l -> String.join("&", l));
    }

    /** Escapes bytes as a client might: unreserved ones mostly as they are, the rest always. */
    private static String escapeSome(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (plain && i % 3 != 0) {
                s.append((char) c);
            } else if (c == ' ' && i % 2 == 0) {
                s.append('+');
            } else {
                s.append('%').append(String.format("%02X", c));
            }
        }
        return s.toString();
    }

}
