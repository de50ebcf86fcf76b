package io.jtorrent.cli;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentVerifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check downloaded data against a torrent, piece by piece.",
                "Data is looked for where a download puts it: SAVE_DIR/<name>.",
                "Exit status 0 only if every piece is present and correct, 1 otherwise."})
final class VerifyCommand implements Callable<Integer> {
    /** Bad files listed before the rest are summarised in one line. */
    private static final int MAX_LISTED = 50;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "TORRENT", description = "The .torrent file.")
    Path torrent;

    @Option(names = {"-d", "--dir"}, paramLabel = "SAVE_DIR", description = "The directory the data was saved in (default: .).")
    Path saveDir = Path.of(".");

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: one per core).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1");
        }
        if (!Files.isDirectory(saveDir)) {
            throw new BadInputException(saveDir + ": not a directory");
        }
        Metainfo m = Metainfo.read(torrent);
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar bar = ProgressBar.onTerminal(spec.commandLine().getErr(), "verifying");
        TorrentVerifier.Report r = TorrentVerifier.verify(m, saveDir, threads, bar::update);
        bar.finish();

        out.printf("%s: %d/%d pieces good%n", m.info().name(), r.goodPieceCount(), r.pieceCount());
        List<TorrentVerifier.FileReport> bad = r.badFiles();
        if (!bad.isEmpty()) {
            out.printf("%d of %d files bad:%n", bad.size(), r.files().size());
            bad.stream().limit(MAX_LISTED).forEach(f -> out.printf("  %-10s %s (%s)%n",
                    f.state().name().toLowerCase().replace('_', ' '), f.file().pathString(), f.detail()));
            if (bad.size() > MAX_LISTED) {
                out.printf("  ... and %d more%n", bad.size() - MAX_LISTED);
            }
        }
        out.println(r.complete() ? "complete and correct" : "INCOMPLETE or CORRUPT");
        out.flush();
        return r.complete() ? ExitCode.OK : ExitCode.NEGATIVE;
    }
}
