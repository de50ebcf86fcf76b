package io.jtorrent.wire.mse;

/**
 * RC4, as Message Stream Encryption uses it: keyed with a 20-byte SHA-1, its first 1,024 bytes
 * of keystream discarded. Encrypting and decrypting are the same operation; the state continues
 * from one call to the next, so one instance serves one direction of one connection.
 */
public final class Rc4 {
    /** Keystream bytes thrown away after keying (MSE's RC4-drop1024). */
    public static final int DISCARD = 1024;

    private final byte[] s = new byte[256];
    private int i;
    private int j;

    public Rc4(byte[] key) {
        this(key, DISCARD);
    }

    /** With {@code discard} keystream bytes dropped (the published test vectors drop none). */
    Rc4(byte[] key, int discard) {
        for (int k = 0; k < 256; k++) {
            s[k] = (byte) k;
        }
        int jj = 0;
        for (int k = 0; k < 256; k++) {
            jj = (jj + s[k] + key[k % key.length]) & 0xff;
            byte t = s[k];
            s[k] = s[jj];
            s[jj] = t;
        }
        skip(discard);
    }

    private void skip(int n) {
        byte[] scratch = new byte[n];
        process(scratch, 0, n);
    }

    /** XORs {@code len} bytes of {@code data} from {@code off} with the keystream, in place. */
    public void process(byte[] data, int off, int len) {
        byte[] st = s;
        int x = i;
        int y = j;
        for (int k = off; k < off + len; k++) {
            x = (x + 1) & 0xff;
            byte sx = st[x];
            y = (y + sx) & 0xff;
            byte sy = st[y];
            st[x] = sy;
            st[y] = sx;
            data[k] ^= st[(sx + sy) & 0xff];
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
