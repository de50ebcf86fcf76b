package io.jtorrent.cli;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.metainfo.Metainfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a torrent into SAVE_DIR/<name>, then exit (or seed with --seed).",
                "Several torrents download side by side in one session.",
                "Exit status 0 when the selected files of every torrent are complete and verified."})
final class DownloadCommand implements Callable<Integer> {
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

    @Option(names = "--seed", description = "Keep seeding after the download, until interrupted.")
    boolean seed;

    @Option(names = "--seed-ratio", paramLabel = "RATIO",
            description = "After the download, seed until this upload ratio (uploaded / size), then exit (as aria2's; with --seed-time, whichever comes first).")
    Double seedRatio;

    @Option(names = "--seed-time", paramLabel = "MINUTES",
            description = "After the download, seed this many minutes (fractions allowed), then exit.")
    Double seedTime;

    @Option(names = "--sequential", description = "Fetch pieces in order (for streaming).")
    boolean sequential;

    @Option(names = "--save-torrent", paramLabel = "FILE", description = "Save the torrent's metadata as a .torrent file (for a magnet link, once peers sent it).")
    java.nio.file.Path saveTorrent;

    @Option(names = "--web-seed", paramLabel = "URL", description = "Also fetch pieces from this web server (BEP 19; repeatable).")
    List<String> webSeeds = new ArrayList<>();

    @Option(names = "--select", paramLabel = "I,J,...", split = ",", description = "Download only these files (indices as `info` lists them, from 0).")
    List<Integer> select = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Transfer.checkSaveDir(target.saveDir);
        if (target.torrents.size() > 1) {
            for (String oneOnly : new String[] {"--save-torrent", "--select", "--web-seed"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(oneOnly)) {
                    throw new BadInputException(oneOnly + " names one torrent's file or data: give one torrent with it");
                }
            }
        }
        List<AddTorrentParams> all = new ArrayList<>();
        for (String torrent : target.torrents) {
            all.add(params(torrent));
        }
        Transfer transfer = new Transfer(spec.commandLine().getOut(), spec.commandLine().getErr(), target.jsonProgress);
        if (saveTorrent != null) {
            transfer.onMetadata(m -> {
                try {
                    io.jtorrent.storage.ResumeData.writeAtomically(saveTorrent, m.toTorrentFile());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("--save-torrent " + saveTorrent + ": " + e.getMessage(), e);
                }
            });
        }
        if ((seedRatio != null && !(seedRatio >= 0)) || (seedTime != null && !(seedTime >= 0))) {
            throw new BadInputException("--seed-ratio and --seed-time must be 0 or more");
        }
        boolean limited = seedRatio != null || seedTime != null;
        if (limited && seed) {
            throw new BadInputException("--seed seeds until interrupted; --seed-ratio and --seed-time until a limit: choose one");
        }
        return transfer.run(session, all, target.saveDir, !seed && !limited, seedRatio == null ? -1 : seedRatio,
                seedTime == null ? -1 : Math.round(seedTime * 60));
    }

    /** One torrent: a magnet link, an http(s) URL of a .torrent, or a .torrent file. */
    private AddTorrentParams params(String torrent) throws Exception {
        AddTorrentParams.Builder p;
        if (io.jtorrent.metainfo.MagnetUri.looksLikeMagnet(torrent)) {
            io.jtorrent.metainfo.MagnetUri magnet;
            try {
                magnet = io.jtorrent.metainfo.MagnetUri.parse(torrent);
            } catch (io.jtorrent.metainfo.MetainfoException e) {
                throw new BadInputException(e.getMessage());
            }
            p = AddTorrentParams.builder(magnet, target.saveDir);
        } else if (torrent.regionMatches(true, 0, "http://", 0, 7) || torrent.regionMatches(true, 0, "https://", 0, 8)) {
            p = AddTorrentParams.builder(Transfer.fetchTorrent(torrent), target.saveDir);
        } else {
            Metainfo m = Transfer.readTorrent(java.nio.file.Path.of(torrent));
            p = AddTorrentParams.builder(m, target.saveDir);
        }
        p.sequential(sequential);
        session.peers.forEach(p::peer);
        webSeeds.forEach(p::webSeed);
        if (!select.isEmpty()) {
            try {
                p.selectFiles(select);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--select: " + e.getMessage());
            }
        }
        return p.build();
    }
}
