package io.jtorrent.wire;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical allowed-fast set of BEP 6: the pieces a peer at an address may request while
 * choked, derived from its /24 network and the info-hash so that every client computes the same
 * set and a peer gains nothing by reconnecting from the same network.
 */
public final class AllowedFastSet {
    private AllowedFastSet() {}

    /**
     * The first {@code k} pieces of the set for {@code address} (IPv4; for IPv6 the first 4
     * bytes of the address stand in, as BEP 6 defines no IPv6 variant), in the order BEP 6
     * generates them. Fewer when the torrent has fewer pieces.
     */
    public static List<Integer> compute(InetAddress address, byte[] infoHash, int pieceCount, int k) {
        List<Integer> set = new ArrayList<>();
        if (pieceCount <= 0) {
            return set;
        }
        k = Math.min(k, pieceCount);
        byte[] ip = address.getAddress();
        byte[] x = new byte[4 + infoHash.length];
        System.arraycopy(ip, 0, x, 0, 4);
        x[3] = 0; // the /24 network (for IPv4); BEP 6: 0xFFFFFF00 & ip
        System.arraycopy(infoHash, 0, x, 4, infoHash.length);
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        while (set.size() < k) {
            x = sha1.digest(x);
            for (int i = 0; i < 5 && set.size() < k; i++) {
                int j = i * 4;
                long y = ((x[j] & 0xffL) << 24) | ((x[j + 1] & 0xffL) << 16) | ((x[j + 2] & 0xffL) << 8) | (x[j + 3] & 0xffL);
                int index = (int) (y % pieceCount);
                if (!set.contains(index)) {
                    set.add(index);
                }
            }
        }
        return set;
    }
}
