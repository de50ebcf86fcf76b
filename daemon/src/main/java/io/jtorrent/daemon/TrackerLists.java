package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.MetainfoException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A torrent's trackers as the RPC edits them: {@code trackerAdd} (URLs, each a tier of its own
 * after the others), {@code trackerRemove} (ids), {@code trackerReplace} (id, URL pairs) and
 * {@code trackerList} (the whole list: one URL a line, tiers separated by a blank line). Ids are
 * the positions the {@code trackers} field gives, tier by tier. Every URL is checked: http, https
 * or udp, with a host; anything else is refused naming the argument, and nothing changes.
 */
final class TrackerLists {
    static final List<String> ARGUMENTS = List.of("trackerAdd", "trackerRemove", "trackerReplace", "trackerList");
    /** More is refused: no real torrent has it, and the list is kept in the state file. */
    static final int MAX_TRACKERS = 500;

    private TrackerLists() {}

    static boolean touches(ObjectNode a) {
        return ARGUMENTS.stream().anyMatch(a::has);
    }

    /** The torrent's trackers now: as edited, else its own, else its magnet link's. */
    static List<List<String>> current(TorrentRecord r, Metainfo m) {
        if (r.trackers != null) {
            return r.trackers;
        }
        if (m != null) {
            return m.trackerTiers();
        }
        if (r.magnet != null) {
            try {
                return MagnetUri.parse(r.magnet).trackers().stream().map(List::of).toList();
            } catch (MetainfoException e) {
                return List.of();
            }
        }
        return List.of();
    }

    /** {@code tiers} with the edits {@code a} asks for applied (checked whole first). */
    static List<List<String>> edit(List<List<String>> tiers, ObjectNode a) {
        List<List<String>> out = new ArrayList<>();
        tiers.forEach(t -> out.add(new ArrayList<>(t)));
        if (a.has("trackerList")) {
            JsonNode list = a.get("trackerList");
            if (!list.isTextual()) {
                throw new RpcException("trackerList: expected a string (one URL a line, tiers separated by a blank line)");
            }
            out.clear();
            out.addAll(parse(list.asText()));
        }
        if (a.has("trackerReplace")) {
            JsonNode pairs = a.get("trackerReplace");
            if (!pairs.isArray() || pairs.size() % 2 != 0) {
                throw new RpcException("trackerReplace: expected [id, url, id, url, ...]");
            }
            for (int i = 0; i < pairs.size(); i += 2) {
                int[] at = locate(out, id(pairs.get(i), "trackerReplace"), "trackerReplace");
                out.get(at[0]).set(at[1], url(pairs.get(i + 1), "trackerReplace"));
            }
        }
        if (a.has("trackerRemove")) {
            JsonNode ids = a.get("trackerRemove");
            if (!ids.isArray()) {
                throw new RpcException("trackerRemove: expected an array of tracker ids");
            }
            List<String> gone = new ArrayList<>();
            for (JsonNode id : ids) {
                int[] at = locate(out, id(id, "trackerRemove"), "trackerRemove");
                gone.add(out.get(at[0]).get(at[1]));
            }
            out.forEach(t -> t.removeAll(gone));
        }
        if (a.has("trackerAdd")) {
            JsonNode urls = a.get("trackerAdd");
            if (!urls.isArray()) {
                throw new RpcException("trackerAdd: expected an array of announce URLs");
            }
            for (JsonNode u : urls) {
                String url = url(u, "trackerAdd");
                if (out.stream().noneMatch(t -> t.contains(url))) {
                    out.add(new ArrayList<>(List.of(url)));
                }
            }
        }
        out.removeIf(List::isEmpty);
        if (out.stream().mapToInt(List::size).sum() > MAX_TRACKERS) {
            throw new RpcException("trackers: more than " + MAX_TRACKERS);
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** The {@code trackerList} text of {@code tiers}. */
    static String format(List<List<String>> tiers) {
        StringBuilder b = new StringBuilder();
        for (List<String> tier : tiers) {
            if (b.length() > 0) {
                b.append('\n');
            }
            tier.forEach(u -> b.append(u).append('\n'));
        }
        return b.toString();
    }

    private static List<List<String>> parse(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> tier = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            String u = line.trim();
            if (u.isEmpty()) {
                if (!tier.isEmpty()) {
                    out.add(tier);
                    tier = new ArrayList<>();
                }
            } else {
                tier.add(checked(u, "trackerList"));
            }
        }
        if (!tier.isEmpty()) {
            out.add(tier);
        }
        return out;
    }

    private static int id(JsonNode n, String where) {
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
            throw new RpcException(where + ": " + n + " is not a tracker id");
        }
        return n.asInt();
    }

    private static int[] locate(List<List<String>> tiers, int id, String where) {
        int n = id;
        for (int t = 0; t < tiers.size(); t++) {
            if (n < tiers.get(t).size()) {
                return new int[] {t, n};
            }
            n -= tiers.get(t).size();
        }
        throw new RpcException(where + ": no tracker has id " + id);
    }

    private static String url(JsonNode n, String where) {
        if (!n.isTextual()) {
            throw new RpcException(where + ": " + n + " is not an announce URL");
        }
        return checked(n.asText().trim(), where);
    }

    private static String checked(String url, String where) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https") || scheme.equals("udp")) || u.getHost() == null
                    || url.length() > 2048) {
                throw new RpcException(where + ": '" + url + "' is not an http, https or udp announce URL");
            }
            return url;
        } catch (java.net.URISyntaxException e) {
            throw new RpcException(where + ": '" + url + "' is not a URL");
        }
    }
}
