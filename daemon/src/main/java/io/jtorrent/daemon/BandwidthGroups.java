package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtorrent.engine.rate.RateLimiter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Transmission's bandwidth groups (rpc 17: {@code group-set}, {@code group-get}, torrent-set/get
 * {@code group}): named limits shared by the torrents in a group, on top of each torrent's own; a
 * group may be exempt from the session's limits. Kept in {@code state.json}; each group's
 * limiters live while the daemon runs. At most {@link #MAX_GROUPS} groups, names of at most 128
 * characters.
 */
final class BandwidthGroups {
    static final int MAX_GROUPS = 1000;

    /** A group as kept: Transmission's fields, speeds in KB/s. */
    public static final class Group {
        public boolean honorsSessionLimits = true;
        public boolean speedLimitDownEnabled;
        public long speedLimitDown;
        public boolean speedLimitUpEnabled;
        public long speedLimitUp;
    }

    private final Daemon d;
    private final Map<String, RateLimiter[]> limiters = new HashMap<>();

    BandwidthGroups(Daemon d) {
        this.d = d;
    }

    /** Puts {@code t} under its record's group's limits (none when it has no group or the group is gone). */
    void apply(ManagedTorrent t) {
        Group g = t.record.group == null ? null : d.state.groups.get(t.record.group);
        if (g == null) {
            t.handle.setBandwidthGroup(null, null, t.record.honorsSessionLimits);
            return;
        }
        RateLimiter[] l = limiters.computeIfAbsent(t.record.group, k -> new RateLimiter[] {
            new RateLimiter(0, System::nanoTime), new RateLimiter(0, System::nanoTime)});
        l[0].setRate(g.speedLimitUpEnabled ? g.speedLimitUp * 1000 : 0);
        l[1].setRate(g.speedLimitDownEnabled ? g.speedLimitDown * 1000 : 0);
        t.handle.setBandwidthGroup(l[0], l[1], g.honorsSessionLimits && t.record.honorsSessionLimits);
    }

    /** {@code group-set}: creates or changes a group, then re-applies it to its torrents. */
    ObjectNode set(ObjectNode a) {
        String name = RpcMethods.text(a, "name");
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new RpcException("group-set needs a name of 1 to 128 characters");
        }
        Group g = d.state.groups.get(name);
        if (g == null && d.state.groups.size() >= MAX_GROUPS) {
            throw new RpcException("group-set: more than " + MAX_GROUPS + " groups");
        }
        Group next = g == null ? new Group() : g;
        // every argument checked before the group changes
        boolean honors = a.has("honorsSessionLimits") ? RpcMethods.bool(a, "honorsSessionLimits") : next.honorsSessionLimits;
        boolean downOn = a.has("speed-limit-down-enabled") ? RpcMethods.bool(a, "speed-limit-down-enabled") : next.speedLimitDownEnabled;
        long down = a.has("speed-limit-down") ? RpcMethods.nonNegative(a, "speed-limit-down") : next.speedLimitDown;
        boolean upOn = a.has("speed-limit-up-enabled") ? RpcMethods.bool(a, "speed-limit-up-enabled") : next.speedLimitUpEnabled;
        long up = a.has("speed-limit-up") ? RpcMethods.nonNegative(a, "speed-limit-up") : next.speedLimitUp;
        next.honorsSessionLimits = honors;
        next.speedLimitDownEnabled = downOn;
        next.speedLimitDown = down;
        next.speedLimitUpEnabled = upOn;
        next.speedLimitUp = up;
        d.state.groups.put(name, next);
        d.all().stream().filter(t -> name.equals(t.record.group)).forEach(this::apply);
        d.markDirty();
        return Json.object();
    }

    /** {@code group-get}: the groups named by {@code group} (a name or a list), or all. */
    ObjectNode get(ObjectNode a) {
        JsonNode which = a.get("group");
        List<String> names;
        if (which == null || which.isNull()) {
            names = List.copyOf(d.state.groups.keySet());
        } else if (which.isTextual()) {
            names = List.of(which.asText());
        } else if (which.isArray()) {
            names = new java.util.ArrayList<>();
            for (JsonNode n : which) {
                if (!n.isTextual()) {
                    throw new RpcException("group-get: group must be a name or a list of names");
                }
                names.add(n.asText());
            }
        } else {
            throw new RpcException("group-get: group must be a name or a list of names");
        }
        ObjectNode o = Json.object();
        ArrayNode out = o.putArray("group");
        for (String name : names) {
            Group g = d.state.groups.get(name);
            if (g != null) {
                out.addObject().put("name", name).put("honorsSessionLimits", g.honorsSessionLimits)
                        .put("speed-limit-down-enabled", g.speedLimitDownEnabled).put("speed-limit-down", g.speedLimitDown)
                        .put("speed-limit-up-enabled", g.speedLimitUpEnabled).put("speed-limit-up", g.speedLimitUp);
            }
        }
        return o;
    }
}
