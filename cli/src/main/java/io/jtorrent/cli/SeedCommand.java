package io.jtorrent.cli;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.metainfo.Metainfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "seed", mixinStandardHelpOptions = true,
        description = {"Verify the data at SAVE_DIR/<name>, then seed it until interrupted.",
                "Refuses (exit status 2) if the data is incomplete."})
final class SeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    LogOptions log;

    @Mixin
    SessionOptions session;

    @Mixin
    TransferTarget target;

    @picocli.CommandLine.Option(names = "--super-seed",
            description = "Super-seed (BEP 16): offer each peer one piece at a time, the rarest, so that the seed sends each piece"
                    + " about once (for the first seed of a new torrent with many peers; slower for a few).")
    boolean superSeed;

    @picocli.CommandLine.Option(names = "--seed-mode",
            description = "Serve at once without checking the data first (libtorrent's seed_mode): each piece is hashed before"
                    + " its first upload, and one that does not match stops the seed with an error. For data known to be"
                    + " complete, such as the data the torrent was made from.")
    boolean seedMode;

    @Override
    public Integer call() throws Exception {
        Transfer.checkSaveDir(target.saveDir);
        java.util.List<AddTorrentParams> all = new java.util.ArrayList<>();
        for (String torrent : target.torrents) {
            if (io.jtorrent.metainfo.MagnetUri.looksLikeMagnet(torrent)) {
                throw new BadInputException("seed needs the .torrent file, not a magnet link (the data must be checked against it)");
            }
            Metainfo m = Transfer.readTorrent(java.nio.file.Path.of(torrent));
            AddTorrentParams.Builder p = AddTorrentParams.builder(m, target.saveDir).seedOnly(true).superSeeding(superSeed)
                    .seedMode(seedMode);
            session.peers.forEach(p::peer);
            all.add(p.build());
        }
        return new Transfer(spec.commandLine().getOut(), spec.commandLine().getErr(), target.jsonProgress)
                .run(session, all, target.saveDir, false, -1, -1);
    }
}
