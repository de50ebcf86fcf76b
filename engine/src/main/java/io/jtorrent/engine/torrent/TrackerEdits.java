package io.jtorrent.engine.torrent;

import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.discovery.TrackerAnnouncer;
import java.util.ArrayList;
import java.util.List;

/** A torrent's tracker announcers: made from its tiers, and made again when a user edits them. */
final class TrackerEdits {
    private TrackerEdits() {}

    /** One announcer for all tiers (BEP 12), or one per tier when announcing to every tier at once. */
    static List<TrackerAnnouncer> announcers(TrackerAnnouncer.Host host, Settings settings, List<List<String>> tiers) {
        List<TrackerAnnouncer> out = new ArrayList<>();
        if (settings.announceToAllTiers) {
            for (List<String> tier : tiers) {
                out.add(new TrackerAnnouncer(host, List.of(tier), out.size()));
            }
        } else {
            out.add(new TrackerAnnouncer(host, tiers));
        }
        return out;
    }

    /**
     * Replaces the torrent's trackers (on its loop): the old announcers say {@code stopped}, the
     * new ones start at once if the torrent is running. The tiers are the user's: a removed
     * tracker is no longer asked, an added one is asked now.
     */
    static void replace(Torrent t, List<List<String>> tiers) {
        List<List<String>> clean = tiers.stream().map(tier -> tier.stream().map(String::trim).filter(u -> !u.isEmpty())
                .distinct().toList()).filter(tier -> !tier.isEmpty()).toList();
        t.announcers.forEach(TrackerAnnouncer::stop);
        t.announcers.clear();
        t.announcers.addAll(announcers(t.host, t.settings(), clean));
        if (t.state == TorrentState.DOWNLOADING || t.state == TorrentState.SEEDING
                || t.state == TorrentState.FETCHING_METADATA) {
            t.announcers.forEach(TrackerAnnouncer::start);
        }
    }
}
