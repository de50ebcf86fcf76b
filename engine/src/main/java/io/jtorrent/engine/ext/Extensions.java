package io.jtorrent.engine.ext;

import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.PeerProtocolException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A torrent's extensions (BEP 10), made from one list: what our extended handshake offers, where
 * a peer's extension message goes, and the ticks and departures each one hears of. Adding an
 * extension is adding it to {@link #standard}; nothing else names it. Owned by the torrent's loop.
 */
public final class Extensions {
    private final List<Extension> all;
    private final MetadataExtension metadata;

    private Extensions(List<Extension> all, MetadataExtension metadata) {
        this.all = List.copyOf(all);
        this.metadata = metadata;
    }

    /**
     * The extensions every torrent has: {@code ut_pex} and {@code ut_metadata} ({@code infoBytes}:
     * the info dictionary we serve, or null while a magnet link's is fetched).
     */
    public static Extensions standard(Extension.Host host, byte[] infoBytes) {
        MetadataExtension metadata = new MetadataExtension(host, infoBytes);
        return new Extensions(List.of(new PexExtension(host), metadata), metadata);
    }

    /** The {@code m} dictionary of our extended handshake: the extensions offered now, by name. */
    public Map<String, Integer> offered() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Extension x : all) {
            if (x.enabled()) {
                m.put(x.name(), x.id());
            }
        }
        return m;
    }

    /** The size of the info dictionary we can serve, for the handshake's {@code metadata_size}; -1 while fetching. */
    public long metadataSize() {
        return metadata.metadataSize();
    }

    /** A message under one of our ids; an id we never offered (or no longer do) is ignored, as BEP 10 asks. */
    public void message(PeerConnection p, int id, byte[] payload) throws PeerProtocolException {
        for (Extension x : all) {
            if (x.id() == id && x.enabled()) {
                x.message(p, payload);
                return;
            }
        }
    }

    public void peerHandshake(PeerConnection p, ExtendedHandshake h) {
        for (Extension x : all) {
            if (x.enabled()) {
                x.peerHandshake(p, h);
            }
        }
    }

    public void peerClosed(PeerConnection p) {
        all.forEach(x -> x.peerClosed(p));
    }

    public void tick(long now) {
        all.forEach(x -> x.tick(now));
    }
}
