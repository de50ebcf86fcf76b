package io.jtorrent.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of the launchers' start-up cache: in one JVM, what users start most often and
 * want back at once — {@code create} of a small file, then {@code info} of the torrent it made —
 * so that one list of the classes they load ({@code -XX:DumpLoadedClassList}) serves to build the
 * class-data archive ({@code -Xshare:dump}). One run, not one per command: the lists of two runs
 * cannot be merged on every JDK (JDK 25 numbers the classes in its list).
 *
 * <pre>{@code java -XX:DumpLoadedClassList=classes.lst -cp jtorrent.jar io.jtorrent.cli.CacheTraining DIR}</pre>
 */
public final class CacheTraining {
    private CacheTraining() {}

    /** {@code args[0]}: an empty directory to work in. Exit status 0 when both commands succeeded. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CacheTraining EMPTY_DIRECTORY");
            System.exit(ExitCode.BAD_INPUT);
        }
        System.exit(train(Path.of(args[0])));
    }

    /** Runs both commands in {@code dir}: the exit status of the first that failed, or 0. */
    static int train(Path dir) throws java.io.IOException {
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[1 << 20]);
        Path torrent = dir.resolve("t.torrent");
        PrintWriter out = new PrintWriter(Writer.nullWriter());
        PrintWriter err = new PrintWriter(System.err, true);
        int created = Main.run(out, err, "create", data.toString(), "-o", torrent.toString(), "--no-date");
        return created == ExitCode.OK ? Main.run(out, err, "info", torrent.toString()) : created;
    }
}
