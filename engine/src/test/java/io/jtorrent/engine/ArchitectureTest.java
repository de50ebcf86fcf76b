package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's rooms keep their shape (docs/ARCHITECTURE.md): the I/O-free rooms use neither
 * Netty nor the file system nor the wall clock; each room uses only the rooms below it; the API
 * package holds only the API; and no source file grows past {@value #MAX_LINES} lines.
 */
class ArchitectureTest {
    static final int MAX_LINES = 500;
    private static final Path ENGINE = Path.of("src/main/java/io/jtorrent/engine");
    /** Rooms whose classes do no I/O: messages, state and time in, decisions out. */
    private static final List<String> IO_FREE_ROOMS =
            List.of("picker", "choke", "rate", "time", "pieces", "peer", "ext", "discovery");
    /** What an I/O-free room may not mention: sockets, files, Netty, the real clock, unseeded randomness. */
    private static final List<String> BANNED_IN_IO_FREE = List.of("io.netty", "java.nio.file", "java.net.Socket",
            "System.nanoTime", "System.currentTimeMillis", "Instant.now", "new Random()");
    /** The rooms each room may use (the API types of io.jtorrent.engine itself are open to all). */
    private static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("picker", Set.of()),
            Map.entry("choke", Set.of()),
            Map.entry("rate", Set.of()),
            Map.entry("time", Set.of()),
            Map.entry("disk", Set.of()),
            Map.entry("pieces", Set.of("picker", "disk", "time")),
            Map.entry("peer", Set.of("picker", "pieces", "choke", "rate", "time")),
            Map.entry("ext", Set.of("peer")),
            Map.entry("discovery", Set.of("time")),
            Map.entry("webseed", Set.of("picker", "pieces", "time")),
            Map.entry("net", Set.of("peer", "discovery", "time")),
            Map.entry("torrent", Set.of("picker", "choke", "rate", "time", "disk", "pieces", "peer", "ext", "discovery",
                    "webseed")));
    /** The public API, the session that wires the rooms, and the event bus: all io.jtorrent.engine itself holds. */
    private static final Set<String> API = Set.of("Session", "SessionServices", "TorrentHandle", "AddTorrentParams",
            "Settings", "SessionEvent", "TorrentStatus", "PeerInfo", "TrackerInfo", "PieceMap", "TorrentState", "EventBus");
    private static final Pattern ROOM_REFERENCE = Pattern.compile("io\\.jtorrent\\.engine\\.([a-z]+)\\.");

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void ioFreeRoomsUseNeitherNettyNorTheFileSystemNorTheClock() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String room : IO_FREE_ROOMS) {
            Path dir = ENGINE.resolve(room);
            assertThat(dir).as("room " + room).isDirectory();
            for (Path f : sources(dir)) {
                String text = Files.readString(f);
                for (String banned : BANNED_IN_IO_FREE) {
                    if (text.contains(banned)) {
                        offences.add(ENGINE.relativize(f) + " uses " + banned);
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void eachRoomUsesOnlyTheRoomsBelowIt() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> rooms = Files.list(ENGINE)) {
            for (Path dir : rooms.filter(Files::isDirectory).sorted().toList()) {
                String room = dir.getFileName().toString();
                assertThat(MAY_USE).as("a new room is added to the map, and to docs/ARCHITECTURE.md").containsKey(room);
                for (Path f : sources(dir)) {
                    Matcher m = ROOM_REFERENCE.matcher(Files.readString(f));
                    Set<String> used = new TreeSet<>();
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                    used.remove(room);
                    used.removeAll(MAY_USE.get(room));
                    if (!used.isEmpty()) {
                        offences.add(ENGINE.relativize(f) + " uses " + used);
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void theApiPackageHoldsOnlyTheApi() throws IOException {
        List<String> others = new ArrayList<>();
        try (Stream<Path> s = Files.list(ENGINE)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                if (!API.contains(name)) {
                    others.add(name);
                }
            }
        }
        assertThat(others).as("classes that belong in a room").isEmpty();
    }

    @Test
    void noSourceFileGrowsPastTheLimit() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path f : sources(ENGINE)) {
            long lines;
            try (Stream<String> s = Files.lines(f)) {
                lines = s.count();
            }
            if (lines > MAX_LINES) {
                offences.add(ENGINE.relativize(f) + ": " + lines + " lines (at most " + MAX_LINES + ")");
            }
        }
        assertThat(offences).isEmpty();
    }
}
