package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MagnetUriTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    @Test
    void parsesEveryParameter() throws Exception {
        MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btih:" + HEX.toUpperCase()
                + "&dn=My+Film%20(2020)&tr=http%3A%2F%2Ftracker.example%2Fannounce&tr.1=udp://t2.example:1337"
                + "&x.pe=127.0.0.1:6881&x.pe=[::1]:6882&ws=http://seed.example/f&so=0,2,4-6&unknown=x");
        assertThat(m.infoHash().hex()).isEqualTo(HEX);
        assertThat(m.displayName()).contains("My Film (2020)");
        assertThat(m.trackers()).containsExactly("http://tracker.example/announce", "udp://t2.example:1337");
        assertThat(m.peers()).containsExactly("127.0.0.1:6881", "[::1]:6882");
        assertThat(m.webSeeds()).containsExactly("http://seed.example/f");
        assertThat(m.selectOnly()).containsExactly(0, 2, 4, 5, 6);
    }

    @Test
    void base32HashesAreTheSameHash() throws Exception {
        InfoHash h = InfoHash.parse(HEX);
        MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btih:" + h.base32());
        assertThat(m.infoHash()).isEqualTo(h);
        assertThat(MagnetUri.parse("magnet:?xt=urn:btih:" + h.base32().toLowerCase()).infoHash()).isEqualTo(h);
    }

    @Test
    void formatsCanonically() throws Exception {
        MagnetUri m = new MagnetUri(InfoHash.parse(HEX), Optional.empty(), Optional.of("a b&c"),
                List.of("http://t.example/announce?x=1"), List.of("127.0.0.1:1"), List.of(), List.of(1, 2, 3, 7));
        assertThat(m.toString()).isEqualTo("magnet:?xt=urn:btih:" + HEX
                + "&dn=a%20b%26c&tr=http://t.example/announce%3Fx%3D1&x.pe=127.0.0.1:1&so=1-3,7");
        assertThat(MagnetUri.parse(m.toString())).isEqualTo(m);
    }

    @Test
    void keepsAV2HashBesideTheV1One() throws Exception {
        String v2 = "a".repeat(64);
        MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btmh:1220" + v2);
        assertThat(m.v2InfoHash().orElseThrow().hex()).isEqualTo(v2);
        assertThat(MagnetUri.parse(m.toString())).isEqualTo(m);
    }

    @Test
    void aV2OnlyLinkIsNamedByItsV2Hash() throws Exception {
        String v2 = "b".repeat(64);
        MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btmh:1220" + v2 + "&dn=x");
        assertThat(m.infoHash().version()).isEqualTo(InfoHash.Version.V2);
        assertThat(m.infoHash().hex()).isEqualTo(v2);
        assertThat(m.v2InfoHash()).contains(m.infoHash());
        assertThat(m.toString()).isEqualTo("magnet:?xt=urn:btmh:1220" + v2 + "&dn=x");
        assertThat(MagnetUri.parse(m.toString())).isEqualTo(m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://example.com                                 | must start with 'magnet:?'",
        "magnet:?dn=x                                       | no info-hash",
        "magnet:?xt=urn:btih:1234                           | 40 hex digits",
        "magnet:?xt=urn:btih:zz2fe1c06bba254a9dc9f519b335aa7c1367a88a | not valid hex",
        "magnet:?xt=urn:btih:0123456789012345678901234567890! | not base32",
        "magnet:?xt=urn:btmh:1320aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | 1220 followed by 64 hex",
        "magnet:?xt=urn:btmh:1220aaaa | 1220 followed by 64 hex",
        "magnet:?xt=urn:btmh:1220aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&xt=urn:btmh:1220aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | more than one urn:btmh",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=%zz | bad percent-escape",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=nohost | x.pe",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=h:99999 | x.pe",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=3-1 | so",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=0-2000000000 | so",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&tr | has no value",
    })
    void rejectsBadLinksClearly(String link, String problem) {
        assertThatThrownBy(() -> MagnetUri.parse(link)).isInstanceOf(MetainfoException.class).hasMessageContaining(problem);
    }

    @Property(tries = 300)
    void formatThenParseIsIdentity(@ForAll("magnets") MagnetUri m) throws Exception {
        assertThat(MagnetUri.parse(m.toString())).isEqualTo(m);
    }

    @Provide
    Arbitrary<MagnetUri> magnets() {
        Arbitrary<InfoHash> hashes = Arbitraries.bytes().array(byte[].class).ofSize(20).map(InfoHash::v1);
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(20)
                .filter(s -> s.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE));
        Arbitrary<List<String>> urls = text.map(s -> "http://h/" + s).list().uniqueElements().ofMaxSize(3);
        Arbitrary<List<Integer>> so = Arbitraries.integers().between(0, 50).set().ofMaxSize(5)
                .map(s -> s.stream().sorted().toList());
        return net.jqwik.api.Combinators.combine(hashes, text.optional(), urls, urls, so)
                .as((h, dn, tr, ws, sel) -> new MagnetUri(h, Optional.empty(), dn, tr, List.of(), ws, sel));
    }
}
