package io.jtorrent.wire.mse;

import io.jtorrent.wire.PeerProtocolException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The Message Stream Encryption handshake ("protocol encryption"), both sides, as a state machine
 * on bytes: received bytes go in through {@link #receive}, bytes to send come out of
 * {@link #takeOutput}; no I/O. The initiator (A) sends its Diffie-Hellman key and padding; the
 * responder (B) answers with its own; A proves it knows S and names the torrent by a hash of its
 * info-hash (the SKEY), offers its crypto methods and sends an initial payload (encrypted); B
 * selects one. Afterwards both directions are RC4 (keyed from S and the SKEY, first 1,024 bytes
 * dropped) or, if plaintext was selected, in the clear.
 *
 * <p>Every length a peer controls is bounded: padding at most {@value #MAX_PAD} bytes, the initial
 * payload at most {@value #MAX_INITIAL_PAYLOAD}, everything buffered before the end at most
 * {@value #MAX_BUFFERED}. A violation is a {@link PeerProtocolException}.
 */
public final class MseHandshake {
    public static final int PLAINTEXT = 0x01;
    public static final int RC4 = 0x02;
    public static final int MAX_PAD = 512;
    public static final int MAX_INITIAL_PAYLOAD = 8192;
    /** What a peer may make us hold before the handshake ends. */
    public static final int MAX_BUFFERED = 64 * 1024;
    static final int KEY_BYTES = 96;
    private static final BigInteger P = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A43"
                    + "1B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563", 16);
    private static final BigInteger G = BigInteger.valueOf(2);
    private static final byte[] VC = new byte[8];

    private enum State { KEY, SYNC, SKEY, PROVIDE, PAD_C, IA_LENGTH, IA, SELECT, PAD_D, DONE }

    private final boolean initiator;
    private final SecureRandom random;
    private final BigInteger privateKey;
    /** Initiator: the SKEY (info-hash) it asks for. Responder: the one found. */
    private byte[] skey;
    private final int provide;
    private final Function<byte[], byte[]> skeyByReq2;
    private final boolean preferPlaintext;

    private State state = State.KEY;
    private byte[] buffer = new byte[0];
    private int length;
    private int pos;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private byte[] secret;
    private byte[] syncPattern;
    /** Where to look for the sync pattern from, and how far (the other side's padding). */
    private int syncFrom;
    private Rc4 encryptor;
    private Rc4 decryptor;
    private int selected;
    private int padLength;
    private int iaLength;
    private byte[] initialPayload = new byte[0];
    private byte[] remaining;

    private MseHandshake(boolean initiator, byte[] skey, int provide, Function<byte[], byte[]> skeyByReq2,
                         boolean preferPlaintext, SecureRandom random) {
        this.initiator = initiator;
        this.skey = skey;
        this.provide = provide;
        this.skeyByReq2 = skeyByReq2;
        this.preferPlaintext = preferPlaintext;
        this.random = random;
        this.privateKey = new BigInteger(160, random);
        output.writeBytes(publicKey());
        output.writeBytes(padding(MAX_PAD));
    }

    /** We dial: {@code skey} is the torrent's info-hash (20 bytes); {@code provide} the methods offered. */
    public static MseHandshake initiator(byte[] skey, int provide, SecureRandom random) {
        if ((provide & (PLAINTEXT | RC4)) == 0 || skey.length != 20) {
            throw new IllegalArgumentException("an info-hash and at least one method");
        }
        return new MseHandshake(true, skey.clone(), provide, null, false, random);
    }

    /**
     * A peer dialled us. {@code skeyByReq2} finds the info-hash whose {@code HASH('req2', SKEY)} is
     * given (null if we serve none such); {@code allowed} the methods we accept; with
     * {@code preferPlaintext} plaintext is selected when both are offered, else RC4.
     */
    public static MseHandshake responder(Function<byte[], byte[]> skeyByReq2, int allowed, boolean preferPlaintext,
                                         SecureRandom random) {
        return new MseHandshake(false, null, allowed, skeyByReq2, preferPlaintext, random);
    }

    /** {@code HASH('req2', SKEY)}: what a responder looks a torrent up by. */
    public static byte[] req2(byte[] skey) {
        return sha1(ascii("req2"), skey);
    }

    /** Bytes to send now (possibly none). */
    public byte[] takeOutput() {
        byte[] out = output.toByteArray();
        output.reset();
        return out;
    }

    public boolean done() {
        return state == State.DONE;
    }

    /** The method selected (after {@link #done}). */
    public int selected() {
        return selected;
    }

    /** The info-hash the connection is for (the responder learns it in the handshake). */
    public byte[] skey() {
        return skey == null ? null : skey.clone();
    }

    /** Our direction's cipher, continuing: for the payload when RC4 was selected. */
    public Rc4 encryptor() {
        return encryptor;
    }

    /** The other direction's cipher, continuing. */
    public Rc4 decryptor() {
        return decryptor;
    }

    /**
     * After {@link #done}: what came after the handshake, deciphered, to hand to the peer wire
     * (for a responder, the initial payload first).
     */
    public byte[] remaining() {
        return remaining;
    }

    /** Bytes from the peer. */
    public void receive(byte[] data, int off, int len) throws PeerProtocolException {
        if (state == State.DONE) {
            throw new IllegalStateException("handshake already done");
        }
        if (length - pos + len > MAX_BUFFERED) {
            throw new PeerProtocolException("more than " + MAX_BUFFERED + " bytes before the encryption handshake ended");
        }
        if (pos > 0) {
            buffer = Arrays.copyOfRange(buffer, pos, length);
            length -= pos;
            syncFrom = Math.max(0, syncFrom - pos);
            pos = 0;
        }
        if (length + len > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(length + len, 2 * buffer.length));
        }
        System.arraycopy(data, off, buffer, length, len);
        length += len;
        while (step()) {
            // each step consumes what it can
        }
    }

    private int available() {
        return length - pos;
    }

    /** Takes {@code n} bytes, deciphered. */
    private byte[] take(int n, boolean decipher) {
        byte[] b = Arrays.copyOfRange(buffer, pos, pos + n);
        pos += n;
        if (decipher) {
            decryptor.process(b, 0, n);
        }
        return b;
    }

    private boolean step() throws PeerProtocolException {
        switch (state) {
            case KEY -> {
                if (available() < KEY_BYTES) {
                    return false;
                }
                BigInteger theirs = new BigInteger(1, take(KEY_BYTES, false));
                if (theirs.compareTo(BigInteger.ONE) <= 0 || theirs.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
                    throw new PeerProtocolException("encryption handshake: an invalid Diffie-Hellman key");
                }
                secret = fixed(theirs.modPow(privateKey, P));
                syncFrom = pos;
                if (initiator) {
                    sendRequest();
                    decryptor = new Rc4(sha1(ascii("keyB"), secret, skey));
                    syncPattern = decryptor.process(VC);
                } else {
                    syncPattern = sha1(ascii("req1"), secret);
                }
                state = State.SYNC;
                return true;
            }
            case SYNC -> {
                int found = indexOf(syncPattern, syncFrom, Math.min(length, syncFrom + MAX_PAD + syncPattern.length));
                if (found < 0) {
                    if (length - syncFrom >= MAX_PAD + syncPattern.length) {
                        throw new PeerProtocolException("encryption handshake: no " + (initiator ? "VC" : "request")
                                + " within " + MAX_PAD + " bytes of padding");
                    }
                    return false; // at most the padding and the pattern are held meanwhile
                }
                pos = found + syncPattern.length;
                state = initiator ? State.SELECT : State.SKEY;
                return true;
            }
            case SKEY -> {
                if (available() < 20) {
                    return false;
                }
                byte[] req2 = xor(take(20, false), sha1(ascii("req3"), secret));
                skey = skeyByReq2.apply(req2);
                if (skey == null) {
                    throw new PeerProtocolException("encryption handshake for a torrent we do not have");
                }
                decryptor = new Rc4(sha1(ascii("keyA"), secret, skey));
                encryptor = new Rc4(sha1(ascii("keyB"), secret, skey));
                state = State.PROVIDE;
                return true;
            }
            case PROVIDE -> {
                if (available() < 14) {
                    return false;
                }
                byte[] b = take(14, true);
                if (!Arrays.equals(Arrays.copyOf(b, 8), VC)) {
                    throw new PeerProtocolException("encryption handshake: wrong verification constant");
                }
                int offered = int32(b, 8);
                padLength = uint16(b, 12);
                if (padLength > MAX_PAD) {
                    throw new PeerProtocolException("encryption handshake: padding of " + padLength + " bytes");
                }
                selected = choose(offered);
                state = State.PAD_C;
                return true;
            }
            case PAD_C -> {
                if (available() < padLength) {
                    return false;
                }
                take(padLength, true);
                state = State.IA_LENGTH;
                return true;
            }
            case IA_LENGTH -> {
                if (available() < 2) {
                    return false;
                }
                iaLength = uint16(take(2, true), 0);
                if (iaLength > MAX_INITIAL_PAYLOAD) {
                    throw new PeerProtocolException("encryption handshake: an initial payload of " + iaLength + " bytes");
                }
                state = State.IA;
                return true;
            }
            case IA -> {
                if (available() < iaLength) {
                    return false;
                }
                initialPayload = take(iaLength, true);
                byte[] pad = padding(MAX_PAD);
                byte[] answer = new byte[14 + pad.length];
                answer[11] = (byte) selected;
                answer[12] = (byte) (pad.length >> 8);
                answer[13] = (byte) pad.length;
                System.arraycopy(pad, 0, answer, 14, pad.length);
                encryptor.process(answer, 0, answer.length);
                output.writeBytes(answer);
                finish();
                return false;
            }
            case SELECT -> {
                if (available() < 6) {
                    return false;
                }
                byte[] b = take(6, true);
                selected = int32(b, 0);
                if (Integer.bitCount(selected) != 1 || (selected & provide) == 0) {
                    throw new PeerProtocolException("encryption handshake: the peer selected " + selected
                            + ", which we did not offer");
                }
                padLength = uint16(b, 4);
                if (padLength > MAX_PAD) {
                    throw new PeerProtocolException("encryption handshake: padding of " + padLength + " bytes");
                }
                state = State.PAD_D;
                return true;
            }
            case PAD_D -> {
                if (available() < padLength) {
                    return false;
                }
                take(padLength, true);
                finish();
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** A: the request naming the torrent, the methods offered, no initial payload. */
    private void sendRequest() {
        output.writeBytes(sha1(ascii("req1"), secret));
        output.writeBytes(xor(req2(skey), sha1(ascii("req3"), secret)));
        encryptor = new Rc4(sha1(ascii("keyA"), secret, skey));
        byte[] pad = padding(MAX_PAD);
        byte[] b = new byte[8 + 4 + 2 + pad.length + 2];
        b[11] = (byte) provide;
        b[12] = (byte) (pad.length >> 8);
        b[13] = (byte) pad.length;
        System.arraycopy(pad, 0, b, 14, pad.length);
        encryptor.process(b, 0, b.length);
        output.writeBytes(b);
    }

    private int choose(int offered) throws PeerProtocolException {
        int common = offered & provide;
        if (common == 0) {
            throw new PeerProtocolException("encryption handshake: no method in common (offered " + offered + ")");
        }
        if ((common & RC4) != 0 && (!preferPlaintext || (common & PLAINTEXT) == 0)) {
            return RC4;
        }
        return PLAINTEXT;
    }

    private void finish() {
        byte[] rest = take(available(), selected == RC4);
        remaining = new byte[initialPayload.length + rest.length];
        System.arraycopy(initialPayload, 0, remaining, 0, initialPayload.length);
        System.arraycopy(rest, 0, remaining, initialPayload.length, rest.length);
        buffer = new byte[0];
        length = 0;
        pos = 0;
        state = State.DONE;
    }

    private byte[] publicKey() {
        return fixed(G.modPow(privateKey, P));
    }

    /** Random padding of 0 to {@code max} bytes (random bytes: it is sent in the clear). */
    private byte[] padding(int max) {
        byte[] pad = new byte[random.nextInt(max + 1)];
        random.nextBytes(pad);
        return pad;
    }

    private int indexOf(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i + pattern.length <= to; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (buffer[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A big integer as exactly 96 big-endian bytes. */
    private static byte[] fixed(BigInteger n) {
        byte[] b = n.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        int copy = Math.min(b.length, KEY_BYTES);
        System.arraycopy(b, b.length - copy, out, KEY_BYTES - copy, copy);
        return out;
    }

    private static int int32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static int uint16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
