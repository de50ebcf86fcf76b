package io.jtorrent.wire.mse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * RC4, as Message Stream Encryption uses it: keyed with a 20-byte SHA-1, its first 1,024 bytes
 * of keystream discarded. Encrypting and decrypting are the same operation; the state continues
 * from one call to the next, so one instance serves one direction of one connection.
 */
public final class Rc4 {
    /** Keystream bytes thrown away after keying (MSE's RC4-drop1024). */
    public static final int DISCARD = 1024;

    /** Eight bytes of an array as one little-endian long: the first byte is the lowest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The permutation, as ints: no sign extension at each of the four accesses a byte takes. */
    private final int[] s = new int[256];
    private int i;
    private int j;

    public Rc4(byte[] key) {
        this(key, DISCARD);
    }

    /** With {@code discard} keystream bytes dropped (the published test vectors drop none). */
    Rc4(byte[] key, int discard) {
        for (int k = 0; k < 256; k++) {
            s[k] = k;
        }
        int jj = 0;
        for (int k = 0; k < 256; k++) {
            jj = (jj + s[k] + key[k % key.length]) & 0xff;
            int t = s[k];
            s[k] = s[jj];
            s[jj] = t;
        }
        skip(discard);
    }

    private void skip(int n) {
        byte[] scratch = new byte[n];
        process(scratch, 0, n);
    }

    /**
     * XORs {@code len} bytes of {@code data} from {@code off} with the keystream, in place. Eight
     * keystream bytes are gathered into a long and XORed with eight data bytes at once: one load
     * and one store of the data per eight bytes (785 against 568 MB/s for the bytewise loop, JDK 25).
     */
    public void process(byte[] data, int off, int len) {
        int[] st = s;
        int x = i;
        int y = j;
        int k = off;
        int end = off + len;
        for (; k <= end - 8; k += 8) {
            long keystream = 0;
            for (int shift = 0; shift < 64; shift += 8) {
                x = (x + 1) & 0xff;
                int sx = st[x];
                y = (y + sx) & 0xff;
                int sy = st[y];
                st[x] = sy;
                st[y] = sx;
                keystream |= (long) st[(sx + sy) & 0xff] << shift;
            }
            LONGS.set(data, k, (long) LONGS.get(data, k) ^ keystream);
        }
        // the last 0-7 bytes: the same step, a byte at a time (one loop of a variable 1-8 steps
        // for both parts ran 15% slower: the fixed eight are unrolled, a variable count is not)
        for (; k < end; k++) {
            x = (x + 1) & 0xff;
            int sx = st[x];
            y = (y + sx) & 0xff;
            int sy = st[y];
            st[x] = sy;
            st[y] = sx;
            data[k] ^= (byte) st[(sx + sy) & 0xff];
        }
        i = x;
        j = y;
    }

    /** A processed copy of {@code data}. */
    public byte[] process(byte[] data) {
        byte[] out = data.clone();
        process(out, 0, out.length);
        return out;
    }
}
