package io.jtorrent.engine.ext;

import io.jtorrent.wire.MetadataMessage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembling a magnet link's info dictionary from peers (BEP 9): which 16 KiB piece to ask
 * whom, what arrived from whom, and whether the whole hashes to the info-hash. Pure bookkeeping
 * with peers as opaque keys and the time passed in; the torrent's loop owns it.
 *
 * <p>The first size a peer announces (within 16 MiB) is the one fetched; pieces come from every
 * peer that offers the same size, a few requests each. When the assembled bytes do not hash to
 * the info-hash, the sole contributor is to blame; with several, nobody can be, so the next round
 * takes every piece from one peer at a time until the culprit is isolated. One liar cannot stall
 * a magnet by announcing a wrong size first: once no peer offering the size being fetched is
 * left, or it makes no progress for {@link #STALL_NANOS}, the size most other peers announced is
 * fetched instead.
 */
public final class MetadataFetch<P> {
    /** Requests outstanding to one peer. */
    public static final int REQUESTS_PER_PEER = 4;
    /** A request unanswered this long is asked of someone else. */
    public static final long TIMEOUT_NANOS = 15_000_000_000L;

    /** No piece of the size being fetched arrived for this long: try another announced size. */
    public static final long STALL_NANOS = 2 * TIMEOUT_NANOS;

    /** What a data message amounted to. */
    public enum Outcome { IGNORED, PROGRESS, COMPLETE, HASH_FAILED }

    private final byte[] infoHash;
    private int size = -1;
    private byte[] buffer;
    private Object[] senders;
    private Object[] requestedFrom;
    private long[] requestedAt;
    private int received;
    private boolean oneSourceAtATime;
    private P source;
    private final Set<P> offering = new LinkedHashSet<>();
    private final Set<P> refused = new HashSet<>();
    private final Map<P, Integer> outstanding = new HashMap<>();
    private List<P> lastContributors = List.of();
    /** The size each peer announced. */
    private final Map<P, Integer> announced = new java.util.LinkedHashMap<>(); // iterated: arrival order, not identity hashes
    private long lastProgressAt = Long.MIN_VALUE;

    private final String algorithm;

    /** Assembly of the info dictionary whose SHA-1 is this 20-byte hash (v1). */
    public MetadataFetch(byte[] infoHash20) {
        this(infoHash20, "SHA-1");
    }

    /** Assembly of the info dictionary whose {@code algorithm} digest (SHA-1 for v1, SHA-256 for v2) is {@code infoHash}. */
    public MetadataFetch(byte[] infoHash, String algorithm) {
        this.infoHash = infoHash.clone();
        this.algorithm = algorithm;
    }

    /**
     * A peer's extended handshake gave {@code metadataSize}. Returns why the peer should be
     * dropped (a size out of bounds), or null.
     */
    public String offered(P peer, long metadataSize) {
        if (metadataSize <= 0 || metadataSize > MetadataMessage.MAX_METADATA_SIZE) {
            return "metadata_size " + metadataSize + " outside 1.." + MetadataMessage.MAX_METADATA_SIZE;
        }
        announced.put(peer, (int) metadataSize);
        if (size < 0) {
            adopt((int) metadataSize);
        }
        if (metadataSize == size) {
            offering.add(peer); // a peer that claims another size is not asked while this one is fetched
        }
        return null;
    }

    /** Starts over with {@code newSize}: the peers that announced it are the ones asked. */
    private void adopt(int newSize) {
        size = newSize;
        int pieces = pieceCount();
        buffer = new byte[size];
        senders = new Object[pieces];
        requestedFrom = new Object[pieces];
        requestedAt = new long[pieces];
        received = 0;
        oneSourceAtATime = false;
        source = null;
        outstanding.clear();
        offering.clear();
        announced.forEach((peer, announcedSize) -> {
            if (announcedSize == newSize) {
                offering.add(peer);
            }
        });
        lastProgressAt = Long.MIN_VALUE;
    }

    /** When the size being fetched has no one left to give it, or stalls, the most announced other size. */
    private void reconsiderSize(long now) {
        if (lastProgressAt == Long.MIN_VALUE) {
            lastProgressAt = now;
        }
        boolean anyoneLeft = offering.stream().anyMatch(p -> !refused.contains(p));
        if (anyoneLeft && now - lastProgressAt <= STALL_NANOS) {
            return;
        }
        Map<Integer, Integer> votes = new HashMap<>();
        announced.forEach((peer, s) -> {
            if (s != size && !refused.contains(peer)) {
                votes.merge(s, 1, Integer::sum);
            }
        });
        votes.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .ifPresent(best -> {
                    adopt(best.getKey());
                    lastProgressAt = now;
                });
    }

    public int size() {
        return size;
    }

    public int pieceCount() {
        return size < 0 ? 0 : (size + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
    }

    private int pieceLength(int piece) {
        return Math.min(MetadataMessage.PIECE_SIZE, size - piece * MetadataMessage.PIECE_SIZE);
    }

    /** The pieces to request from {@code peer} now (and they count as requested from it). */
    public List<Integer> toRequest(P peer, long now) {
        List<Integer> out = new ArrayList<>();
        if (size >= 0) {
            reconsiderSize(now);
        }
        if (size < 0 || !offering.contains(peer) || refused.contains(peer)) {
            return out;
        }
        if (oneSourceAtATime) {
            if (source == null || !offering.contains(source)) {
                source = peer;
            }
            if (source != peer) {
                return out;
            }
        }
        int room = REQUESTS_PER_PEER - outstanding.getOrDefault(peer, 0);
        for (int i = 0; i < pieceCount() && room > 0; i++) {
            if (senders[i] != null) {
                continue;
            }
            boolean free = requestedFrom[i] == null || now - requestedAt[i] > TIMEOUT_NANOS;
            if (free) {
                if (requestedFrom[i] != null) {
                    outstanding.merge(peerAt(requestedFrom, i), -1, Integer::sum);
                }
                requestedFrom[i] = peer;
                requestedAt[i] = now;
                outstanding.merge(peer, 1, Integer::sum);
                out.add(i);
                room--;
            }
        }
        return out;
    }

    /** A piece arrived. Pieces nobody asked this peer for, or of the wrong size, are ignored. */
    public Outcome received(P peer, int piece, long totalSize, byte[] data) {
        if (size < 0 || totalSize != size || piece >= pieceCount() || requestedFrom[piece] != peer
                || senders[piece] != null || data.length != pieceLength(piece)) {
            return Outcome.IGNORED;
        }
        outstanding.merge(peer, -1, Integer::sum);
        requestedFrom[piece] = null;
        senders[piece] = peer;
        lastProgressAt = Long.MIN_VALUE; // restarts at the next request round
        System.arraycopy(data, 0, buffer, piece * MetadataMessage.PIECE_SIZE, data.length);
        if (++received < pieceCount()) {
            return Outcome.PROGRESS;
        }
        if (Arrays.equals(digest(buffer), infoHash)) {
            return Outcome.COMPLETE;
        }
        @SuppressWarnings("unchecked") // senders holds only what toRequest and received were given: P
        List<P> contributors = (List<P>) new ArrayList<>(new LinkedHashSet<>(Arrays.asList(senders)));
        lastContributors = contributors;
        oneSourceAtATime = true;
        source = null;
        received = 0;
        Arrays.fill(senders, null);
        Arrays.fill(requestedFrom, null);
        outstanding.clear();
        return Outcome.HASH_FAILED;
    }

    @SuppressWarnings("unchecked") // the arrays hold only peers given to this fetch: P
    private P peerAt(Object[] peers, int i) {
        return (P) peers[i];
    }

    /** After {@link Outcome#HASH_FAILED}: the peers whose pieces made up the bad metadata. */
    public List<P> lastContributors() {
        return lastContributors;
    }

    /** The assembled metadata, after {@link Outcome#COMPLETE}. */
    public byte[] metadata() {
        return buffer.clone();
    }

    /** The peer refused a piece: it does not have the metadata; do not ask it again. */
    public void rejected(P peer, int piece) {
        refused.add(peer);
        release(peer);
    }

    public void peerGone(P peer) {
        offering.remove(peer);
        announced.remove(peer);
        refused.remove(peer);
        release(peer);
        if (source == peer) {
            source = null;
        }
    }

    private void release(P peer) {
        if (requestedFrom != null) {
            for (int i = 0; i < requestedFrom.length; i++) {
                if (requestedFrom[i] == peer) {
                    requestedFrom[i] = null;
                }
            }
        }
        outstanding.remove(peer);
    }

    private byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
