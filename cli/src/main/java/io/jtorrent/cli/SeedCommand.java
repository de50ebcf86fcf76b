package io.jtorrent.cli;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.metainfo.Metainfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "seed", mixinStandardHelpOptions = true,
        description = {"Verify the data at SAVE_DIR/<name>, then seed it until interrupted.",
                "Refuses (exit status 2) if the data is incomplete."})
final class SeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    SessionOptions session;

    @Parameters(paramLabel = "TORRENT", description = "The .torrent file.")
    Path torrent;

    @Option(names = {"-d", "--dir"}, paramLabel = "SAVE_DIR", description = "Where the data is (default: .).")
    Path saveDir = Path.of(".");

    @Option(names = "--json-progress", description = "Print one JSON object a second on stdout.")
    boolean jsonProgress;

    @Override
    public Integer call() throws Exception {
        Metainfo m = Transfer.readTorrent(torrent);
        Transfer.checkSaveDir(saveDir);
        AddTorrentParams.Builder p = AddTorrentParams.builder(m, saveDir).seedOnly(true);
        session.peers.forEach(p::peer);
        return new Transfer(spec.commandLine().getOut(), spec.commandLine().getErr(), jsonProgress)
                .run(session, p.build(), saveDir, false);
    }
}
