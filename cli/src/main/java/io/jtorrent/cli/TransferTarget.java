package io.jtorrent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What `download` and `seed` both name: the torrent, where its data goes, how progress is shown. */
final class TransferTarget {
    @Parameters(paramLabel = "TORRENT", arity = "1..*",
            description = "The .torrent file (download also takes a magnet: link or an http(s) URL of a .torrent); several run side by side.")
    java.util.List<String> torrents = new java.util.ArrayList<>();

    @Option(names = {"-d", "--dir"}, paramLabel = "SAVE_DIR", description = "Where the data is saved: SAVE_DIR/<name> (default: .).")
    Path saveDir = Path.of(".");

    @Option(names = "--json-progress", description = "Print one JSON object a second on stdout instead of the progress line.")
    boolean jsonProgress;
}
