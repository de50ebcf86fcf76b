package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's rooms keep their shape: the I/O-free ones (picker, choke, rate, and the pure parts
 * of peer, ext and discovery) use neither Netty nor the file system, and no source file grows past
 * {@value #MAX_LINES} lines — except the two still being split (issue 12), which may not grow.
 */
class ArchitectureTest {
    static final int MAX_LINES = 500;
    private static final Path ENGINE = Path.of("src/main/java/io/jtorrent/engine");
    /** Rooms whose classes do no I/O: messages, state and time in, decisions out. */
    private static final List<String> IO_FREE_ROOMS = List.of("picker", "choke", "rate", "peer", "ext", "discovery", "pieces");
    /** Files over the limit today, with the size they may not exceed while they are split up. */
    private static final Map<String, Integer> STILL_TO_SPLIT = Map.of("Torrent.java", 1192, "PeerConnection.java", 656);

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void ioFreeRoomsImportNeitherNettyNorTheFileSystem() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String room : IO_FREE_ROOMS) {
            Path dir = ENGINE.resolve(room);
            assertThat(dir).as("room " + room).isDirectory();
            for (Path f : sources(dir)) {
                String text = Files.readString(f);
                for (String banned : List.of("io.netty", "java.nio.file", "java.net.Socket", "System.nanoTime", "new Random()")) {
                    if (text.contains(banned)) {
                        offences.add(ENGINE.relativize(f) + " uses " + banned);
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void noSourceFileGrowsPastTheLimit() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path f : sources(ENGINE)) {
            long lines;
            try (Stream<String> s = Files.lines(f)) {
                lines = s.count();
            }
            int allowed = STILL_TO_SPLIT.getOrDefault(f.getFileName().toString(), MAX_LINES);
            if (lines > allowed) {
                offences.add(ENGINE.relativize(f) + ": " + lines + " lines (at most " + allowed + ")");
            }
        }
        assertThat(offences).isEmpty();
    }
}
