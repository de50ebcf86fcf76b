package io.jtorrent.engine;

import io.jtorrent.metainfo.InfoHash;
import java.util.Optional;

/**
 * A snapshot of one torrent.
 *
 * @param progress fraction of the wanted data that is downloaded and verified, 0..1
 * @param wantedBytes bytes of the pieces selected for download
 * @param doneBytes bytes of those that are verified
 * @param downloadRate payload bytes per second from peers, over the last seconds
 * @param uploadRate payload bytes per second to peers
 * @param peers connected peers
 * @param seeds connected peers that have every piece
 * @param uploaded payload bytes uploaded, over the torrent's life
 * @param downloaded payload bytes downloaded, over the torrent's life
 * @param wasted bytes received and thrown away (duplicates, failed pieces)
 * @param hashFailures pieces that failed their check
 * @param wireReceived every byte received from peers this session, payload and protocol
 * @param wireSent every byte sent to peers this session, payload and protocol
 * @param trackerSeeders seeders the tracker last reported (announce or scrape), -1 if none did
 * @param trackerLeechers leechers the tracker last reported, -1 if none did
 * @param trackerDownloaded completed downloads the tracker last reported (scrape), -1 if none did
 * @param peersSendingToUs peers we received payload from in the last seconds
 * @param peersGettingFromUs peers we sent payload to in the last seconds
 * @param webSeedsSendingToUs web seeds with a request in flight
 * @param uploadedThisSession payload uploaded since the torrent was added to this session
 * @param downloadedThisSession payload downloaded since the torrent was added to this session
 * @param checkProgress while the data is checked, the fraction of pieces looked at, 0..1; else 0
 * @param utpPeers connected peers over uTP
 * @param utpWireReceived bytes received from peers over uTP this session (part of wireReceived)
 * @param utpWireSent bytes sent to peers over uTP this session (part of wireSent)
 */
public record TorrentStatus(InfoHash infoHash, String name, TorrentState state, double progress, long wantedBytes,
                            long doneBytes, long downloadRate, long uploadRate, int peers, int seeds, int piecesHave,
                            int pieceCount, long uploaded, long downloaded, long wasted, int hashFailures,
                            long wireReceived, long wireSent, int trackerSeeders, int trackerLeechers,
                            int trackerDownloaded, Optional<String> error, int peersSendingToUs, int peersGettingFromUs,
                            int webSeedsSendingToUs, long uploadedThisSession, long downloadedThisSession,
                            double checkProgress, int utpPeers, long utpWireReceived, long utpWireSent) {
    /** Uploaded over downloaded (or over the torrent's size for a torrent we only seeded). */
    public double ratio(long torrentSize) {
        long base = downloaded > 0 ? downloaded : torrentSize;
        return base == 0 ? 0 : (double) uploaded / base;
    }

    public boolean isFinished() {
        return state == TorrentState.SEEDING;
    }
}
