package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Transmission 4.1's snake_case names (rpc-version 18) beside the old kebab-case and camelCase
 * ones: {@code torrent_get} with {@code fields: ["hash_string", "percent_done"]} is
 * {@code torrent-get} with {@code ["hashString", "percentDone"]}. A request whose method is
 * written in snake_case has its argument names and field names read in snake_case, and gets its
 * answer's keys in snake_case; an old-style request is answered in the old names, as before.
 *
 * <p>The old names are a fixed vocabulary ({@link #VOCABULARY}, Transmission's own); a name not in
 * it is passed on as given, so the method refuses it by that name.
 */
final class RpcNames {
    private RpcNames() {}

    /** Every old-style argument and field name the RPC reads. */
    static final List<String> VOCABULARY = List.of(
            // request arguments
            "ids", "fields", "format", "filename", "metainfo", "download-dir", "paused", "files-wanted", "files-unwanted",
            "priority-high", "priority-low", "priority-normal", "labels", "peer-limit", "bandwidthPriority", "cookies",
            "delete-local-data", "location", "move", "path", "name", "uploadLimit", "uploadLimited", "downloadLimit",
            "downloadLimited", "seedRatioLimit", "seedRatioMode", "seedIdleLimit", "seedIdleMode", "queuePosition",
            "trackerAdd", "trackerRemove", "trackerReplace", "trackerList", "group", "honorsSessionLimits",
            "sequentialDownload", "ipProtocol", "speed-limit-down", "speed-limit-down-enabled", "speed-limit-up",
            "speed-limit-up-enabled", "recently-active",
            // session-get and session-set
            "alt-speed-down", "alt-speed-enabled", "alt-speed-time-begin", "alt-speed-time-day", "alt-speed-time-enabled",
            "alt-speed-time-end", "alt-speed-up", "blocklist-enabled", "blocklist-size", "blocklist-url", "cache-size-mb",
            "config-dir", "default-trackers", "dht-enabled", "download-dir-free-space", "download-queue-enabled",
            "download-queue-size", "encryption", "idle-seeding-limit", "idle-seeding-limit-enabled", "incomplete-dir",
            "incomplete-dir-enabled", "lpd-enabled", "peer-limit-global", "peer-limit-per-torrent", "peer-port",
            "peer-port-random-on-start", "pex-enabled", "port-forwarding-enabled", "queue-stalled-enabled",
            "queue-stalled-minutes", "rename-partial-files", "rpc-version", "rpc-version-minimum", "rpc-version-semver",
            "script-torrent-added-enabled", "script-torrent-added-filename", "script-torrent-done-enabled",
            "script-torrent-done-filename", "script-torrent-done-seeding-enabled", "script-torrent-done-seeding-filename",
            "seed-queue-enabled", "seed-queue-size", "seedRatioLimited", "session-id", "start-added-torrents",
            "trash-original-torrent-files", "units", "utp-enabled", "version",
            // torrent-get fields
            "id", "hashString", "status", "percentDone", "percentComplete", "metadataPercentComplete", "rateDownload",
            "rateUpload", "eta", "etaIdle", "sizeWhenDone", "leftUntilDone", "desiredAvailable", "haveValid", "haveUnchecked",
            "totalSize", "uploadedEver", "downloadedEver", "corruptEver", "uploadRatio", "peersConnected", "peersSendingToUs",
            "peersGettingFromUs", "webseedsSendingToUs", "error", "errorString", "isFinished", "isStalled", "isPrivate",
            "addedDate", "doneDate", "activityDate", "startDate", "editDate", "dateCreated", "comment", "creator",
            "downloadDir", "magnetLink", "pieceCount", "pieceSize", "fileCount", "file-count", "recheckProgress",
            "secondsDownloading", "secondsSeeding", "torrentFile", "primary-mime-type", "webseeds", "trackers",
            "trackerStats", "files", "fileStats", "wanted", "priorities", "peers", "peersFrom", "pieces", "availability",
            "jtorrentPieceMap", "jtorrentSeeds");

    /** Old names by their snake_case form; where two share one, kebab-case ones (arguments) come first. */
    private static final Map<String, List<String>> BY_SNAKE = bySnake();

    private static Map<String, List<String>> bySnake() {
        Map<String, List<String>> m = new HashMap<>();
        for (String name : VOCABULARY) {
            List<String> names = m.computeIfAbsent(snake(name), k -> new ArrayList<>());
            if (name.equals(name.toLowerCase(Locale.ROOT))) {
                names.add(0, name);
            } else {
                names.add(name);
            }
        }
        return m;
    }

    /**
     * The snake_case form of an old name: dashes become underscores, a capital starts a word, a run
     * of capitals is one word ({@code isUTP} is {@code is_utp}).
     */
    static String snake(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '-') {
                b.append('_');
            } else if (Character.isUpperCase(c)) {
                char prev = i > 0 ? name.charAt(i - 1) : '_';
                boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (i > 0 && prev != '-' && (!Character.isUpperCase(prev) || nextLower)) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Whether a method name is written in snake_case (Transmission 4.1's style). */
    static boolean isSnake(String method) {
        return method.indexOf('_') >= 0;
    }

    /** The old-style method name: every method's is kebab-case. */
    static String method(String snakeMethod) {
        return snakeMethod.replace('_', '-');
    }

    /** The old name for a snake_case one; {@code preferCamel} where a camelCase and a kebab-case name share it (torrent fields). */
    static String old(String name, boolean preferCamel) {
        List<String> names = BY_SNAKE.get(name);
        if (names == null) {
            return name;
        }
        return preferCamel ? names.get(names.size() - 1) : names.get(0);
    }

    /** A snake_case request's arguments with old names: its keys, its {@code fields} and a textual {@code ids}. */
    static ObjectNode arguments(String method, ObjectNode a) {
        ObjectNode out = Json.object();
        a.fields().forEachRemaining(e -> {
            String key = old(e.getKey(), false);
            JsonNode v = e.getValue();
            if (key.equals("fields") && v.isArray()) {
                ArrayNode fields = Json.array();
                boolean torrentFields = method.startsWith("torrent");
                v.forEach(f -> fields.add(f.isTextual() ? old(f.asText(), torrentFields) : f.asText()));
                v = fields;
            } else if (key.equals("ids") && v.isTextual()) {
                v = TextNode.valueOf(old(v.asText(), false));
            }
            out.set(key, v);
        });
        return out;
    }

    /** An answer's keys in snake_case, all the way down (and a table-format torrent-get's header row). */
    static JsonNode answer(JsonNode n, boolean tableHeader) {
        if (n instanceof com.fasterxml.jackson.databind.node.POJONode p && p.getPojo() instanceof TorrentFields.Rows rows) {
            return new com.fasterxml.jackson.databind.node.POJONode(rows.inSnakeCase()); // torrent-get's rows, written later
        }
        if (n.isObject()) {
            ObjectNode out = Json.object();
            n.fields().forEachRemaining(e -> out.set(snake(e.getKey()), answer(e.getValue(), e.getKey().equals("torrents"))));
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = Json.array();
            for (int i = 0; i < n.size(); i++) {
                JsonNode x = n.get(i);
                out.add(tableHeader && i == 0 && x.isArray() ? header((ArrayNode) x) : answer(x, false));
            }
            return out;
        }
        return n;
    }

    private static ArrayNode header(ArrayNode names) {
        ArrayNode out = Json.array();
        names.forEach(x -> out.add(x.isTextual() ? snake(x.asText()) : x.asText()));
        return out;
    }
}
