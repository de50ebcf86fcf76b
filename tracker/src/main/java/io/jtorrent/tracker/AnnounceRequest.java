package io.jtorrent.tracker;

import io.jtorrent.metainfo.InfoHash;

/**
 * What a client tells a tracker (BEP 3, with BEP 23 {@code compact} and the {@code key} and
 * {@code trackerid} conventions).
 *
 * @param infoHash the torrent
 * @param peerId our 20-byte peer id
 * @param port the TCP port we accept peers on
 * @param uploaded payload bytes uploaded since {@code started}
 * @param downloaded payload bytes downloaded since {@code started}
 * @param left bytes still to download
 * @param event started, completed, stopped, or none for a periodic announce
 * @param numWant how many peers we would like (-1: the tracker's default)
 * @param key a random number that identifies us across IP changes
 * @param trackerId the {@code tracker id} a previous response gave, or null
 */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded, long left,
                              Event event, int numWant, int key, String trackerId) {

    public enum Event {
        NONE(""), STARTED("started"), COMPLETED("completed"), STOPPED("stopped");

        private final String text;

        Event(String text) {
            this.text = text;
        }

        /** The value of the HTTP {@code event} parameter; empty for none. */
        public String text() {
            return text;
        }
    }

    public AnnounceRequest {
        if (peerId.length != 20) {
            throw new IllegalArgumentException("peer id must be 20 bytes");
        }
        peerId = peerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    public AnnounceRequest withEvent(Event e) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, e, numWant, key, trackerId);
    }
}
