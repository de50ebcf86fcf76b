package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interop: for every valid v1, v2 and hybrid torrent of the corpus, libtorrent itself
 * (python3-libtorrent) and jtorrent agree on the info-hashes (v1 and v2), the piece layout and
 * every file's size, pad files included.
 */
class LibtorrentAgreementTest {

    @Test
    void libtorrentAndJtorrentReadTheCorpusAlike() throws Exception {
        Path python = ExternalProgram.requireLibtorrentPython();
        Path script = Files.createTempFile("libtorrent_inspect", ".py");
        try (var in = getClass().getResourceAsStream("libtorrent_inspect.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> files = java.util.stream.Stream.concat(LibtorrentCorpusTest.v1Valid(), LibtorrentCorpusTest.v2Valid())
                .map(LibtorrentCorpusTest.Expectation::file).toList();
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        files.forEach(f -> command.add(ProjectPaths.torrentCorpus().resolve(f).toString()));
        String out = ExternalProgram.run(Duration.ofSeconds(60), null, command).assertSuccess().stdout();
        Files.delete(script);

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSameSizeAs(files);
        int compared = 0;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f[1].equals("ERROR")) {
                // Debian's libtorrent 2.0.8 is older than the corpus expectations in a few places
                continue;
            }
            Metainfo m = Metainfo.parse(Files.readAllBytes(ProjectPaths.torrentCorpus().resolve(f[0])));
            Info info = m.info();
            assertThat(m.infoHashV1().map(InfoHash::hex).orElse("-")).as(f[0] + " info-hash").isEqualTo(f[1]);
            assertThat(m.infoHashV2().map(InfoHash::hex).orElse("-")).as(f[0] + " v2 info-hash").isEqualTo(f[7]);
            assertThat(info.pieceCount()).as(f[0] + " pieces").isEqualTo(Integer.parseInt(f[2]));
            assertThat(info.pieceLength()).as(f[0] + " piece length").isEqualTo(Long.parseLong(f[3]));
            assertThat(info.totalLength()).as(f[0] + " total size").isEqualTo(Long.parseLong(f[4]));
            // libtorrent may move empty files within the list (they hold no data), so compare the
            // files that hold data, in order, and the count of all
            List<Long> sizes = Arrays.stream(f[5].split(",")).map(Long::parseLong).toList();
            List<Integer> flags = Arrays.stream(f[6].split(",")).map(Integer::parseInt).toList();
            assertThat(info.files()).as(f[0] + " file count").hasSameSizeAs(sizes);
            List<String> theirs = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                if (sizes.get(i) > 0) {
                    // libtorrent's file_storage flags: 1 pad, 8 symlink
                    theirs.add(sizes.get(i) + ((flags.get(i) & 1) != 0 ? " pad" : ""));
                }
            }
            List<String> ours = info.files().stream().filter(e -> e.length() > 0)
                    .map(e -> e.length() + (e.pad() ? " pad" : "")).toList();
            assertThat(ours).as(f[0] + " files holding data").isEqualTo(theirs);
            long symlinks = flags.stream().filter(x -> (x & 8) != 0).count();
            assertThat(info.files().stream().filter(FileEntry::isSymlink).count()).as(f[0] + " symlinks").isEqualTo(symlinks);
            compared++;
        }
        assertThat(compared).isGreaterThan(60);
    }
}
