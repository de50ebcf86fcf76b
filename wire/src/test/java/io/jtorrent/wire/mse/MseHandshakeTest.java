package io.jtorrent.wire.mse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.wire.PeerProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The MSE handshake between our two sides in memory, bytes delivered in random pieces: RC4 and
 * plaintext selection, the initial payload, the stream afterwards; and every bad input a
 * responder can meet ending in a {@link PeerProtocolException}.
 */
class MseHandshakeTest {
    private static final byte[] HASH = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef01234567");
    private static final byte[] OTHER = HexFormat.of().parseHex("fedcba9876543210fedcba9876543210fedcba98");
    private final SecureRandom random = new SecureRandom();
    private final Random chunks = new Random(7);

    private static Function<byte[], byte[]> serving(byte[]... hashes) {
        return req2 -> {
            for (byte[] h : hashes) {
                if (Arrays.equals(MseHandshake.req2(h), req2)) {
                    return h;
                }
            }
            return null;
        };
    }

    /** Delivers {@code bytes} to {@code to} in random pieces. */
    private void deliver(byte[] bytes, MseHandshake to) throws PeerProtocolException {
        int off = 0;
        while (off < bytes.length && !to.done()) {
            int n = Math.min(bytes.length - off, 1 + chunks.nextInt(200));
            to.receive(bytes, off, n);
            off += n;
        }
    }

    private void run(MseHandshake a, MseHandshake b) throws PeerProtocolException {
        for (int round = 0; round < 10 && !(a.done() && b.done()); round++) {
            deliver(a.takeOutput(), b);
            deliver(b.takeOutput(), a);
        }
        assertThat(a.done() && b.done()).as("both sides done").isTrue();
    }

    @Test
    void rc4IsSelectedAndBothDirectionsDecipher() throws Exception {
        MseHandshake a = MseHandshake.initiator(HASH, MseHandshake.RC4 | MseHandshake.PLAINTEXT, random);
        MseHandshake b = MseHandshake.responder(serving(OTHER, HASH), MseHandshake.RC4 | MseHandshake.PLAINTEXT, false, random);
        run(a, b);
        assertThat(a.selected()).isEqualTo(MseHandshake.RC4);
        assertThat(b.selected()).isEqualTo(MseHandshake.RC4);
        assertThat(b.skey()).isEqualTo(HASH);
        byte[] message = "\u0013BitTorrent protocol and what follows".getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = a.encryptor().process(message);
        assertThat(new String(wire, StandardCharsets.ISO_8859_1)).doesNotContain("BitTorrent");
        assertThat(b.decryptor().process(wire)).isEqualTo(message);
        assertThat(a.decryptor().process(b.encryptor().process(message))).isEqualTo(message);
    }

    @Test
    void plaintextIsSelectedWhenTheResponderPrefersItAndBothOfferIt() throws Exception {
        MseHandshake a = MseHandshake.initiator(HASH, MseHandshake.RC4 | MseHandshake.PLAINTEXT, random);
        MseHandshake b = MseHandshake.responder(serving(HASH), MseHandshake.RC4 | MseHandshake.PLAINTEXT, true, random);
        run(a, b);
        assertThat(a.selected()).isEqualTo(MseHandshake.PLAINTEXT);
        assertThat(b.selected()).isEqualTo(MseHandshake.PLAINTEXT);
    }

    @Test
    void bytesThatFollowTheHandshakeAreHandedOnDeciphered() throws Exception {
        MseHandshake a = MseHandshake.initiator(HASH, MseHandshake.RC4, random);
        MseHandshake b = MseHandshake.responder(serving(HASH), MseHandshake.RC4, false, random);
        deliver(a.takeOutput(), b);
        byte[] fromB = b.takeOutput();
        deliver(fromB, a); // A now sends its request; B answers after it
        byte[] request = a.takeOutput();
        byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] both = concat(request, a.encryptor().process(payload)); // A writes the payload at once
        b.receive(both, 0, both.length);
        assertThat(b.done()).isTrue();
        assertThat(b.remaining()).isEqualTo(payload);
        byte[] answer = concat(b.takeOutput(), b.encryptor().process(payload));
        a.receive(answer, 0, answer.length);
        assertThat(a.done()).isTrue();
        assertThat(a.remaining()).isEqualTo(payload);
    }

    @Test
    void anUnknownTorrentAndNoCommonMethodAreRefused() throws Exception {
        MseHandshake a = MseHandshake.initiator(HASH, MseHandshake.RC4, random);
        MseHandshake b = MseHandshake.responder(serving(OTHER), MseHandshake.RC4, false, random);
        deliver(a.takeOutput(), b);
        deliver(b.takeOutput(), a);
        byte[] request = a.takeOutput();
        assertThatThrownBy(() -> b.receive(request, 0, request.length)).isInstanceOf(PeerProtocolException.class)
                .hasMessageContaining("torrent we do not have");

        MseHandshake plainOnly = MseHandshake.initiator(HASH, MseHandshake.PLAINTEXT, random);
        MseHandshake required = MseHandshake.responder(serving(HASH), MseHandshake.RC4, false, random);
        deliver(plainOnly.takeOutput(), required);
        deliver(required.takeOutput(), plainOnly);
        byte[] offer = plainOnly.takeOutput();
        assertThatThrownBy(() -> required.receive(offer, 0, offer.length)).isInstanceOf(PeerProtocolException.class)
                .hasMessageContaining("no method in common");
    }

    @Test
    void garbageWithoutTheRequestWithinThePaddingLimitIsRefused() {
        MseHandshake b = MseHandshake.responder(serving(HASH), MseHandshake.RC4, false, random);
        byte[] key = new byte[MseHandshake.KEY_BYTES];
        key[MseHandshake.KEY_BYTES - 1] = 5; // a valid key, then padding that never ends
        byte[] junk = new byte[MseHandshake.KEY_BYTES + MseHandshake.MAX_PAD + 20];
        System.arraycopy(key, 0, junk, 0, key.length);
        assertThatThrownBy(() -> b.receive(junk, 0, junk.length)).isInstanceOf(PeerProtocolException.class)
                .hasMessageContaining("within 512 bytes");
        MseHandshake c = MseHandshake.responder(serving(HASH), MseHandshake.RC4, false, random);
        byte[] zeroKey = new byte[MseHandshake.KEY_BYTES];
        assertThatThrownBy(() -> c.receive(zeroKey, 0, zeroKey.length)).isInstanceOf(PeerProtocolException.class)
                .hasMessageContaining("invalid Diffie-Hellman key");
    }

    @Test
    void rc4MatchesThePublishedVectors() {
        // RFC 6229 style: key "Key", plaintext "Plaintext" -> BBF316E8D940AF0AD3 (no bytes dropped)
        Rc4 r = new Rc4("Key".getBytes(StandardCharsets.US_ASCII), 0);
        assertThat(HexFormat.of().formatHex(r.process("Plaintext".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("bbf316e8d940af0ad3");
        Rc4 w = new Rc4("Wiki".getBytes(StandardCharsets.US_ASCII), 0);
        assertThat(HexFormat.of().formatHex(w.process("pedia".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("1021bf0420");
    }

    @Test
    void rc4GivesTheSameKeystreamHoweverTheDataIsCut() {
        // the bytewise definition, against which the eight-at-a-time path is checked
        byte[] key = "a 20-byte SHA-1 key.".getBytes(StandardCharsets.US_ASCII);
        int[] st = new int[256];
        for (int k = 0; k < 256; k++) {
            st[k] = k;
        }
        for (int k = 0, jj = 0; k < 256; k++) {
            jj = (jj + st[k] + key[k % key.length]) & 0xff;
            int t = st[k];
            st[k] = st[jj];
            st[jj] = t;
        }
        byte[] expected = new byte[Rc4.DISCARD + 70_001];
        for (int k = 0, x = 0, y = 0; k < expected.length; k++) {
            x = (x + 1) & 0xff;
            y = (y + st[x]) & 0xff;
            int t = st[x];
            st[x] = st[y];
            st[y] = t;
            expected[k] = (byte) st[(st[x] + st[y]) & 0xff];
        }
        java.util.Random random = new java.util.Random(29);
        for (int trial = 0; trial < 20; trial++) {
            byte[] data = new byte[expected.length - Rc4.DISCARD];
            Rc4 rc4 = new Rc4(key);
            for (int off = 0; off < data.length; ) { // cuts of 0 to 40 bytes, then of up to 4 KiB
                int n = Math.min(data.length - off, random.nextBoolean() ? random.nextInt(41) : random.nextInt(4097));
                rc4.process(data, off, n);
                off += n;
            }
            assertThat(data).isEqualTo(Arrays.copyOfRange(expected, Rc4.DISCARD, expected.length));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
