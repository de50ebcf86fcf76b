package io.jtorrent.wire.mse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtorrent.wire.PeerProtocolException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the encryption handshake, from either side: raw bytes from a peer,
 * or a real exchange whose request (or answer) the fuzzer corrupts so that the later states are
 * reached. Whatever comes, the handshake ends, waits for more, or throws
 * {@link PeerProtocolException}, never anything else. Without {@code JAZZER_FUZZ=1} it replays
 * the kept inputs.
 */
class MseHandshakeFuzzTest {
    private static final byte[] HASH = new byte[20];

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void theHandshakeOnlyEverThrowsPeerProtocolException(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 2);
        int chunk = data.consumeInt(1, 700);
        byte[] noise = data.consumeRemainingAsBytes();
        MseHandshake a = MseHandshake.initiator(HASH, MseHandshake.RC4 | MseHandshake.PLAINTEXT, seeded(1));
        MseHandshake b = MseHandshake.responder(req2 -> Arrays.equals(req2, MseHandshake.req2(HASH)) ? HASH : null,
                MseHandshake.RC4 | MseHandshake.PLAINTEXT, mode == 1, seeded(2));
        try {
            if (mode == 0) {
                feed(b, noise, chunk); // a peer that dialled us, saying anything
                return;
            }
            feed(b, a.takeOutput(), chunk);
            byte[] answer = b.takeOutput();
            if (mode == 2) {
                feed(a, corrupt(answer, noise), chunk); // the responder's answer, corrupted
                return;
            }
            feed(a, answer, chunk);
            feed(b, corrupt(a.takeOutput(), noise), chunk); // the initiator's request, corrupted
        } catch (PeerProtocolException expected) {
            // refused with a reason
        }
    }

    private static byte[] corrupt(byte[] real, byte[] noise) {
        byte[] out = Arrays.copyOf(real, Math.max(real.length, noise.length));
        for (int i = 0; i < noise.length; i++) {
            out[i] ^= noise[i];
        }
        return out;
    }

    private static void feed(MseHandshake h, byte[] bytes, int chunk) throws PeerProtocolException {
        for (int off = 0; off < bytes.length && !h.done(); off += chunk) {
            h.receive(bytes, off, Math.min(chunk, bytes.length - off));
        }
    }
}
