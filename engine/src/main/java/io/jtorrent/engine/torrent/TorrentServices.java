package io.jtorrent.engine.torrent;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.discovery.Dht;
import io.jtorrent.engine.discovery.Trackers;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.rate.RateLimiter;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.Resolver;
import io.jtorrent.wire.Handshake;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What a torrent asks of its session: settings, the event stream, the disk, the session-wide
 * limits, trackers, the DHT and local discovery, and dialling peers. The session implements it;
 * a simulation brings its own, so a torrent runs on a simulated network and virtual time.
 */
public interface TorrentServices {
    Settings settings();

    /** Our peer id, the same for every torrent of the session. */
    byte[] peerId();

    /** Our handshake for {@code infoHash}: its reserved bits say which extensions we speak. */
    Handshake handshakeFor(InfoHash infoHash);

    /** The port peers reach us on. */
    int listenPort();

    void post(SessionEvent e);

    DiskIo disk();

    /** Makes the torrents' storage. */
    io.jtorrent.storage.StorageFactory storage();

    /** A seed for a torrent's {@link java.util.Random}: decisions, not secrets. */
    long nextSeed();

    /** Where the torrent's resume data lives, or null when the session keeps none. */
    Path resumeFile(InfoHash infoHash);

    RateLimiter uploadLimiter();

    RateLimiter downloadLimiter();

    Trackers trackers();

    /** Name lookups off the loops (web seeds). */
    Resolver resolver();

    /** The DHT node, or null when the session runs none. */
    Dht dht();

    /** Announces a torrent on the local network, when Local Service Discovery is on. */
    void announceLocally(InfoHash infoHash);

    /** Whether the session's connection limit leaves room for one more dial. */
    boolean mayDial();

    /**
     * Dials {@code address} for {@code torrent}, as {@code hints} suggest ({@code PeerCandidates.UTP}
     * ...); then, on the torrent's loop, {@code connected} once the connection is up, with what the
     * dial learned of the address in the same bits (again if a retry learns more), and
     * {@code failed} if it could not be made or closed before its peer joined (refused in the handshake).
     */
    void dial(Torrent torrent, InetSocketAddress address, int hints, java.util.function.IntConsumer connected, Runnable failed);
}
