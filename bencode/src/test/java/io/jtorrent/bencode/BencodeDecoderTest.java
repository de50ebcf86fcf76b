package io.jtorrent.bencode;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeDecoderTest {

    private static BValue decode(String s) throws BencodeException {
        return BencodeDecoder.strict().decode(s.getBytes(ISO_8859_1));
    }

    @Test
    void decodesEveryKindOfValue() throws Exception {
        BValue v = decode("d3:bar4:spam3:fooi42e4:listli-7e0:ee");
        assertThat(v).isEqualTo(BDictionary.builder()
                .put("bar", "spam")
                .put("foo", 42)
                .put("list", BList.of(BInteger.of(-7), BBytes.of("")))
                .build());
    }

    @Test
    void integersCoverTheWhole64BitRange() throws Exception {
        assertThat(decode("i9223372036854775807e")).isEqualTo(BInteger.of(Long.MAX_VALUE));
        assertThat(decode("i-9223372036854775808e")).isEqualTo(BInteger.of(Long.MIN_VALUE));
        assertThat(decode("i0e")).isEqualTo(BInteger.of(0));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "i03e                    | 1  | leading zero",
        "i-0e                    | 0  | negative zero",
        "ie                      | 1  | no digits",
        "i-e                     | 2  | no digits",
        "i9223372036854775808e   | 0  | 64 bits",
        "i-9223372036854775809e  | 0  | 64 bits",
        "i99999999999999999999999e | 0 | 64 bits",
        "i12                     | 3  | end of input in integer",
        "i1x2e                   | 2  | found 'x'",
        "5:abc                   | 0  | exceeds the remaining input",
        "99999999999999999999:a  | 0  | exceeds the remaining input",
        "03:abc                  | 0  | leading zero",
        "3abc                    | 1  | expected ':'",
        "l                       | 1  | end of input in list",
        "li1e                    | 4  | end of input in list",
        "d                       | 1  | end of input in dictionary",
        "d3:foo                  | 6  | expected a value for key",
        "di1ei2ee                | 1  | expected a string key",
        "d1:b0:1:a0:e            | 6  | not in sorted order",
        "d1:a0:1:a0:e            | 6  | duplicate dictionary key",
        "x                       | 0  | expected 'i', 'l', 'd' or a digit",
        "i1ei2e                  | 3  | trailing data",
        "''                      | 0  | unexpected end of input",
    })
    void rejectsMalformedInputNamingTheOffset(String input, long offset, String problem) {
        assertThatThrownBy(() -> decode(input))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining(problem)
                .hasMessageStartingWith("at byte " + offset + ":")
                .extracting(e -> ((BencodeException) e).offset()).isEqualTo(offset);
    }

    @Test
    void hugeDeclaredLengthIsRefusedBeforeAllocating() {
        // 2 GB declared, 3 bytes present: an allocating decoder would fail with OutOfMemoryError
        assertThatThrownBy(() -> decode("2147483647:abc"))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("exceeds the remaining input");
    }

    @Test
    void deepNestingIsRefusedWithoutStackOverflow() {
        String deep = "l".repeat(10_000) + "e".repeat(10_000);
        assertThatThrownBy(() -> decode(deep))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("nesting deeper than 100 levels")
                .hasMessageStartingWith("at byte 100:");
        String deepDicts = "d1:a".repeat(10_000) + "i1e" + "e".repeat(10_000);
        assertThatThrownBy(() -> decode(deepDicts)).hasMessageContaining("nesting deeper");
    }

    @Test
    void nestingUpToTheLimitIsAccepted() throws Exception {
        String ok = "l".repeat(100) + "e".repeat(100);
        assertThat(decode(ok)).isInstanceOf(BList.class);
    }

    @Test
    void tokenAndSizeLimitsApply() {
        BencodeDecoder small = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT.withMaxTokens(10).withMaxInputBytes(64));
        String many = "l" + "i1e".repeat(20) + "e";
        assertThatThrownBy(() -> small.decode(many.getBytes(ISO_8859_1)))
                .hasMessageContaining("more than 10 values");
        assertThatThrownBy(() -> small.decode(("l" + "0:".repeat(40) + "e").getBytes(ISO_8859_1)))
                .hasMessageContaining("exceeds the limit of 64 bytes");
    }

    @Test
    void lenientModeAcceptsUnsortedKeysAndReportsThem() throws Exception {
        BencodeDecoder lenient = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT.withLenientKeyOrder(true));
        BencodeDecoder.Decoded d = lenient.decodeDocument("d1:b0:1:a0:e".getBytes(ISO_8859_1));
        assertThat(d.warnings()).singleElement().asString().contains("at byte 6", "not in sorted order");
        assertThat(((BDictionary) d.value()).entries().keySet()).containsExactly(BBytes.of("b"), BBytes.of("a"));
        // duplicates are never tolerated, even out of order
        assertThatThrownBy(() -> lenient.decode("d1:b0:1:a0:1:b0:e".getBytes(ISO_8859_1)))
                .hasMessageContaining("duplicate dictionary key");
        // the canonical re-encoding sorts the keys
        assertThat(new String(d.value().encode(), ISO_8859_1)).isEqualTo("d1:a0:1:b0:e");
    }

    @Test
    void spansAreTheExactInputBytes() throws Exception {
        byte[] input = "d4:infod1:b0:1:a0:e3:zzzi1ee".getBytes(ISO_8859_1);
        BencodeDecoder lenient = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT.withLenientKeyOrder(true));
        BDictionary top = (BDictionary) lenient.decode(input);
        BValue info = top.get("info").orElseThrow();
        Span span = info.span().orElseThrow();
        assertThat(new String(span.copyFrom(input), ISO_8859_1)).isEqualTo("d1:b0:1:a0:e");
        assertThat(top.span()).contains(new Span(0, input.length));
        assertThat(top.get("zzz").orElseThrow().span()).contains(new Span(input.length - 4, 3));
        assertThat(BInteger.of(1).span()).isEmpty();
    }

    @Test
    void decodePrefixLeavesTheRestAlone() throws Exception {
        byte[] input = "xxi42eyy".getBytes(ISO_8859_1);
        BencodeDecoder.Decoded d = BencodeDecoder.strict().decodePrefix(input, 2, 6);
        assertThat(d.value()).isEqualTo(BInteger.of(42));
        assertThat(d.length()).isEqualTo(4);
        assertThat(d.value().span()).contains(new Span(2, 4));
        assertThat(d.warnings()).isEqualTo(List.of());
    }

    @Test
    void binaryKeysSortUnsigned() throws Exception {
        // 0x7f sorts before 0x80 in unsigned order; a signed comparison would call this unsorted
        byte[] input = {'d', '1', ':', 0x7f, 'i', '1', 'e', '1', ':', (byte) 0x80, 'i', '2', 'e', 'e'};
        assertThat(((BDictionary) BencodeDecoder.strict().decode(input)).size()).isEqualTo(2);
    }
}
