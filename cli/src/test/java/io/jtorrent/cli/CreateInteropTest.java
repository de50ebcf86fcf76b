package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ExternalProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop: {@code jtorrent create} makes the same info-hash as mktorrent and as libtorrent for the
 * same data and piece size, and each reads the other's torrents.
 */
class CreateInteropTest {
    @TempDir
    Path tmp;

    private void write(Path p, int size, long seed) throws Exception {
        Files.createDirectories(p.getParent());
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Files.write(p, b);
    }

    private Metainfo jtorrentCreate(Path path, String pieceSize) throws Exception {
        Path out = tmp.resolve("jtorrent-" + path.getFileName() + ".torrent");
        Cli r = Cli.run("create", path.toString(), "-o", out.toString(), "--piece-size", pieceSize);
        assertThat(r.status()).as(r.err()).isZero();
        return Metainfo.read(out);
    }

    @Test
    void sameInfoHashAsMktorrentForASingleFile() throws Exception {
        Path mktorrent = ExternalProgram.require("mktorrent", "mktorrent");
        Path file = tmp.resolve("single.bin");
        write(file, 3 * 262144 + 12345, 1); // not a whole number of pieces
        Path theirs = tmp.resolve("mktorrent.torrent");
        ExternalProgram.run(Duration.ofSeconds(60), tmp, mktorrent.toString(), "-l", "18", "-o", theirs.toString(),
                file.toString()).assertSuccess();

        Metainfo ours = jtorrentCreate(file, "256K");
        Metainfo mk = Metainfo.read(theirs);
        assertThat(ours.infoHash()).isEqualTo(mk.infoHash());
        assertThat(ours.info().pieceCount()).isEqualTo(4);
    }

    @Test
    void sameInfoHashAsMktorrentForADirectory() throws Exception {
        Path mktorrent = ExternalProgram.require("mktorrent", "mktorrent");
        Path dir = tmp.resolve("tree");
        write(dir.resolve("a/z.bin"), 70_000, 2);
        write(dir.resolve("a-b.bin"), 30_000, 3);   // '-' sorts before '/'
        write(dir.resolve("B.bin"), 20_000, 4);     // upper case before lower case
        write(dir.resolve("c/d/e.bin"), 90_000, 5);
        Path theirs = tmp.resolve("mktorrent-tree.torrent");
        ExternalProgram.run(Duration.ofSeconds(60), tmp, mktorrent.toString(), "-l", "15", "-o", theirs.toString(),
                dir.toString()).assertSuccess();
        Metainfo ours = jtorrentCreate(dir, "32K");
        Metainfo mk = Metainfo.read(theirs);
        assertThat(ours.info().files().stream().map(FileEntry::pathString).toList())
                .isEqualTo(mk.info().files().stream().map(FileEntry::pathString).toList());
        assertThat(ours.infoHash()).isEqualTo(mk.infoHash());
    }

    @Test
    void sameInfoHashAsLibtorrentForAMultiFileDirectory() throws Exception {
        Path python = ExternalProgram.requireLibtorrentPython();
        Path dir = tmp.resolve("multi");
        write(dir.resolve("album/01 intro.flac"), 300_000, 6);
        write(dir.resolve("album/02 \u00e9t\u00e9.flac"), 500_000, 7);
        write(dir.resolve("cover.jpg"), 45_000, 8);
        write(dir.resolve("notes/readme.txt"), 1_000, 9);

        Metainfo ours = jtorrentCreate(dir, "64K");
        List<String> command = new ArrayList<>(List.of(python.toString(), script().toString(), dir.toString(),
                "65536", tmp.resolve("libtorrent.torrent").toString()));
        for (FileEntry f : ours.info().files()) {
            command.add(String.join("/", f.path().subList(1, f.path().size()))); // the same file order
        }
        String out = ExternalProgram.run(Duration.ofSeconds(60), tmp, command).assertSuccess().stdout().trim();

        assertThat(out).isEqualTo(ours.infoHash().hex());
        Metainfo lt = Metainfo.read(tmp.resolve("libtorrent.torrent"));
        assertThat(lt.infoHash()).isEqualTo(ours.infoHash());
        assertThat(lt.info().files()).hasSize(4);
        // and jtorrent verifies the data against libtorrent's torrent
        Cli verify = Cli.run("verify", tmp.resolve("libtorrent.torrent").toString(), "-d", tmp.toString());
        assertThat(verify.status()).as(verify.out()).isZero();
    }

    private Path script() throws Exception {
        Path script = tmp.resolve("libtorrent_create.py");
        try (var in = getClass().getResourceAsStream("libtorrent_create.py")) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }
}
