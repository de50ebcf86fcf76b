package io.jtorrent.cli;

import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.TorrentBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a .torrent file from a file or a directory.",
                "A directory's files are sorted byte-wise by path (as mktorrent does; by path component"
                        + " for --v2 and --hybrid, as libtorrent does); hidden files are included and symbolic"
                        + " links followed."})
final class CreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "PATH", description = "The file or directory to share.")
    Path path;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.torrent",
            description = "Where to write the torrent (default: PATH's name + .torrent in the current directory).")
    Path output;

    @Option(names = {"-t", "--tracker"}, paramLabel = "URL",
            description = "A tracker; repeat for more tiers, separate URLs with commas for one tier (BEP 12).")
    List<String> trackers = new ArrayList<>();

    @Option(names = {"-w", "--web-seed"}, paramLabel = "URL", description = "A web seed URL (BEP 19); repeatable.")
    List<String> webSeeds = new ArrayList<>();

    @Option(names = "--piece-size", paramLabel = "BYTES", converter = Sizes.Converter.class,
            description = "Piece size, a power of two from 16K to 512M (default: automatic, 1,000-2,000 pieces).")
    long pieceSize;

    @Option(names = "--private", description = "Mark the torrent private (BEP 27): peers only from its trackers.")
    boolean isPrivate;

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", description = "A comment.")
    String comment;

    @Option(names = {"-s", "--source"}, paramLabel = "TEXT", description = "The info.source field (changes the info-hash).")
    String source;

    @Option(names = "--no-date", description = "Leave out the creation date (for reproducible output).")
    boolean noDate;

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: one per core).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-f", "--force"}, description = "Overwrite OUT.torrent if it exists.")
    boolean force;

    @Option(names = "--v2", description = "Make a BitTorrent v2 torrent (BEP 52: SHA-256 Merkle trees); v1 clients cannot read it.")
    boolean v2;

    @Option(names = "--hybrid", description = "Make a hybrid v1 + v2 torrent, readable by every client"
            + " (files sorted by path component and padded to piece boundaries, as libtorrent makes them).")
    boolean hybrid;

    @Override
    public Integer call() throws Exception {
        check();
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * {@code create PATH [options]} without picocli: building its model of the command (reflection
     * over the annotations, its type converters) was a third of a small create's CPU, ~0.1 s of its
     * wall time, before any hashing. The options above, each once (trackers and web seeds repeat),
     * a value as the next argument or after {@code =}. Anything else — another option,
     * {@code --help}, {@code --debug}, an {@code @file}, a value that does not parse, an input
     * {@link #check} refuses — returns null and goes to the parser, which says what is wrong as it
     * always has. {@code CliTest} runs both paths on the same arguments.
     */
    static Integer plain(PrintWriter out, PrintWriter err, String... args) {
        if (args.length < 2 || !args[0].equals("create")) {
            return null;
        }
        CreateCommand c = new CreateCommand();
        java.util.Set<String> given = new java.util.HashSet<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("-")) {
                    if (c.path != null || a.isEmpty() || a.charAt(0) == '@') {
                        return null;
                    }
                    c.path = Path.of(a);
                    continue;
                }
                int eq = a.startsWith("--") ? a.indexOf('=') : -1;
                String name = eq > 0 ? a.substring(0, eq) : a;
                String value = eq > 0 ? a.substring(eq + 1) : null;
                boolean flag = switch (name) {
                    case "--no-date", "-f", "--force", "--private", "--v2", "--hybrid" -> true;
                    default -> false;
                };
                if (flag) {
                    if (value != null || !given.add(name.equals("-f") ? "--force" : name)) {
                        return null;
                    }
                } else {
                    if (value == null) {
                        if (i + 1 == args.length || args[i + 1].startsWith("-")) {
                            return null;
                        }
                        value = args[++i];
                    }
                    String key = switch (name) {
                        case "-o" -> "--output";
                        case "-t" -> "--tracker";
                        case "-w" -> "--web-seed";
                        case "-c" -> "--comment";
                        case "-s" -> "--source";
                        default -> name;
                    };
                    if (!given.add(key) && !key.equals("--tracker") && !key.equals("--web-seed")) {
                        return null;
                    }
                    name = key;
                }
                switch (name) {
                    case "--no-date" -> c.noDate = true;
                    case "-f", "--force" -> c.force = true;
                    case "--private" -> c.isPrivate = true;
                    case "--v2" -> c.v2 = true;
                    case "--hybrid" -> c.hybrid = true;
                    case "--output" -> c.output = Path.of(value);
                    case "--tracker" -> c.trackers.add(value);
                    case "--web-seed" -> c.webSeeds.add(value);
                    case "--comment" -> c.comment = value;
                    case "--source" -> c.source = value;
                    case "--piece-size" -> c.pieceSize = Sizes.parse(value);
                    case "--threads" -> c.threads = Integer.parseInt(value);
                    default -> {
                        return null;
                    }
                }
            }
            if (c.path == null) {
                return null;
            }
            c.check();
        } catch (Exception notPlain) {
            return null; // the parser's path says what is wrong
        }
        try {
            return c.run(out, err);
        } catch (Exception e) {
            return ErrorHandler.report(e, "jtorrent create", err, false);
        }
    }

    /** The checks made before any work: a refused input has written nothing. */
    void check() throws BadInputException {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1");
        }
        if (!Files.exists(path)) {
            throw new BadInputException(path + ": no such file or directory");
        }
        if (Files.exists(target()) && !force) {
            throw new BadInputException(target() + " already exists (use --force to overwrite)");
        }
        if (v2 && hybrid) {
            throw new BadInputException("--v2 and --hybrid exclude each other (a hybrid torrent is v2 too)");
        }
    }

    private Path target() {
        return output != null ? output : Path.of(path.toAbsolutePath().normalize().getFileName() + ".torrent");
    }

    private int run(PrintWriter out, PrintWriter err) throws Exception {
        Path target = target();
        TorrentBuilder builder;
        try {
            builder = TorrentBuilder.from(path).pieceLength(pieceSize).privateFlag(isPrivate).threads(threads)
                    .comment(comment).source(source).createdBy(version())
                    .version(v2 ? TorrentBuilder.Version.V2 : hybrid ? TorrentBuilder.Version.HYBRID : TorrentBuilder.Version.V1);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--piece-size: " + e.getMessage());
        }
        for (String t : trackers) {
            builder.trackerTier(Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        webSeeds.forEach(builder::webSeed);
        if (noDate) {
            builder.creationDate(null);
        }
        ProgressBar bar = ProgressBar.onTerminal(err, "hashing");
        builder.progress(bar::update);

        long start = System.nanoTime();
        TorrentBuilder.Created created = builder.build();
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.finish();
        writeAtomically(target, created.bytes());

        Info info = created.metainfo().info();
        // concatenation, not printf: a Formatter's first use is ~20 ms of a cold start
        StringBuilder b = new StringBuilder(512).append("created ").append(target).append(NL)
                .append("  name:       ").append(info.name()).append(NL)
                .append("  files:      ").append(info.files().size()).append(NL)
                .append("  size:       ").append(Sizes.format(info.totalLength())).append(" (").append(info.totalLength())
                .append(" bytes)").append(NL)
                .append("  pieces:     ").append(info.pieceCount()).append(" x ").append(Sizes.format(info.pieceLength())).append(NL);
        if (created.metainfo().infoHashV1().isPresent()) {
            b.append("  info-hash:  ").append(created.metainfo().infoHashV1().get().hex()).append(NL);
        }
        if (created.metainfo().infoHashV2().isPresent()) {
            b.append("  v2 hash:    ").append(created.metainfo().infoHashV2().get().hex()).append(NL);
        }
        b.append("  magnet:     ").append(MagnetUri.of(created.metainfo())).append(NL)
                .append("  hashed in:  ").append(Sizes.fixed(seconds, 2)).append(" s (")
                .append(Sizes.format((long) (info.totalLength() / Math.max(seconds, 1e-9)))).append("/s, ")
                .append(threads).append(" threads)").append(NL);
        out.print(b);
        out.flush();
        return ExitCode.OK;
    }

    private static final String NL = System.lineSeparator();

    static String version() {
        return Main.versionLine();
    }

    /** Writes via a temporary file in the same directory and a rename, so no half-written torrent is ever seen. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        // not createTempFile, whose 0600 mode would stick to the torrent: a new file gets the umask's mode
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
