package io.jtorrent.engine.peer;

import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.MerkleTree;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.MetainfoException;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BitTorrent v2's hash messages (BEP 52) for one torrent. Serving: a peer's hash request is
 * answered from the piece layers we hold (with the uncle hashes that prove them) or rejected.
 * Fetching: a v2 magnet's info dictionary has no piece layers, so they are asked of the peers in
 * chunks of 512 piece hashes, each answer checked against its file's root before it is kept; a
 * peer whose answer does not prove out is closed (it costs only that peer), a rejected or
 * unanswered chunk goes to another peer. When every layer is in, the owner gets the complete
 * torrent.
 */
public final class MerkleHashes {
    /** Hashes asked per request: libtorrent's chunk, and the most it answers. */
    static final int CHUNK = 512;
    /** How long a peer has to answer before the chunk is asked of another. */
    static final long TIMEOUT_NANOS = 10_000_000_000L;

    /** What the hash exchange asks of its torrent. */
    public interface Owner {
        /** The torrent as known now (with the piece layers it has), or null before the metadata. */
        Metainfo metainfo();

        long now();

        /** Every piece layer arrived and proved out: the torrent, complete. */
        void layersComplete(Metainfo complete);
    }

    /** One chunk of one file's piece layer still wanted, and who was asked when. */
    private static final class Chunk {
        final PeerMessage.HashRequest request;
        PeerConnection askedOf;
        long askedAt;

        Chunk(PeerMessage.HashRequest request) {
            this.request = request;
        }
    }

    private final Owner owner;
    /** While fetching: the torrent without layers, the chunks wanted and the layers assembled. */
    private Metainfo fetching;
    private final Deque<Chunk> wanted = new ArrayDeque<>();
    private final Map<String, byte[]> layers = new LinkedHashMap<>();
    private final Map<String, Integer> missingChunks = new HashMap<>();
    private final List<Chunk> asked = new ArrayList<>();
    private long served;
    private long rejected;

    public MerkleHashes(Owner owner) {
        this.owner = owner;
    }

    /** Whether the piece layers of {@code m} are being fetched. */
    public boolean fetching() {
        return fetching != null;
    }

    /** Hash requests answered and refused so far. */
    public long served() {
        return served;
    }

    public long rejected() {
        return rejected;
    }

    /** Starts fetching the piece layers {@code m} lacks; peers are asked at the next {@link #tick}. */
    public void fetch(Metainfo m) {
        fetching = m;
        Info info = m.info();
        int pieceHeight = MerkleTree.pieceHeight(info.pieceLength());
        for (Info.V2File f : info.v2Files()) {
            String root = HexFormat.of().formatHex(f.piecesRoot());
            if (!f.hasPieceLayer() || m.pieceLayer(f).isPresent() || missingChunks.containsKey(root)) {
                continue;
            }
            int treeHeight = MerkleTree.treeHeight(f.length());
            int chunks = (f.pieceCount() + CHUNK - 1) / CHUNK;
            for (int c = 0; c < chunks; c++) {
                int count = (int) Math.min(CHUNK, MerkleTree.leafCount(f.pieceCount() - c * CHUNK));
                wanted.add(new Chunk(new PeerMessage.HashRequest(f.piecesRoot(), pieceHeight, c * CHUNK, count,
                        treeHeight - pieceHeight - 1, false)));
            }
            layers.put(root, new byte[f.pieceCount() * MerkleTree.HASH]);
            missingChunks.put(root, chunks);
        }
        if (missingChunks.isEmpty()) {
            fetching = null;
            owner.layersComplete(m);
        }
    }

    /** Asks idle peers for wanted chunks (one at a time each) and takes back the ones unanswered too long. */
    public void tick(Iterable<PeerConnection> peers) {
        if (fetching == null) {
            return;
        }
        long now = owner.now();
        asked.removeIf(c -> {
            if (now - c.askedAt > TIMEOUT_NANOS || c.askedOf.isClosed()) {
                c.askedOf = null;
                wanted.addFirst(c);
                return true;
            }
            return false;
        });
        for (PeerConnection p : peers) {
            if (wanted.isEmpty()) {
                return;
            }
            if (p.isClosed() || asked.stream().anyMatch(c -> c.askedOf == p)) {
                continue;
            }
            Chunk c = wanted.poll();
            c.askedOf = p;
            c.askedAt = now;
            asked.add(c);
            p.send(c.request);
        }
    }

    /** A hash message from {@code p}; a hashes message that does not prove out closes the connection. */
    public void handle(PeerConnection p, PeerMessage m) throws PeerProtocolException {
        if (m instanceof PeerMessage.HashRequest r && !r.reject()) {
            serve(p, r);
        } else if (m instanceof PeerMessage.HashRequest r) {
            Chunk c = askedOf(p, r);
            if (c != null) {
                asked.remove(c);
                c.askedOf = null;
                wanted.addLast(c); // someone else may have it
            }
        } else if (m instanceof PeerMessage.Hashes h) {
            received(p, h);
        }
    }

    private void serve(PeerConnection p, PeerMessage.HashRequest r) {
        Metainfo m = owner.metainfo();
        byte[] answer = null;
        if (m != null && m.info().hasV2()) {
            Info info = m.info();
            int pieceHeight = MerkleTree.pieceHeight(info.pieceLength());
            byte[] root = r.piecesRoot();
            for (Info.V2File f : info.v2Files()) {
                if (f.hasPieceLayer() && Arrays.equals(f.piecesRoot(), root) && r.baseLayer() == pieceHeight) {
                    byte[] layer = m.pieceLayer(f).orElse(null);
                    if (layer != null) {
                        answer = MerkleTree.hashesWithProof(layer, f.pieceCount(), pieceHeight,
                                MerkleTree.treeHeight(f.length()), r.index(), r.count(), r.proofLayers());
                    }
                    break;
                }
            }
        }
        if (answer == null) {
            rejected++;
            p.send(new PeerMessage.HashRequest(r.piecesRoot(), r.baseLayer(), r.index(), r.count(), r.proofLayers(), true));
        } else {
            served++;
            p.send(new PeerMessage.Hashes(r.piecesRoot(), r.baseLayer(), r.index(), r.count(), r.proofLayers(), answer));
        }
    }

    private Chunk askedOf(PeerConnection p, PeerMessage.HashRequest r) {
        for (Chunk c : asked) {
            if (c.askedOf == p && c.request.equals(new PeerMessage.HashRequest(r.piecesRoot(), r.baseLayer(), r.index(),
                    r.count(), r.proofLayers(), false))) {
                return c;
            }
        }
        return null;
    }

    private void received(PeerConnection p, PeerMessage.Hashes h) throws PeerProtocolException {
        Chunk c = askedOf(p, h.request());
        if (c == null) {
            return; // unasked, or asked again of another: ignored
        }
        asked.remove(c);
        String root = HexFormat.of().formatHex(h.piecesRoot());
        Info.V2File file = fetching.info().v2Files().stream()
                .filter(f -> Arrays.equals(f.piecesRoot(), h.piecesRoot())).findFirst().orElseThrow();
        byte[] hashes = h.hashes();
        if (!MerkleTree.verifyProof(h.piecesRoot(), MerkleTree.treeHeight(file.length()), h.baseLayer(), h.index(),
                h.count(), h.proofLayers(), hashes)) {
            c.askedOf = null;
            wanted.addFirst(c);
            throw new PeerProtocolException("hashes for " + root.substring(0, 16) + "... that do not prove out against its root");
        }
        byte[] layer = layers.get(root);
        int take = Math.min(h.count(), file.pieceCount() - h.index());
        System.arraycopy(hashes, 0, layer, h.index() * MerkleTree.HASH, take * MerkleTree.HASH);
        if (missingChunks.merge(root, -1, Integer::sum) == 0 && missingChunks.values().stream().allMatch(n -> n == 0)) {
            Metainfo done;
            try {
                done = fetching.withPieceLayers(layers);
            } catch (MetainfoException e) {
                throw new IllegalStateException("piece layers proved against their roots but do not load: " + e.getMessage(), e);
            }
            fetching = null;
            wanted.clear();
            asked.clear();
            owner.layersComplete(done);
        }
    }
}
