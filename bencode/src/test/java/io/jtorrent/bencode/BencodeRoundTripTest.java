package io.jtorrent.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BencodeRoundTripTest {

    @Property(tries = 500)
    void decodeOfEncodeIsIdentity(@ForAll("values") BValue value) throws BencodeException {
        byte[] encoded = BencodeEncoder.encode(value);
        BValue decoded = BencodeDecoder.strict().decode(encoded);
        assertThat(decoded).isEqualTo(value);
        // canonical: encoding the decoded value gives the same bytes back
        assertThat(BencodeEncoder.encode(decoded)).isEqualTo(encoded);
        assertThat(decoded.span()).contains(new Span(0, encoded.length));
    }

    @Property(tries = 1000)
    void everyTruncationIsRejectedWithAnOffsetInsideTheInput(@ForAll("values") BValue value,
                                                             @ForAll("fractions") double cut) {
        byte[] encoded = BencodeEncoder.encode(value);
        int length = (int) (cut * encoded.length);
        if (length == encoded.length) {
            return;
        }
        byte[] truncated = Arrays.copyOf(encoded, length);
        Throwable t = catchThrowable(() -> BencodeDecoder.strict().decode(truncated));
        assertThat(t).isInstanceOf(BencodeException.class);
        assertThat(((BencodeException) t).offset()).isBetween(0L, (long) length);
    }

    @Property(tries = 2000)
    void arbitraryBytesEitherDecodeOrFailWithAnOffset(@ForAll("noise") byte[] input) {
        try {
            BValue v = BencodeDecoder.strict().decode(input);
            // whatever decodes strictly is canonical: it re-encodes to the very same bytes
            assertThat(BencodeEncoder.encode(v)).isEqualTo(input);
        } catch (BencodeException e) {
            assertThat(e.offset()).isBetween(0L, (long) input.length);
            assertThat(e.getMessage()).startsWith("at byte ");
        }
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        // biased towards bencode's own alphabet so that deep and valid-looking inputs come up
        Arbitrary<Byte> alphabet = Arbitraries.of((byte) 'i', (byte) 'e', (byte) 'l', (byte) 'd', (byte) ':',
                (byte) '-', (byte) '0', (byte) '1', (byte) '2', (byte) '9', (byte) 'a', (byte) 0xff);
        return alphabet.array(byte[].class).ofMaxSize(40);
    }

    @Provide
    Arbitrary<BValue> values() {
        return value(4);
    }

    private Arbitrary<BValue> value(int depth) {
        Arbitrary<BValue> ints = Arbitraries.longs().map(BInteger::of);
        Arbitrary<BValue> strings = Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(BBytes::of);
        if (depth == 0) {
            return Arbitraries.oneOf(ints, strings);
        }
        Arbitrary<BValue> lists = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(4).map(BList::of);
        Arbitrary<BValue> dicts = Arbitraries.maps(
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(BBytes::of),
                        Arbitraries.lazy(() -> value(depth - 1)))
                .ofMaxSize(4)
                .map(m -> BDictionary.of((Map<BBytes, BValue>) m));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, ints), net.jqwik.api.Tuple.of(3, strings),
                net.jqwik.api.Tuple.of(1, lists), net.jqwik.api.Tuple.of(1, dicts));
    }
}
