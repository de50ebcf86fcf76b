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
 * torrent. Pinning: when a v2 piece fails, the true hashes of its blocks are asked of a peer
 * (proved against the piece's hash), and only the senders of the blocks that differ are banned,
 * after the first failure; honest co-senders are not struck.
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

        /** The SHA-256 of each block of a piece we have and verified, or null when we have it not; on the loop. */
        void readLeaves(int piece, java.util.function.Consumer<byte[]> leaves);
    }

    /** A failed v2 piece whose bad blocks are being pinned: what we received, from whom, who was asked. */
    private static final class Pin {
        final int piece;
        final byte[] received;
        final List<? extends io.jtorrent.engine.pieces.BlockSource> senders;
        final PeerMessage.HashRequest request;
        final java.util.Set<PeerConnection> tried = new java.util.HashSet<>();
        /** Who is asked now, since when: a few at once, so a sender that stalls delays nothing. */
        final Map<PeerConnection, Long> asking = new java.util.LinkedHashMap<>();

        Pin(int piece, byte[] received, List<? extends io.jtorrent.engine.pieces.BlockSource> senders,
            PeerMessage.HashRequest request) {
            this.piece = piece;
            this.received = received;
            this.senders = senders;
            this.request = request;
        }
    }

    /** Block-hash requests served at once per peer (each reads a whole piece from disk); more are rejected. */
    static final int MAX_BLOCK_SERVES = 2;
    private final Map<PeerConnection, Integer> blockServes = new HashMap<>();

    /** At most this many failed pieces are pinned at once; more wait for the smart ban. */
    static final int MAX_PINS = 16;
    /** Peers asked at once for one failed piece's block hashes. */
    static final int PIN_ASKS = 3;
    private final List<Pin> pins = new ArrayList<>();

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

    /** Starts fetching the piece layers {@code m} lacks, asking {@code peers} at once. */
    public void fetch(Metainfo m, Iterable<PeerConnection> peers) {
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
            return;
        }
        askIdle(peers, owner.now());
    }

    /** Asks idle peers for wanted chunks (one at a time each) and takes back the ones unanswered too long. */
    public void tick(Iterable<PeerConnection> peers) {
        tickPins(peers);
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
        askIdle(peers, now);
    }

    /** Gives each peer not asked for a chunk now the next wanted one. */
    private void askIdle(Iterable<PeerConnection> peers, long now) {
        for (PeerConnection p : peers) {
            if (wanted.isEmpty()) {
                return;
            }
            if (!p.isClosed() && asked.stream().noneMatch(c -> c.askedOf == p)) {
                ask(p, now);
            }
        }
    }

    private void ask(PeerConnection p, long now) {
        Chunk c = wanted.poll();
        c.askedOf = p;
        c.askedAt = now;
        asked.add(c);
        p.send(c.request);
    }

    /** A hash message from {@code p}; a hashes message that does not prove out closes the connection. */
    public void handle(PeerConnection p, PeerMessage m) throws PeerProtocolException {
        if (m instanceof PeerMessage.HashRequest r && !r.reject()) {
            serve(p, r);
        } else if (m instanceof PeerMessage.HashRequest r) {
            Pin pin = pinAskedOf(p, asRequest(r));
            Chunk c = askedOf(p, r);
            if (pin != null) {
                pin.asking.remove(p); // another peer, at the next tick
            } else if (c != null) {
                asked.remove(c);
                c.askedOf = null;
                wanted.addLast(c); // someone else may have it
            }
        } else if (m instanceof PeerMessage.Hashes h) {
            Pin pin = pinAskedOf(p, h.request());
            if (pin != null) {
                blockHashes(p, pin, h);
            } else {
                received(p, h);
            }
        }
    }

    private Pin pinAskedOf(PeerConnection p, PeerMessage.HashRequest r) {
        return pins.stream().filter(x -> x.asking.containsKey(p) && x.request.equals(r)).findFirst().orElse(null);
    }

    private static PeerMessage.HashRequest asRequest(PeerMessage.HashRequest r) {
        return new PeerMessage.HashRequest(r.piecesRoot(), r.baseLayer(), r.index(), r.count(), r.proofLayers(), false);
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
            if (answer == null && r.baseLayer() == 0) {
                serveBlocks(p, r, m); // block hashes, from the piece's data
                return;
            }
        }
        answer(p, r, answer);
    }

    private void answer(PeerConnection p, PeerMessage.HashRequest r, byte[] answer) {
        if (p.isClosed()) {
            return;
        }
        if (answer == null) {
            rejected++;
            p.send(new PeerMessage.HashRequest(r.piecesRoot(), r.baseLayer(), r.index(), r.count(), r.proofLayers(), true));
        } else {
            served++;
            p.send(new PeerMessage.Hashes(r.piecesRoot(), r.baseLayer(), r.index(), r.count(), r.proofLayers(), answer));
        }
    }

    /** Block hashes inside one piece we have: its blocks are read and hashed, the proof taken from the piece layer. */
    private void serveBlocks(PeerConnection p, PeerMessage.HashRequest r, Metainfo m) {
        Info info = m.info();
        int pieceBlocks = (int) (info.pieceLength() / MerkleTree.BLOCK);
        for (Info.V2File f : info.v2Files()) {
            if (f.pieceCount() == 0 || !Arrays.equals(f.piecesRoot(), r.piecesRoot())) {
                continue;
            }
            long fileBlocks = MerkleTree.blocks(f.length());
            int pieceInFile = r.index() / pieceBlocks;
            byte[] layer = f.hasPieceLayer() ? m.pieceLayer(f).orElse(null) : null;
            if (pieceInFile >= f.pieceCount() || (f.hasPieceLayer() && layer == null)) {
                break;
            }
            if (blockServes.getOrDefault(p, 0) >= MAX_BLOCK_SERVES) {
                break; // a peer asking faster than the disk answers: refused, not queued
            }
            blockServes.merge(p, 1, Integer::sum);
            owner.readLeaves(f.firstPiece() + pieceInFile, leaves -> {
                blockServes.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null);
                answer(p, r, leaves == null ? null : MerkleTree.blockHashesWithProof(leaves, (long) pieceInFile * pieceBlocks,
                        fileBlocks, info.pieceLength(), layer, f.pieceCount(), MerkleTree.treeHeight(f.length()), r.index(),
                        r.count(), r.proofLayers()));
            });
            return;
        }
        answer(p, r, null);
    }

    // ---- pinning a failed v2 piece's bad blocks on their senders ----

    /**
     * A v2 piece failed: {@code received} holds the hashes of the blocks we got, {@code senders}
     * who sent each. The blocks' true hashes are asked of a peer; the senders of those that
     * differ are then told ({@link io.jtorrent.engine.pieces.BlockSource#sentCorruptBlock}).
     */
    public void pin(int piece, byte[] received, List<? extends io.jtorrent.engine.pieces.BlockSource> senders,
                    Iterable<PeerConnection> peers) {
        Metainfo m = owner.metainfo();
        if (m == null || m.info().hasV1() || received == null || pins.size() >= MAX_PINS
                || pins.stream().anyMatch(pin -> pin.piece == piece)) {
            return;
        }
        Info info = m.info();
        Info.V2File f = info.v2FileOfPiece(piece);
        int pieceBlocks = (int) (info.pieceLength() / MerkleTree.BLOCK);
        int count = f.hasPieceLayer() ? pieceBlocks : (int) MerkleTree.leafCount(MerkleTree.blocks(f.length()));
        if (count < 2) {
            return; // a piece of one block has one sender, known guilty already
        }
        int index = (piece - f.firstPiece()) * pieceBlocks;
        int proof = Integer.numberOfTrailingZeros(count) - 1; // no uncles: the blocks' subtree is the piece's hash
        pins.add(new Pin(piece, received, senders, new PeerMessage.HashRequest(f.piecesRoot(), 0, index, count, proof, false)));
        tickPins(peers); // asked at once: the answer should come before the piece is fetched again
    }

    private void tickPins(Iterable<PeerConnection> peers) {
        long now = owner.now();
        for (Pin pin : pins) {
            pin.asking.entrySet().removeIf(e -> now - e.getValue() > TIMEOUT_NANOS || e.getKey().isClosed());
            // anyone who has the piece can answer: the answer must prove out against the piece's
            // hash, so even a sender cannot lie; those who sent none of its blocks are asked first
            for (boolean senders : new boolean[] {false, true}) {
                for (PeerConnection p : peers) {
                    if (pin.asking.size() < PIN_ASKS && !p.isClosed() && !pin.tried.contains(p) && p.has.get(pin.piece)
                            && pin.senders.contains(p) == senders) {
                        pin.tried.add(p);
                        pin.asking.put(p, now);
                        p.send(pin.request);
                    }
                }
            }
        }
        pins.removeIf(pin -> pin.asking.isEmpty()); // nobody left to ask: the smart ban decides
    }

    private void blockHashes(PeerConnection p, Pin pin, PeerMessage.Hashes h) throws PeerProtocolException {
        pin.asking.remove(p); // on a forged answer, the others asked may still prove it
        Metainfo m = owner.metainfo();
        byte[] expected = m.v2PieceHash(pin.piece).orElse(null);
        Info.V2File f = m.info().v2FileOfPiece(pin.piece);
        int reach = f.hasPieceLayer() ? MerkleTree.pieceHeight(m.info().pieceLength()) : MerkleTree.treeHeight(f.length());
        byte[] reached = MerkleTree.proofRoot(0, h.index(), h.count(), h.proofLayers(), h.hashes(), reach);
        if (expected == null || reached == null || !Arrays.equals(reached, expected)) {
            throw new PeerProtocolException("block hashes for piece " + pin.piece + " that do not prove out against it");
        }
        pins.remove(pin);
        byte[] truth = h.hashes();
        for (int block = 0; block < pin.senders.size() && (block + 1) * MerkleTree.HASH <= pin.received.length; block++) {
            int at = block * MerkleTree.HASH;
            if (!Arrays.equals(truth, at, at + MerkleTree.HASH, pin.received, at, at + MerkleTree.HASH)) {
                io.jtorrent.engine.pieces.BlockSource guilty = pin.senders.get(block);
                if (guilty != null) {
                    guilty.sentBadBlock(pin.piece, block);
                }
            }
        }
    }

    private Chunk askedOf(PeerConnection p, PeerMessage.HashRequest r) {
        for (Chunk c : asked) {
            if (c.askedOf == p && c.request.equals(asRequest(r))) {
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
        } else if (!wanted.isEmpty() && !p.isClosed()) {
            ask(p, owner.now()); // it answered: the next chunk now, not at the next tick
        }
    }
}
