package io.jtorrent.cli;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.metainfo.Metainfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a torrent into SAVE_DIR/<name>, then exit (or seed with --seed).",
                "Exit status 0 when the selected files are complete and verified."})
final class DownloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    SessionOptions session;

    @Mixin
    TransferTarget target;

    @Option(names = "--seed", description = "Keep seeding after the download, until interrupted.")
    boolean seed;

    @Option(names = "--sequential", description = "Fetch pieces in order (for streaming).")
    boolean sequential;

    @Option(names = "--select", paramLabel = "I,J,...", split = ",", description = "Download only these files (indices as `info` lists them, from 0).")
    List<Integer> select = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Metainfo m = Transfer.readTorrent(target.torrent);
        Transfer.checkSaveDir(target.saveDir);
        AddTorrentParams.Builder p = AddTorrentParams.builder(m, target.saveDir).sequential(sequential);
        session.peers.forEach(p::peer);
        if (!select.isEmpty()) {
            try {
                p.selectFiles(select);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--select: " + e.getMessage());
            }
        }
        return new Transfer(spec.commandLine().getOut(), spec.commandLine().getErr(), target.jsonProgress)
                .run(session, p.build(), target.saveDir, !seed);
    }
}
